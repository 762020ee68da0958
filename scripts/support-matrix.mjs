// Builds the support matrix in README.md from the conformance reports that
// `pnpm test` leaves in each adapter's folder (packages/*/conformance-report.json).
// Run `pnpm test` first, then `pnpm matrix`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: node scripts/support-matrix.mjs (pnpm matrix)

Rewrites the support matrix in README.md from packages/*/conformance-report.json,
which pnpm test leaves behind. Takes no options.`);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`support-matrix: unknown argument ${args[0]} (--help prints the usage)`);
  process.exit(2);
}

const root = new URL('../', import.meta.url);
const start = '<!-- support-matrix:start -->';
const end = '<!-- support-matrix:end -->';

const reports = readdirSync(new URL('packages/', root))
  .map((name) => new URL(`packages/${name}/conformance-report.json`, root))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')));
if (reports.length === 0) throw new Error('no packages/*/conformance-report.json: run `pnpm test` first');

const clauses = [...new Set(reports.flatMap((report) => report.cases.map((entry) => entry.clause)))].sort((a, b) => {
  const [am, an] = a.slice(1).split('.').map(Number);
  const [bm, bn] = b.slice(1).split('.').map(Number);
  return am - bm || an - bn;
});

function cell(report, clause) {
  const cases = report.cases.filter((entry) => entry.clause === clause);
  if (cases.length === 0) return '';
  const failed = cases.filter((entry) => entry.status === 'fail').length;
  const skipped = cases.filter((entry) => entry.status === 'skip');
  if (failed > 0) return `✗ ${failed} of ${cases.length} failed`;
  if (skipped.length === cases.length)
    return `– (${[...new Set(skipped.map((entry) => entry.message.replace('the target offers ', '').replace('the store has ', '')))].join(', ')})`;
  const passed = cases.length - skipped.length;
  return skipped.length > 0
    ? `✓ ${passed} of ${cases.length} (${skipped.length} ${skipped.length === 1 ? 'needs' : 'need'} a hook or method it lacks)`
    : `✓ ${passed}`;
}

const header = `| clause | ${reports.map((report) => `\`${report.target}\``).join(' | ')} |`;
const rule = `| --- | ${reports.map(() => '---').join(' | ')} |`;
const rows = clauses.map((clause) => `| ${clause} | ${reports.map((report) => cell(report, clause)).join(' | ')} |`);
const totals = `| cases passed | ${reports.map((r) => `${r.summary.passed} of ${r.summary.total}${r.ok ? '' : ' ✗'}`).join(' | ')} |`;
const table = [
  start,
  `Built by \`pnpm matrix\` from the reports of the last \`pnpm test\` (contract ${reports[0].contract}). ✓ every case of the clause passed; – the target cannot run it (a hook it does not offer, or an optional capability such as \`appendMany\` the store does not have).`,
  '',
  header,
  rule,
  ...rows,
  totals,
  end,
].join('\n');

const readme = new URL('README.md', root);
const text = readFileSync(readme, 'utf8');
if (!text.includes(start) || !text.includes(end)) throw new Error(`README.md has no ${start} … ${end} section`);
writeFileSync(readme, text.slice(0, text.indexOf(start)) + table + text.slice(text.indexOf(end) + end.length));
console.log(`support matrix written for ${reports.map((r) => r.target).join(', ')}`);
