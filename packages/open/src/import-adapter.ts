import { HumeError } from '@hume/core';

/**
 * Imports an adapter package on demand. Adapters are optional peers of
 * @hume/open: an app that only opens `sqlite:` URLs installs @hume/sqlite
 * and its driver, nothing else. A missing package becomes an
 * `INVALID_MODULE` error that says what to install.
 *
 * @example
 * ```ts
 * const { SqliteEventStore } = await importAdapter<typeof import('@hume/sqlite')>('@hume/sqlite', ['@hume/sqlite', 'better-sqlite3'], 'sqlite:');
 * ```
 */
export async function importAdapter<M>(name: string, install: readonly string[], scheme: string): Promise<M> {
  try {
    return (await import(name)) as M;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String((error as Error).message))?.[1] ?? name;
    throw new HumeError(
      'INVALID_MODULE',
      `opening ${scheme} URLs needs ${install.join(' and ')}, but ${missing} is not installed: run \`npm install ${install.join(' ')}\``,
      { cause: error },
    );
  }
}
