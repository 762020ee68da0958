import type { ConformanceReport } from './conformance-report.js';

/**
 * Renders a report as JUnit XML, the format CI systems read: one test case
 * per conformance case, classed by clause group, with the failure message
 * and hint, and the contract version and seed as properties.
 *
 * @example
 * ```ts
 * await writeFile('conformance.xml', formatJUnit(await runConformance(target)));
 * ```
 */
export function formatJUnit(report: ConformanceReport): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const { total, failed, skipped } = report.summary;
  const cases = report.cases.map((entry) => {
    const open = `    <testcase classname="${xml(`hume.${entry.clause.split('.')[0]}`)}" name="${xml(`${entry.level} ${entry.id}: ${entry.title}`)}" time="${seconds(entry.durationMs)}"`;
    if (entry.status === 'pass') return `${open}/>`;
    if (entry.status === 'skip') return `${open}>\n      <skipped message="${xml(entry.message ?? '')}"/>\n    </testcase>`;
    const body = `${entry.message ?? ''}\nif this fails, ${entry.hint ?? ''}`;
    return `${open}>\n      <failure message="${xml(firstLine(entry.message))}" type="${entry.level}">${xml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="Hume conformance" tests="${total}" failures="${failed}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${xml(report.target)}" tests="${total}" failures="${failed}" skipped="${skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">`,
    '    <properties>',
    `      <property name="contract" value="${xml(report.contract)}"/>`,
    `      <property name="seed" value="${report.seed}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0] ?? '';
}

/** Escapes markup and drops what XML 1.0 cannot hold at all (most control characters, lone surrogates). */
function xml(text: string): string {
  return text
    .toWellFormed()
    .replace(/[^\t\n\r\u0020-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
