#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkTargetStore } from './check-target-store.js';
import { resolveOptions } from './conformance-options.js';
import { formatReport } from './conformance-report.js';
import { formatJUnit } from './format-junit.js';
import { loadTarget, TargetModuleError } from './load-target.js';
import { runConformance } from './run-conformance.js';
import { selectCases } from './select-cases.js';

const usage = `Usage: hume-conformance <module> [--json] [--grep <pattern>] [--timeout <ms>] [--long-stream <n>] [--name <name>] [--cwd <dir>] [--seed <n>] [--fuzz-runs <n>] [--junit <file>]

Runs the Hume conformance kit against the event store that <module> exports
(by default, or as \`target\`): a function that returns a store, or an object
{ create, dispose?, fault?, interrupt?, reopen?, share? } (see the README).
<module> must be JavaScript that Node can import: compile TypeScript first.
--grep takes a regular expression, matched against case ids and titles.
--cwd is the folder <module> is resolved from (default: the current one).
--seed replays the seeded cases of an earlier run (its report prints the seed).
--fuzz-runs sets the generated inputs per fuzzing case (default 50; raise it for a long run).
--junit also writes the report as JUnit XML, for CI systems.
Exits 1 when a MUST case fails, 2 on a usage error.`;

// Until a report says otherwise: a run that ends early (a promise nothing will settle) must not look like a pass.
process.exitCode = 1;

async function main(): Promise<number> {
  const { values, positionals } = parse();
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [specifier] = positionals;
  if (specifier === undefined || positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const numberOption = (value: string | undefined, flag: string): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed <= 0)
      throw new UsageError(`--${flag} must be a positive integer (got ${JSON.stringify(value)})`);
    return parsed;
  };
  const timeoutMs = numberOption(values.timeout, 'timeout');
  const longStream = numberOption(values['long-stream'], 'long-stream');
  const seed = numberOption(values.seed, 'seed');
  const fuzzRuns = numberOption(values['fuzz-runs'], 'fuzz-runs');
  const grep = values.grep;
  if (grep !== undefined && selectCases({ grep }).length === 0) throw new UsageError(`--grep ${JSON.stringify(grep)} selects no case`);
  const target = await loadTarget(specifier, values.cwd ?? process.cwd());
  // One message for a store that lacks append or events, instead of every case failing for that reason.
  const problem = await checkTargetStore(target, timeoutMs ?? resolveOptions().timeoutMs);
  if (problem !== undefined) throw new TargetModuleError(`${specifier}: ${problem}`);
  const report = await runConformance(target, {
    name: values.name ?? specifier,
    ...(grep === undefined ? {} : { grep }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(longStream === undefined ? {} : { longStream }),
    ...(seed === undefined ? {} : { seed }),
    ...(fuzzRuns === undefined ? {} : { fuzzRuns }),
  });
  if (values.junit !== undefined) await writeFile(resolve(values.cwd ?? process.cwd(), values.junit), formatJUnit(report));
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly withUsage = true,
  ) {
    super(message);
  }
}

/** The flags, or a one-line UsageError for an unknown flag or a missing value. */
function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        grep: { type: 'string' },
        timeout: { type: 'string' },
        'long-stream': { type: 'string' },
        name: { type: 'string' },
        cwd: { type: 'string' },
        seed: { type: 'string' },
        'fuzz-runs': { type: 'string' },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (--help prints the usage)`, false);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(error.withUsage ? `${error.message}\n\n${usage}` : error.message);
    else if (error instanceof TargetModuleError) console.error(error.message);
    else console.error(error);
    process.exitCode = 2;
  },
);
