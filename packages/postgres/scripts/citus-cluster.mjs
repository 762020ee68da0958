// A throwaway Citus cluster for tests and benchmarks: a coordinator and two workers of the
// machine's PostgreSQL 15 on free loopback ports in a temp folder, started by the shared
// `cluster.sh` (which `install.sh`, beside it, provides Citus for). Citus is a test server only,
// never a dependency of a package. The shared scripts are found in $HUME_CITUS_SCRIPTS, else
// <repo>/../shared/citus, else /work/shared/citus; none of them is an error, never a skip.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const bin = '/usr/lib/postgresql/15/bin';
const citusLibrary = '/usr/lib/postgresql/15/lib/citus.so';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The places the shared scripts are looked for, in order. */
export function citusScriptPlaces() {
  return [process.env.HUME_CITUS_SCRIPTS, join(repo, '..', 'shared', 'citus'), '/work/shared/citus'].filter(
    (folder) => typeof folder === 'string' && folder !== '',
  );
}

/** The folder of the shared `install.sh` and `cluster.sh`. Throws, naming every place tried, when none has them. */
export function citusScripts(places = citusScriptPlaces()) {
  const tried = places;
  const found = tried.find((folder) => existsSync(join(folder, 'cluster.sh')) && existsSync(join(folder, 'install.sh')));
  if (found === undefined) {
    throw new Error(`no Citus scripts (install.sh and cluster.sh) in any of: ${tried.join(', ')}; set HUME_CITUS_SCRIPTS to their folder`);
  }
  return found;
}

/** Installs Citus into the machine's PostgreSQL 15 through the shared install.sh when it is missing (root only, about 3 minutes). */
export function ensureCitus() {
  if (existsSync(citusLibrary)) return;
  if (process.getuid?.() !== 0) throw new Error(`Citus is not installed (${citusLibrary} is missing) and installing it needs root`);
  const install = join(citusScripts(), 'install.sh');
  console.error(`[citus] installing Citus with ${install} (about 3 minutes)`);
  const run = spawnSync('bash', [install], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${install} failed (${run.status ?? run.signal})`);
  if (!existsSync(citusLibrary)) throw new Error(`${install} ended without installing ${citusLibrary}`);
}

/** @param {import('./citus-cluster.mjs').StartCitusOptions} [options] */
export async function startCitusCluster(options = {}) {
  ensureCitus();
  const scripts = citusScripts();
  const spare = options.spareNodes ?? 0;
  const root = mkdtempSync(join(tmpdir(), 'hume-citus-'));
  // cluster.sh runs the servers as the OS user postgres, who must reach the folder inside.
  chmodSync(root, 0o755);
  const dir = join(root, 'cluster');
  const cluster = join(scripts, 'cluster.sh');
  const stopNow = () => {
    spawnSync('bash', [cluster, 'stop', dir], { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  // A last resort if the process exits without calling stop().
  process.on('exit', stopNow);
  try {
    const port = await freePorts(3 + spare);
    const started = spawnSync('bash', [cluster, 'start', dir, String(port)], { encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`${cluster} start failed (${started.status ?? started.signal}): ${started.stderr}`);
    const url = started.stdout.trim().split('\n').at(-1) ?? '';
    let stopping;
    return {
      url,
      dir,
      coordinatorPort: port,
      workerPorts: [port + 1, port + 2],
      sparePorts: Array.from({ length: spare }, (_, index) => port + 3 + index),
      stop() {
        // Not spawnSync: a runner's main process (vitest's) must keep answering its workers meanwhile.
        stopping ??= new Promise((done) =>
          spawn('bash', [cluster, 'stop', dir], { stdio: 'ignore' }).once('exit', done).once('error', done),
        ).then(() => {
          rmSync(root, { recursive: true, force: true });
          process.off('exit', stopNow);
        });
        return stopping;
      },
    };
  } catch (error) {
    stopNow();
    process.off('exit', stopNow);
    throw error;
  }
}

/**
 * Starts (or restarts) the node of `port` in the cluster folder `dir`, with the settings cluster.sh
 * gives its nodes, creating it first when new, and resolves once it accepts connections. Gives up
 * after `withinMs`, throwing what pg_ctl said and the end of the node's log.
 * @param {string} dir @param {number} port @param {number} [withinMs]
 */
export async function startNode(dir, port, withinMs = 120_000) {
  const data = join(dir, `node-${port}`);
  if (!existsSync(data)) runAsPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust']);
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_preload_libraries=citus -c max_connections=300 -c wal_level=logical`;
  const deadline = performance.now() + withinMs;
  // A killed node's backends may outlive its postmaster for a moment (see killNode): end them, then
  // try again until it starts. A node already running is left as it is.
  while (!postmasterRuns(data)) {
    endProcessesIn(data);
    const left = Math.ceil((deadline - performance.now()) / 1000);
    try {
      runAsPostgres('pg_ctl', ['-D', data, '-l', `${data}.log`, '-w', '-t', String(Math.max(left, 5)), '-o', settings, 'start']);
      break;
    } catch (error) {
      if (performance.now() > deadline) {
        throw new Error(`node ${port} did not start within ${withinMs} ms: ${String(error?.stderr ?? error)}\n${logTail(`${data}.log`)}`);
      }
      await new Promise((done) => setTimeout(done, 500));
    }
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Running is not yet accepting connections when the node is still recovering.
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('CREATE EXTENSION IF NOT EXISTS citus');
      return url;
    } catch (error) {
      if (performance.now() > deadline)
        throw new Error(`node ${port} started but refused connections until ${withinMs} ms`, { cause: error });
      await new Promise((done) => setTimeout(done, 500));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Kills the node of `port` with SIGKILL, its postmaster and every backend, as a crashed machine
 * would go. Resolves to the postmaster's former PID.
 * @param {string} dir @param {number} port
 */
export function killNode(dir, port) {
  const data = join(dir, `node-${port}`);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  // Its children after it: every process working in the data folder, so that a backend forked while
  // the postmaster died is not left holding the shared memory a restart needs.
  endProcessesIn(data);
  return pid;
}

/** Whether the postmaster of `data`'s postmaster.pid is alive and working in `data`. */
function postmasterRuns(data) {
  try {
    const pid = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0];
    return workingFolder(pid) === realpathSync(data);
  } catch {
    return false;
  }
}

/** SIGKILLs every process whose working folder is `data` (a node's postmaster and backends) until none is left. */
function endProcessesIn(data) {
  const folder = realpathSync(data);
  for (let round = 0; round < 50; round++) {
    const left = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && workingFolder(entry) === folder);
    if (left.length === 0) return;
    for (const pid of left) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    spawnSync('sleep', ['0.1']);
  }
}

function workingFolder(pid) {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function logTail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

function runAsPostgres(program, args) {
  const command =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
  execFileSync(command[0], command[1], { stdio: 'pipe' });
}

/** The first of `count` consecutive free loopback ports. */
async function freePorts(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let port = first; port < first + count && free; port++) free = await portIsFree(port);
    if (free) return first;
  }
  throw new Error(`found no ${count} consecutive free loopback ports`);
}

function portIsFree(port) {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}
