// Shows, with one writer and no concurrency, why Emmett SQLite cannot run the
// "racing with expect" scenario: an append refused for a stale expected
// version still moves the stream's position, so the stream's true version is
// refused from then on. Run after a build: node dist/emmett-sqlite-stale-append.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emmettEvent } from './emmett-contenders.js';
import { openEmmettSqlite } from './emmett-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'hume-emmett-stale-'));
const emmett = await openEmmettSqlite(join(dir, 'emmett.db'), 'FULL');
const attempt = async (expected: bigint): Promise<string> => {
  try {
    const { nextExpectedStreamVersion } = await emmett.store.appendToStream('s', [emmettEvent], { expectedStreamVersion: expected });
    return `stored, version ${nextExpectedStreamVersion}`;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
};
try {
  for (const expected of [0n, 1n, 2n]) console.log(`append expecting ${expected}: ${await attempt(expected)}`);
  console.log(`append expecting 1 (stale): ${await attempt(1n)}`);
  const { currentStreamVersion, events } = await emmett.store.readStream('s');
  console.log(`read: version ${currentStreamVersion}, ${events.length} events`);
  console.log(`append expecting ${currentStreamVersion} (the version just read): ${await attempt(currentStreamVersion)}`);
} finally {
  emmett.close();
  rmSync(dir, { recursive: true, force: true });
}
