// Scores a Stryker JSON report the way docs/conformance.md §6 states them.
//
// Stryker's mutation score: detected (killed or timed out) over valid mutants
// (detected, survived, not covered); compile and runtime errors and ignored
// (equivalent) mutants are left out, as Stryker's own report does.
//
// The kit's score is also given over the contract's code alone: source lines
// between `// kit scope: outside the contract — <why>` and `// kit scope: end`
// (or the end of the file) implement something no conformance kit can reach
// (the adapter's own constructor options, a caller's transaction on a shared
// handle, Citus placement). Their mutants are not equivalent, so they stay in
// the whole-source score and in the adapter's own suite; the contract score
// leaves them out, and says how many.
//
//   node scripts/mutation/mutation-score.mjs packages/sqlite/reports/mutation/kit.json
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const STATUSES = ['Killed', 'Survived', 'NoCoverage', 'Timeout', 'Ignored'];

/** Counts and score of a list of mutants. */
export function score(mutants) {
  const counts = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, Ignored: 0, errors: 0 };
  for (const mutant of mutants) {
    if (STATUSES.includes(mutant.status)) counts[mutant.status]++;
    else counts.errors++;
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { ...counts, score: valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %` };
}

/** The 1-based line ranges of `source` marked as outside the contract. */
export function outsideContract(source) {
  const ranges = [];
  let start;
  source.split('\n').forEach((line, index) => {
    if (start === undefined && /\/\/ kit scope: outside the contract/.test(line)) start = index + 1;
    else if (start !== undefined && /\/\/ kit scope: end/.test(line)) {
      ranges.push([start, index + 1]);
      start = undefined;
    }
  });
  if (start !== undefined) ranges.push([start, Number.POSITIVE_INFINITY]);
  return ranges;
}

/**
 * What the kit's run mutates: every source file but index.ts, as Stryker
 * line ranges that skip the regions outside the contract (mutants there
 * would each cost a whole run of the kit, to no purpose for its score).
 */
export function contractRanges(adapterDir) {
  const patterns = [];
  for (const name of readdirSync(resolve(adapterDir, 'src')).sort()) {
    if (!name.endsWith('.ts') || name === 'index.ts') continue;
    const source = readFileSync(resolve(adapterDir, 'src', name), 'utf8');
    const lines = source.split('\n').length;
    let from = 1;
    for (const [start, end] of outsideContract(source)) {
      if (start > from) patterns.push(`src/${name}:${from}-${start - 1}`);
      from = end + 1;
    }
    if (from <= lines) patterns.push(`src/${name}:${from}-${lines}`);
  }
  return patterns;
}

/** Every mutant of a Stryker JSON report, each with `outside` set when it lies in a region outside the contract. */
export function mutantsOf(report, adapterDir) {
  const mutants = [];
  for (const [fileName, file] of Object.entries(report.files)) {
    const ranges = outsideContract(file.source ?? readFileSync(resolve(adapterDir, fileName), 'utf8'));
    for (const mutant of file.mutants) {
      const line = mutant.location.start.line;
      mutants.push({ ...mutant, fileName, outside: ranges.some(([from, to]) => line >= from && line <= to) });
    }
  }
  return mutants;
}

/** The rows a run prints: every mutant, and for the kit suite the contract's code alone. */
export function scoreRows(report, adapterDir, suite) {
  const mutants = mutantsOf(report, adapterDir);
  const rows = [{ scope: 'all source', ...score(mutants) }];
  if (suite === 'kit') {
    const outside = mutants.filter((mutant) => mutant.outside).length;
    rows.push({ scope: `contract (${outside} outside)`, ...score(mutants.filter((mutant) => !mutant.outside)) });
  }
  return rows;
}

export function formatRows(results) {
  const lines = ['adapter   suite  scope                  killed  survived  no cover  timeout  errors  ignored  score'];
  for (const r of results) {
    lines.push(
      `${r.adapter.padEnd(9)} ${r.suite.padEnd(6)} ${r.scope.padEnd(21)} ${String(r.Killed).padStart(6)}  ${String(r.Survived).padStart(8)}  ${String(r.NoCoverage).padStart(8)}  ${String(r.Timeout).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.Ignored).padStart(7)}  ${r.score}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/mutation/mutation-score.mjs packages/<adapter>/reports/mutation/<suite>.json');
    process.exit(2);
  }
  const adapterDir = resolve(dirname(file), '../..');
  const suite = /own\.json$/.test(file) ? 'own' : 'kit';
  const adapter = adapterDir.split('/').at(-1);
  const rows = scoreRows(JSON.parse(readFileSync(file, 'utf8')), adapterDir, suite).map((row) => ({ adapter, suite, ...row }));
  console.log(formatRows(rows));
}
