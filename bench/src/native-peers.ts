// Emmett SQLite, one of the benchmark's peers, runs on sqlite3 (node-sqlite3),
// a native module that `pnpm install` leaves unbuilt (pnpm-workspace.yaml):
// where no prebuilt binary can be fetched it compiles from source, about two
// minutes, which a newcomer's first install should not pay for a benchmark
// peer. `pnpm bench` builds it first (dist/peers.js); a run without it leaves
// Emmett SQLite out and says why.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** How to build what is missing, for messages. */
export const BUILD_PEERS = 'pnpm bench:peers';

/**
 * Why sqlite3 cannot load here (first line of the loader's error), or
 * undefined when it loads.
 *
 * @example
 * ```ts
 * const missing = sqlite3Missing(); // 'Could not locate the bindings file. …' before pnpm bench:peers
 * ```
 */
export function sqlite3Missing(): string | undefined {
  try {
    require('sqlite3');
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
}

/** The folder of the installed sqlite3 package, whose install script builds its native module. */
export function sqlite3Folder(): string {
  return dirname(require.resolve('sqlite3/package.json'));
}
