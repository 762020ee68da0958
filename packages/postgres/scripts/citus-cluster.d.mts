export interface StartCitusOptions {
  /** Ports kept free after the cluster's three, for nodes a test adds later with `startNode`. Default 0. */
  readonly spareNodes?: number;
}

export interface CitusCluster {
  /** The coordinator's `postgres://postgres@127.0.0.1:PORT/postgres`, trust authentication, loopback only. */
  readonly url: string;
  /** The folder of the nodes' data (`node-PORT`), which `startNode` and `killNode` take. */
  readonly dir: string;
  readonly coordinatorPort: number;
  readonly workerPorts: readonly number[];
  /** Free ports reserved for added nodes (`spareNodes`). */
  readonly sparePorts: readonly number[];
  /** Stops every node of the folder (added ones too) and removes it. Idempotent. */
  stop(): Promise<void>;
}

/** Where the shared scripts are looked for, in order: $HUME_CITUS_SCRIPTS, <repo>/../shared/citus, /work/shared/citus. */
export function citusScriptPlaces(): string[];

/** The first of `places` (default {@link citusScriptPlaces}) holding install.sh and cluster.sh; throws, naming each place tried, when none does. */
export function citusScripts(places?: readonly string[]): string;

/** Installs Citus through the shared install.sh when it is missing. */
export function ensureCitus(): void;

/** Installs Citus when missing, then starts a coordinator and two workers on free ports in a temp folder. */
export function startCitusCluster(options?: StartCitusOptions): Promise<CitusCluster>;

/** Starts (or restarts) the node of `port` in `dir` with Citus loaded; resolves to its URL. Adding it to the cluster is the caller's. */
export function startNode(dir: string, port: number): Promise<string>;

/** Kills the node of `port` in `dir` with SIGKILL (postmaster and backends); returns the postmaster's former PID. */
export function killNode(dir: string, port: number): number;
