// Mutation testing of the SQL adapters with StrykerJS: mutates @hume/sqlite's
// and @hume/postgres's sources and runs, for each, the conformance suite
// alone (the kit's score) and then the adapter's own tests, and prints both
// scores. Not part of `pnpm test`: every mutant reruns a suite.
//
//   pnpm mutation                                   both adapters, both suites, every source file
//   pnpm mutation --adapter sqlite --suite kit --mutate src/sqlite-statements.ts
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const usage = `Usage: pnpm mutation [--adapter sqlite|postgres]... [--suite kit|own]... [--mutate <glob>]...

Mutates the adapters' sources with StrykerJS and runs the conformance suite
alone (suite "kit", the kit's score) and the adapter's own tests (suite "own"),
then prints the mutation score of each run. Equivalent mutants are disabled in
the source with a reason (// Stryker disable next-line …) and count as ignored.

  --adapter <name>   sqlite or postgres (repeatable; default both)
  --suite <name>     kit or own (repeatable; default both)
  --mutate <glob>    only these files, relative to the adapter (repeatable;
                     default src/**/*.ts but index.ts), e.g. src/sqlite-statements.ts

Reports: packages/<adapter>/reports/mutation/<suite>.json (and on stdout).
Example: pnpm mutation --adapter sqlite --suite kit --mutate src/sqlite-statements.ts`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      adapter: { type: 'string', multiple: true },
      suite: { type: 'string', multiple: true },
      mutate: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`mutation: ${error instanceof Error ? error.message : String(error)} (--help prints the usage)`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const adapters = values.adapter ?? ['sqlite', 'postgres'];
const suites = values.suite ?? ['kit', 'own'];
for (const [name, given, allowed] of [
  ['--adapter', adapters, ['sqlite', 'postgres']],
  ['--suite', suites, ['kit', 'own']],
]) {
  const unknown = given.find((value) => !allowed.includes(value));
  if (unknown !== undefined) {
    console.error(`mutation: ${name} ${unknown} is not one of ${allowed.join(', ')} (--help prints the usage)`);
    process.exit(2);
  }
}

const stryker = fileURLToPath(new URL('../node_modules/@stryker-mutator/core/bin/stryker.js', import.meta.url));
const results = [];
for (const adapter of adapters) {
  const cwd = `${root}packages/${adapter}`;
  for (const suite of suites) {
    const args = [stryker, 'run', '../../stryker.config.mjs'];
    if (values.mutate) args.push('--mutate', values.mutate.join(','));
    console.log(`\n== @hume/${adapter}, suite ${suite}: node ${args.slice(1).join(' ')}`);
    const run = spawnSync(process.execPath, args, { cwd, stdio: 'inherit', env: { ...process.env, HUME_MUTATION_SUITE: suite } });
    const report = `${cwd}/reports/mutation/${suite}.json`;
    if (run.status !== 0 || !existsSync(report)) {
      console.error(`mutation: Stryker failed for @hume/${adapter} (${suite}), exit ${run.status}`);
      process.exitCode = 1;
      continue;
    }
    results.push({ adapter, suite, ...score(JSON.parse(readFileSync(report, 'utf8'))) });
  }
}

console.log('\nadapter   suite  killed  survived  no cover  timeout  errors  ignored  score');
for (const r of results) {
  console.log(
    `${r.adapter.padEnd(9)} ${r.suite.padEnd(6)} ${String(r.Killed).padStart(6)}  ${String(r.Survived).padStart(8)}  ${String(r.NoCoverage).padStart(8)}  ${String(r.Timeout).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.Ignored).padStart(7)}  ${r.score}`,
  );
}

/**
 * Stryker's mutation score: detected (killed or timed out) over valid mutants
 * (detected, survived, not covered); compile and runtime errors and ignored
 * (equivalent) mutants are left out, as Stryker's own report does.
 */
function score(report) {
  const counts = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, Ignored: 0, errors: 0 };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      if (mutant.status in counts) counts[mutant.status]++;
      else counts.errors++;
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { ...counts, score: valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %` };
}
