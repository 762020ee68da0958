// What a run ran on, printed at the top and kept in --json, so that figures
// are never read without the machine and versions they came from.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** The packages whose versions a reader needs to rerun the comparison. */
const packages = [
  '@hume/memory',
  '@hume/sqlite',
  '@hume/postgres',
  'better-sqlite3',
  'pg',
  '@event-driven-io/emmett',
  '@event-driven-io/emmett-postgresql',
  '@event-driven-io/emmett-sqlite',
  '@event-driven-io/pongo',
  'sqlite3',
] as const;

export interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly versions: Readonly<Record<string, string>>;
}

export function describeMachine(): Machine {
  const versions: Record<string, string> = {};
  for (const name of packages) {
    try {
      const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
      versions[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return {
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    versions,
  };
}
