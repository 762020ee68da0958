import { NotRun } from './not-run.js';
import type { Contender, Notes, Scenario } from './scenario.js';

export interface ContenderResult {
  readonly name: string;
  /** Median ops per second over the rounds. */
  readonly opsPerSecond: number;
  /** The middle half of the rounds (first to third quartile), ops per second: how much the machine moved. */
  readonly middleHalf: readonly [number, number];
  readonly roundsOpsPerSecond: readonly number[];
  /** What else the contender measured: peak RSS, retries. */
  readonly notes?: Notes;
}

export interface RatioResult {
  readonly numerator: string;
  readonly denominator: string;
  readonly ratio: number;
  readonly min?: number;
  readonly max?: number;
  readonly met: boolean;
}

export interface ScenarioResult {
  readonly name: string;
  readonly unit: string;
  readonly ops: number;
  readonly contenders: readonly ContenderResult[];
  readonly ratios: readonly RatioResult[];
  readonly notes?: Notes;
}

/**
 * Runs a scenario: set up every contender, one untimed warm-up round each,
 * then `rounds` timed rounds interleaved, each round in a rotated order
 * (A B C, B C A, …), reversed after a cycle ({@link turnOrder}); medians and ratios. A contender that throws NotRun (a
 * peer whose child process died) is dropped from the remaining rounds, the
 * others going on in the same order; it gets no figure, its ratios are left
 * out, and the scenario's notes say why under its name.
 */
export async function runScenario(scenario: Scenario, onRound?: (done: number, total: number) => void): Promise<ScenarioResult> {
  const { contenders, rounds, ops } = scenario;
  /** Why each dropped contender is not run, by index. */
  const dropped = new Map<number, string>();
  const orDrop = async (index: number, when: string, step: () => Promise<void> | undefined): Promise<void> => {
    try {
      await step();
    } catch (error) {
      if (!(error instanceof NotRun)) throw error;
      if (!dropped.has(index)) dropped.set(index, `not run: ${error.message} (${when})`);
    }
  };
  const tearDown = async (): Promise<void> => {
    // Every contender, dropped ones included: a dropped peer's child process still has to be ended.
    for (const [index, contender] of contenders.entries()) await orDrop(index, 'in its teardown', () => contender.teardown?.());
  };
  for (const [index, contender] of contenders.entries()) await orDrop(index, 'in its setup', () => contender.setup?.());
  let tornDown = false;
  try {
    for (const [index, contender] of contenders.entries()) {
      if (!dropped.has(index)) await orDrop(index, 'in its warm-up round', () => contender.run(Math.max(1, Math.floor(ops / 10))));
    }
    const samples = contenders.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < contenders.length; turn++) {
        const index = turnOrder(round, turn, contenders.length);
        const contender = contenders[index] as Contender;
        if (!dropped.has(index)) {
          globalThis.gc?.();
          const started = process.hrtime.bigint();
          await orDrop(index, `in round ${round + 1} of ${rounds}`, () => contender.run(ops));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          // A round it was dropped in gives no figure: not a partial one.
          if (!dropped.has(index)) samples[index]?.push(ops / seconds);
        }
        onRound?.(round * contenders.length + turn + 1, rounds * contenders.length);
      }
    }
    tornDown = true;
    await tearDown();
    const results: ContenderResult[] = [];
    for (const [index, contender] of contenders.entries()) {
      if (dropped.has(index)) continue;
      const rounds = samples[index] ?? [];
      const notes = await contender.notes?.();
      results.push({
        name: contender.name,
        opsPerSecond: quantile(rounds, 0.5),
        middleHalf: [quantile(rounds, 0.25), quantile(rounds, 0.75)],
        roundsOpsPerSecond: rounds,
        ...(notes ? { notes } : {}),
      });
    }
    const byName = new Map(results.map((result) => [result.name, result.opsPerSecond]));
    const notRun = new Map([...dropped].map(([index, reason]) => [contenders[index]?.name ?? '', reason]));
    const ratios = (scenario.targets ?? [])
      .filter((target) => !notRun.has(target.numerator) && !notRun.has(target.denominator))
      .map((target) => {
        const ratio = (byName.get(target.numerator) ?? Number.NaN) / (byName.get(target.denominator) ?? Number.NaN);
        const met = (target.min === undefined || ratio >= target.min) && (target.max === undefined || ratio <= target.max);
        return { ...target, ratio, met };
      });
    const scenarioNotes = await scenario.notes?.();
    const notes = notRun.size === 0 ? scenarioNotes : { ...scenarioNotes, ...Object.fromEntries(notRun) };
    return { name: scenario.name, unit: scenario.unit, ops, contenders: results, ratios, ...(notes ? { notes } : {}) };
  } finally {
    if (!tornDown) await tearDown();
  }
}

/** The `q` quantile of `values`, interpolated between the two nearest (q = 0.5: the median). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const below = sorted[Math.floor(at)] as number;
  const above = sorted[Math.ceil(at)] as number;
  return below + (above - below) * (at - Math.floor(at));
}

/**
 * Which contender runs at `turn` of `round`. Each round starts one contender
 * later (A B C, B C A, C A B), so that whatever one contender's work leaves
 * the server or disk to do afterwards (a flush, an autovacuum) falls on every
 * other in turn; after as many rounds as contenders the order reverses
 * (C B A, B A C, A C B), because rotation alone has each contender follow
 * the same one nearly every time: in the PostgreSQL feed's catch-up the
 * adapter always followed Message DB, which reads another table of a million
 * rows out of the server's buffers, while raw pg followed the adapter over
 * the same pages (0.56 then; 0.80 once two contenders more changed who
 * followed whom).
 *
 * @example
 * ```ts
 * [0, 1, 2].map((turn) => turnOrder(3, turn, 3)); // [2, 1, 0]
 * ```
 */
export function turnOrder(round: number, turn: number, contenders: number): number {
  const index = (round + turn) % contenders;
  return Math.floor(round / contenders) % 2 === 1 ? contenders - 1 - index : index;
}
