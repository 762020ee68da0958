import { readdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runScenario, type ScenarioResult } from './run-scenario.js';
import type { Suite } from './scenario.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
});
const only = values.only === undefined ? undefined : new RegExp(values.only, 'i');

/** Every module in suites/ exports a Suite by default; a new adapter adds a file there. */
async function loadSuites(): Promise<Suite[]> {
  const folder = new URL('./suites/', import.meta.url);
  const files = (await readdir(folder)).filter((file) => file.endsWith('.js')).sort();
  const suites: Suite[] = [];
  for (const file of files) suites.push(((await import(new URL(file, folder).href)) as { default: Suite }).default);
  return suites;
}

function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${label} ${done}/${total}`);
  if (done === total) process.stderr.write('\r\x1b[2K');
}

function format(result: ScenarioResult): string {
  const lines = [`${result.name} (${result.ops} ${result.unit}s per round)`];
  for (const contender of result.contenders) {
    lines.push(
      `  ${contender.name.padEnd(28)} ${Math.round(contender.opsPerSecond).toLocaleString('en-US').padStart(12)} ${result.unit}/s`,
    );
  }
  for (const ratio of result.ratios) {
    const bound = [ratio.min === undefined ? '' : `≥ ${ratio.min}`, ratio.max === undefined ? '' : `≤ ${ratio.max}`]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ratio ${ratio.numerator} / ${ratio.denominator} = ${ratio.ratio.toFixed(3)} (target ${bound}: ${ratio.met ? 'met' : 'MISSED'})`,
    );
  }
  return lines.join('\n');
}

const results: ScenarioResult[] = [];
console.log(
  `Hume benchmarks on Node ${process.version}, ${process.platform}/${process.arch}${values.smoke ? ' (smoke sizes: nothing is measured)' : ''}\n`,
);
for (const suite of await loadSuites()) {
  if (only && !only.test(suite.name)) continue;
  try {
    for (const scenario of await suite.scenarios({ smoke: values.smoke })) {
      const result = await runScenario(scenario, (done, total) => progress(scenario.name, done, total));
      results.push(result);
      console.log(`${format(result)}\n`);
    }
  } finally {
    await suite.close?.();
  }
}
if (values.json) await writeFile(values.json, `${JSON.stringify({ node: process.version, smoke: values.smoke, results }, null, 2)}\n`);
const missed = results.flatMap((result) =>
  result.ratios.filter((ratio) => !ratio.met).map((ratio) => `${result.name}: ${ratio.numerator} / ${ratio.denominator}`),
);
console.log(missed.length === 0 ? 'every target met' : `targets missed:\n  ${missed.join('\n  ')}`);
if (values.strict && missed.length > 0 && !values.smoke) process.exitCode = 1;
