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
import { contractRanges, formatRows, scoreRows } from './mutation/mutation-score.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const usage = `Usage: pnpm mutation [--adapter sqlite|postgres]... [--suite kit|own]... [--mutate <glob>]... [--concurrency <n>]

Mutates the adapters' sources with StrykerJS and runs the conformance suite
alone (suite "kit", the kit's score) and the adapter's own tests (suite "own"),
then prints the mutation score of each run. Equivalent mutants are disabled in
the source with a reason (// Stryker disable next-line …) and count as ignored.

  --adapter <name>   sqlite or postgres (repeatable; default both)
  --suite <name>     kit or own (repeatable; default both)
  --mutate <glob>    only these files, relative to the adapter (repeatable;
                     default src/**/*.ts but index.ts), e.g. src/sqlite-statements.ts;
                     in the kit's run a file named whole loses its regions
                     outside the contract, as in the default run
  --concurrency <n>  test runners at once (default 1; each runs the suite, with
                     its own PostgreSQL server for @hume/postgres)

The kit suite mutates the contract's code alone: regions marked
"// kit scope: outside the contract — <why>" (the adapter's own options,
Citus placement, …) are left to the own suite (scripts/mutation/mutation-score.mjs). Each mutant's outcome is logged as it is
tested in packages/<adapter>/reports/mutation/<suite>.log.

Reports: packages/<adapter>/reports/mutation/<suite>.json (and on stdout).
Example: pnpm mutation --adapter sqlite --suite kit --mutate src/sqlite-statements.ts`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      adapter: { type: 'string', multiple: true },
      suite: { type: 'string', multiple: true },
      mutate: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
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

/** A file named whole (`src/x.ts`) becomes its contract's line ranges (none when it is all outside); globs and ranges pass as given. */
function withinContract(patterns, cwd) {
  const ranges = contractRanges(cwd);
  return patterns.flatMap((pattern) =>
    /^src\/[\w.-]+\.ts$/.test(pattern) && existsSync(`${cwd}/${pattern}`)
      ? ranges.filter((range) => range.startsWith(`${pattern}:`))
      : [pattern],
  );
}

const stryker = fileURLToPath(new URL('../node_modules/@stryker-mutator/core/bin/stryker.js', import.meta.url));
const results = [];
for (const adapter of adapters) {
  const cwd = `${root}packages/${adapter}`;
  for (const suite of suites) {
    const args = [stryker, 'run', '../../stryker.config.mjs'];
    // The kit's run skips the regions outside the contract; the adapter's own tests get every line.
    if (values.mutate) args.push('--mutate', (suite === 'kit' ? withinContract(values.mutate, cwd) : values.mutate).join(','));
    else if (suite === 'kit') args.push('--mutate', contractRanges(cwd).join(','));
    if (values.concurrency) args.push('--concurrency', values.concurrency);
    console.log(`\n== @hume/${adapter}, suite ${suite}: node ${args.slice(1).join(' ')}`);
    const run = spawnSync(process.execPath, args, { cwd, stdio: 'inherit', env: { ...process.env, HUME_MUTATION_SUITE: suite } });
    const report = `${cwd}/reports/mutation/${suite}.json`;
    if (run.status !== 0 || !existsSync(report)) {
      console.error(`mutation: Stryker failed for @hume/${adapter} (${suite}), exit ${run.status}`);
      process.exitCode = 1;
      continue;
    }
    for (const row of scoreRows(JSON.parse(readFileSync(report, 'utf8')), cwd, suite)) results.push({ adapter, suite, ...row });
  }
}

console.log(`\n${formatRows(results)}`);
