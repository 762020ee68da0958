// kit scope: outside the contract — the live feeds' wake-up across connections and processes, latency only: a live feed that hears nothing looks again on its own timer (every 250 ms behind the watch), the contract does not time delivery, and the benchmark's live-delivery rows measure it; the adapter's tests check that the watch wakes feeds (test/feed-wake.test.ts)
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Calls `changed` when the write-ahead log of the database file `file` may
 * have been written (a commit of another connection or process writes its
 * frames there), at most once per turn of the event loop however many
 * writes a commit makes. It watches the file's directory, not the log
 * itself, which SQLite may delete and create again. Returns the function
 * that stops watching, or `undefined` when no watch can be made (`fs.watch`
 * throws: no watches left, no such folder, a platform without them): the
 * caller then polls as often as before. A watch made may still stay silent
 * (a folder deleted, a file system that does not report other hosts'
 * writes): it only ever shortens a poll, never replaces it.
 *
 * @example
 * ```ts
 * const stop = watchWal('/data/events.db', () => console.log('the log was written'));
 * stop?.();
 * ```
 */
export function watchWal(file: string, changed: () => void): (() => void) | undefined {
  const path = resolve(file);
  const wal = `${basename(path)}-wal`;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    changed();
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(path), (_event, name) => {
      // Some platforms give no name: any change may be the log's.
      if (scheduled || (name !== null && name !== wal)) return;
      scheduled = true;
      setImmediate(flush);
    });
  } catch {
    return undefined; // no watches left (ENOSPC), no such directory, a platform without them: poll alone
  }
  // A watch that fails later is closed; polling goes on. (A deleted folder, on Linux, just goes silent.)
  watcher.on('error', () => watcher.close());
  return () => watcher.close();
}
// kit scope: end
