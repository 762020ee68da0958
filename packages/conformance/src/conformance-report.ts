import type { Level } from './conformance-case.js';

/** The outcome of one case. */
export interface CaseReport {
  readonly id: string;
  readonly clause: string;
  readonly level: Level;
  readonly title: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly durationMs: number;
  /** Why it failed or was skipped. */
  readonly message?: string;
  /** On failure: what usually causes it. */
  readonly hint?: string;
}

/** The outcome of a run: JSON-serialisable, stable in shape. */
export interface ConformanceReport {
  /** The version of docs/contract.md the cases check. */
  readonly contract: string;
  readonly target: string;
  /** The seed of the seeded cases: pass it back (`--seed`) to replay them. */
  readonly seed: number;
  /** True when no MUST case failed. */
  readonly ok: boolean;
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly mustFailed: number;
    /** MUST cases that could not run (the target lacks a hook): `ok` does not vouch for them. */
    readonly mustSkipped: number;
  };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly cases: readonly CaseReport[];
}

const marks = { pass: '✓', fail: '✗', skip: '-' } as const;

/**
 * Renders a report for people: one line per case, the failures with what
 * was expected, what was seen and a hint, then a closing count.
 *
 * @example
 * ```ts
 * console.log(formatReport(await runConformance(target)));
 * ```
 */
export function formatReport(report: ConformanceReport): string {
  const lines = [`Hume conformance: contract ${report.contract}, target ${report.target}, seed ${report.seed}`, ''];
  for (const entry of report.cases) {
    const time = entry.status === 'skip' ? '' : ` (${Math.round(entry.durationMs)} ms)`;
    lines.push(`  ${marks[entry.status]} ${entry.level.padEnd(6)} ${entry.id}${time}`);
    if (entry.status === 'skip') lines.push(`      skipped: ${entry.message}`);
    if (entry.status === 'fail') {
      lines.push(`      ${entry.title}`);
      for (const line of (entry.message ?? '').split('\n')) lines.push(`      ${line}`);
      lines.push(`      if this fails, ${entry.hint}`);
    }
  }
  const { passed, failed, skipped, mustFailed, mustSkipped } = report.summary;
  const plural = (n: number) => `${n} MUST case${n === 1 ? '' : 's'}`;
  lines.push('', `${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (!report.ok) lines.push(`does not conform: ${plural(mustFailed)} failed`);
  else {
    const caveats = [
      mustSkipped > 0 ? `${plural(mustSkipped)} could not run (see skipped)` : '',
      failed > 0 ? 'some SHOULD cases failed' : '',
    ];
    const caveat = caveats.filter(Boolean).join('; ');
    lines.push(`conforms to contract ${report.contract}${caveat ? ` on every case that ran (${caveat})` : ''}`);
  }
  return lines.join('\n');
}
