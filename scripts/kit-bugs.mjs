// Injects realistic bugs, one at a time, into the built SQLite and PostgreSQL
// adapters (their dist/), runs the adapter's conformance suite against each,
// and says which the kit caught. Restores every file it touched, whatever
// happens. Not part of `pnpm test`: a full run takes minutes per bug.
//
//   node scripts/kit-bugs.mjs                      every bug once, whole conformance suite
//   node scripts/kit-bugs.mjs --only sqlite-begin-deferred --grep C2.5-appends-racing --repeat 100
//   node scripts/kit-bugs.mjs --list
//
// Build first (pnpm build): the suites import the built packages.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { bugs } from './kit-bugs/bugs.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const usage = `Usage: node scripts/kit-bugs.mjs [--only <bug>]... [--grep <regexp>] [--repeat <n>] [--own-tests] [--list]

Injects realistic bugs, one at a time, into the built SQLite and PostgreSQL adapters
(pnpm build first), runs the adapter's conformance suite against each (or, with
--own-tests, the adapter's own tests) and says which the kit caught.

  --only <bug>      only this bug (repeatable; --list names them)
  --grep <regexp>   only the cases whose name matches (vitest -t)
  --repeat <n>      run each bug n times and print its catch rate (default 1)
  --list            list the bugs and exit

Example: node scripts/kit-bugs.mjs --only sqlite-begin-deferred --grep C2.5-appends-racing --repeat 100`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      grep: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      list: { type: 'boolean', default: false },
      'own-tests': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`kit-bugs: ${error instanceof Error ? error.message : String(error)} (--help prints the usage)`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

if (values.list) {
  for (const bug of bugs) console.log(`${bug.id.padEnd(44)} ${bug.what}`);
  process.exit(0);
}

const chosen = values.only ? bugs.filter((bug) => values.only.includes(bug.id)) : bugs;
if (chosen.length === 0) throw new Error(`no bug named ${values.only?.join(', ')}; see --list`);
const repeat = Number(values.repeat);

/** Applies the bug's edits; returns a function that restores the files. */
function inject(bug) {
  const originals = new Map();
  try {
    for (const [file, find, replace] of bug.edits) {
      const path = `${root}packages/${bug.adapter}/dist/${file}`;
      const text = originals.get(path) ?? readFileSync(path, 'utf8');
      if (!originals.has(path)) originals.set(path, text);
      const current = readFileSync(path, 'utf8');
      if (!current.includes(find)) throw new Error(`bug ${bug.id}: ${file} no longer contains ${JSON.stringify(find)}`);
      writeFileSync(path, current.replace(find, replace));
    }
  } catch (error) {
    for (const [path, text] of originals) writeFileSync(path, text);
    throw error;
  }
  return () => {
    for (const [path, text] of originals) writeFileSync(path, text);
  };
}

function runSuite(bug) {
  const files = values['own-tests'] ? [] : ['test/conformance.test.ts'];
  const args = ['vitest', 'run', ...files, ...(values['own-tests'] ? ['--exclude', 'test/conformance.test.ts'] : [])];
  const grep = values.grep ?? bug.grep;
  if (grep) args.push('-t', grep);
  const run = spawnSync('npx', args, {
    cwd: `${root}packages/${bug.adapter}`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const failed = [...stripVTControlCharacters(run.stdout ?? '').matchAll(/×\s+(?:MUST|SHOULD)?\s*(C\d+\.\d+-[a-z0-9-]+)/g)].map(
    (m) => m[1],
  );
  return { caught: run.status !== 0, failed: [...new Set(failed)] };
}

let caught = 0;
const lines = [];
for (const bug of chosen) {
  let hits = 0;
  let failedCases = [];
  for (let run = 0; run < repeat; run++) {
    const restore = inject(bug);
    try {
      const outcome = runSuite(bug);
      if (outcome.caught) hits++;
      failedCases = [...new Set([...failedCases, ...outcome.failed])];
    } finally {
      restore();
    }
  }
  if (hits > 0) caught++;
  const line = `${hits === repeat ? 'caught ' : hits > 0 ? 'partly ' : 'MISSED '} ${String(hits).padStart(3)}/${repeat}  ${bug.id}${failedCases.length ? `  (${failedCases.slice(0, 4).join(', ')}${failedCases.length > 4 ? ', …' : ''})` : ''}`;
  lines.push(line);
  console.log(line);
}
console.log(`\n${caught} of ${chosen.length} bugs caught by ${values['own-tests'] ? "the adapters' own tests" : 'the conformance suite'}`);
