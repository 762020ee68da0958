/** Extra figures a contender or scenario reports beside its speed (peak RSS, retries), kept in `--json`. */
export type Notes = Readonly<Record<string, number | string>>;

/** One way of doing a scenario's work: the raw driver, one of our adapters, or a peer. */
export interface Contender {
  readonly name: string;
  /** Runs before the first round (create tables, open connections, fill streams). */
  setup?(): Promise<void>;
  /** Does `ops` operations. Timed. */
  run(ops: number): Promise<void>;
  /** Runs after the last round. */
  teardown?(): Promise<void>;
  /** Read after teardown: what else this contender measured (retries, peak RSS). */
  notes?(): Notes | Promise<Notes>;
}

/** A ratio between two contenders' throughput to print, with the target the issues set for it (if any). */
export interface RatioTarget {
  /** `numerator / denominator` is printed, e.g. adapter / raw. */
  readonly numerator: string;
  readonly denominator: string;
  /** The ratio must be at least this (throughput), or at most `max` (cost); with neither it is printed for information only. */
  readonly min?: number;
  readonly max?: number;
}

/** A unit of comparison: the same work, done by each contender in turn. */
export interface Scenario {
  readonly name: string;
  /** What one op is, for the printout: "append", "event read". */
  readonly unit: string;
  /** Ops per timed round. */
  readonly ops: number;
  /** Timed rounds per contender; they interleave (A B C, B C A, C A B …) so drift hits all alike. */
  readonly rounds: number;
  readonly contenders: readonly Contender[];
  readonly targets?: readonly RatioTarget[];
  /** Read after every contender's teardown: figures about the scenario as a whole (settings, sizes). */
  notes?(): Notes | Promise<Notes>;
}

/** A group of scenarios sharing setup, e.g. everything SQLite. */
export interface Suite {
  readonly name: string;
  /** Runs only when `--only` names it (a long scenario kept out of the default and smoke runs). */
  readonly optIn?: boolean;
  scenarios(options: SuiteOptions): Promise<readonly Scenario[]>;
  /** Releases what the suite's scenarios share (a server, a temp folder). */
  close?(): Promise<void>;
}

export interface SuiteOptions {
  /** Tiny sizes: proves the harness runs, measures nothing. */
  readonly smoke: boolean;
  /** Leave out the peers whose native module `pnpm install` does not build (Emmett SQLite), even when built. */
  readonly skipNativePeers?: boolean;
  /** --scale: suites whose size is not in appends per round (the feed's) scale their data by it. */
  readonly scale?: number;
}
