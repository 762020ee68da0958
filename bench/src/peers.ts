// Builds the native modules of the benchmark's peers that `pnpm install`
// leaves unbuilt (today sqlite3, for Emmett SQLite), when they do not load
// yet. `pnpm bench` runs it before the benchmarks; `pnpm bench:peers` alone.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sqlite3Folder, sqlite3Missing } from './native-peers.js';

const usage = `Usage: node dist/peers.js [--optional] [--help]

Builds sqlite3 (node-sqlite3, the native module of the benchmark's Emmett
SQLite contender) when it does not load: pnpm install leaves it unbuilt. Its
install script fetches a prebuilt binary or, where none can be fetched,
compiles it from source (about two minutes; needs Python 3, make and a C++
compiler). Does nothing when it already loads. Exits 1 when the build fails;
with --optional it warns and exits 0 (pnpm bench then runs without Emmett
SQLite and says so).`;

function parse(): { help: boolean; optional: boolean } {
  try {
    return parseArgs({
      options: { help: { type: 'boolean', short: 'h', default: false }, optional: { type: 'boolean', default: false } },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message} (--help prints the usage)`);
    process.exit(2);
  }
}

const { help, optional } = parse();
if (help) {
  console.log(usage);
  process.exit(0);
}
const missing = sqlite3Missing();
if (missing === undefined) process.exit(0);
const folder = sqlite3Folder();
console.error(`Building sqlite3 for the benchmark's Emmett SQLite contender (${missing}); about two minutes if it compiles…`);
const started = Date.now();
// npm runs the package's own install script, as an install with builds allowed would.
const child = spawn('npm', ['run', 'install'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
const output: string[] = [];
child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
const code = await new Promise<number | null>((resolve) => {
  child.on('error', (error) => {
    output.push(String(error));
    resolve(1);
  });
  child.on('close', resolve);
});
// A fresh process, so that nothing cached from the failed load above decides.
const bench = fileURLToPath(new URL('..', import.meta.url));
const loads = spawnSync(process.execPath, ['-e', "require('sqlite3')"], { cwd: bench, stdio: 'ignore' }).status === 0;
if (code !== 0 || !loads) {
  console.error(output.join('').split('\n').slice(-30).join('\n'));
  console.error(
    `sqlite3 could not be built in ${folder} (npm run install exited ${code}). Install Python 3, make and a C++ compiler and run pnpm bench:peers again; until then pnpm bench runs without Emmett SQLite.`,
  );
  process.exit(optional ? 0 : 1);
}
console.error(`sqlite3 built in ${Math.round((Date.now() - started) / 1000)} s.`);
