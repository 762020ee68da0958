import { jsonArrayParameter } from './json-array-parameter.js';
import { parseSeq } from './parse-seq.js';
import { type CommitUnits, compareCodePoints, type Unit, type UnitOutcome } from './postgres-group-commit.js';
import type { Statement, Statements } from './postgres-statements.js';

/**
 * Runs one prepared statement (with the store's retries and error mapping); resolves to its rows as text arrays.
 * `continuesFrom` (`performance.now()` when the call began) marks a call's second statement, which is sent
 * even once the store is closing and waits only for what is left of the call's time.
 */
export type RunStatement = (
  operation: string,
  statement: Statement,
  values: unknown[],
  continuesFrom?: number,
) => Promise<{ readonly rows: (string | null)[][] }>;

/**
 * The statement behind a group commit: a lone append without expect is
 * the 1.0 counter CTE, a lone unit with an expect of 1 or more (an append
 * or a batch) a CTE that stores only at that seq (or `append` when the
 * CTE cannot tell the actual seq); otherwise units on one stream call the
 * schema's `append` function (one routable call per stream), units on
 * several streams its `append_all`, or, when none has an expect, one
 * set-based statement (two writes for the whole group rather than two per
 * stream), a leaner one still when each stream has one event. Expects
 * travel as NULL altogether when no unit has one, which takes the
 * function's path without a row lock read. With `citus`, every
 * statement is a call of `append` on one stream, the lone append's too
 * (Citus pulls the CTE to the coordinator but pushes the call down to the
 * stream's worker); the group commit then never mixes streams. Payloads
 * go as one binary `json[]` parameter ({@link jsonArrayParameter}).
 *
 * @example
 * ```ts
 * const group = new GroupCommit(commitUnitsWith(run, statementsFor(options)), limits);
 * ```
 */
// Stryker disable next-line BooleanLiteral: the default of option citus, placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
export function commitUnitsWith(run: RunStatement, sql: Statements, citus = false): CommitUnits {
  return async (units: readonly Unit[]): Promise<UnitOutcome[]> => {
    const first = units[0] as Unit;
    // Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator: equivalent in behaviour, performance only: a group of one stream sent through the statement for several streams appends the same; the `true` twin, caught, goes with it
    const oneStream = units.every((unit) => unit.stream === first.stream);
    const counts = units.map((unit) => unit.payloads.length);
    // Stryker disable next-line ConditionalExpression: equivalent: an expect of null for every unit means no expect, as the statement without expects; the caught twin goes with it
    const expects = units.some((unit) => unit.expect !== undefined) ? units.map((unit) => unit.expect ?? null) : null;
    // Stryker disable next-line ConditionalExpression: equivalent: the flatMap of one unit's payloads is its payloads; the caught twin goes with it
    const payloads = units.length === 1 ? first.payloads : units.flatMap((unit) => unit.payloads);
    // Stryker disable next-line ArithmeticOperator: the wording of the error message, which names the operation (the kit requires the code and the cause, never the words)
    const others = units.length - 1;
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator: the wording of the error message, which names the operation (the kit requires the code and the cause, never the words)
    const operation = `append to ${JSON.stringify(first.stream)}${others > 0 ? ` (in a group commit with ${others} other append${others === 1 ? '' : 's'})` : ''}`;
    // kit scope: outside the contract — placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
    if (citus && !oneStream) throw new Error(`${operation}: a statement on Citus must hold one stream's units (got several streams)`);
    // kit scope: end
    // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral,EqualityOperator,BlockStatement: the fast path of a lone append of one event without expect: the general statement stores the same (performance only), and one payload in all already means one unit
    if (!citus && units.length === 1 && payloads.length === 1 && expects === null) {
      const { rows } = await run(operation, sql.appendOne, [first.stream, payloads[0]]);
      // Stryker disable next-line OptionalChaining: unreachable: the append statement returns one row
      return [{ ok: true, seq: parseSeq(rows[0]?.[0]) }];
    }
    const events = jsonArrayParameter(payloads);
    // A lone unit with an expect of 1 or more: stored or refused by the leaner statement, or judged by
    // `append` when another append moved the stream after the statement's snapshot.
    if (!citus && units.length === 1 && (first.expect ?? 0) > 0) {
      const began = performance.now();
      const { rows } = await run(operation, sql.appendAfter, [first.stream, first.expect, events]);
      const [outcome] = outcomesOf(rows, 1, operation);
      if (outcome?.ok || outcome?.actual !== first.expect) return [outcome as UnitOutcome];
      // Nothing was stored and the stream is past the expect: `append` only tells where.
      return outcomesOf((await run(operation, sql.append, [first.stream, counts, expects, events], began)).rows, 1, operation);
    }
    const streams = oneStream ? undefined : units.map((unit) => unit.stream);
    if (streams !== undefined && expects === null && payloads.length === units.length && ascending(streams)) {
      const { rows } = await run(operation, sql.appendOneEach, [streams, events]);
      return outcomesOf(rows, units.length, operation);
    }
    const { rows } = oneStream
      ? await run(operation, sql.append, [first.stream, counts, expects, events])
      : // Stryker disable next-line ConditionalExpression: performance only: the statement with expects, given none (null), appends the same
        expects === null
        ? await run(operation, sql.appendAllWithoutExpect, [streams, counts, events])
        : await run(operation, sql.appendAll, [streams, counts, expects, events]);
    return outcomesOf(rows, units.length, operation);
  };
}

/** Each unit's outcome from the one row of an append statement: a `bigint[]` of last seqs, or `-1 - actual` for a refused expect. */
function outcomesOf(rows: readonly (string | null)[][], units: number, operation: string): UnitOutcome[] {
  // Stryker disable next-line OptionalChaining: unreachable: the append statement returns one row
  const results = parseResults(rows[0]?.[0]);
  // kit scope: outside the contract — a server answer that breaks its column's type (fewer or more results than units, which the statement cannot return): no kit target can make PostgreSQL return one
  if (results.length !== units) {
    throw new Error(`${operation}: the server returned ${results.length} results for ${units} units`);
    // kit scope: end
  }
  // Stryker disable next-line EqualityOperator: equivalent: the statement never returns 0 (a seq is at least 1, a conflict is -1 - actual)
  return results.map((value) => (value > 0 ? { ok: true, seq: value } : { ok: false, actual: -1 - value }));
}

/** Whether each stream sorts strictly after the one before it (code points, the "C" collation): so each appears once. */
function ascending(streams: readonly string[]): boolean {
  for (let index = 1; index < streams.length; index++) {
    if (compareCodePoints(streams[index - 1] as string, streams[index] as string) >= 0) return false;
  }
  return true;
}

/**
 * Reads the `bigint[]` the append functions return (`{3,-1,7}`), refusing
 * anything but safe integers: a seq must never be rounded.
 *
 * @example
 * ```ts
 * parseResults('{3,-1,7}'); // [3, -1, 7]
 * ```
 */
export function parseResults(text: unknown): number[] {
  // kit scope: outside the contract — a server answer that breaks its column's type (a bigint[] that does not parse): no kit target can make PostgreSQL return one
  if (typeof text !== 'string' || !text.startsWith('{') || !text.endsWith('}')) {
    throw new RangeError(`an append returned ${String(text)}, not a bigint array`);
    // kit scope: end
  }
  const inner = text.slice(1, -1);
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: a group has at least one unit, so the array of results is never empty
  return inner === ''
    ? // Stryker disable next-line ArrayDeclaration: unreachable: a group has at least one unit, so the array of results is never empty
      []
    : inner.split(',').map((item) => {
        // kit scope: outside the contract — a server answer that breaks its column's type (an array item that is not a safe integer): no kit target can make PostgreSQL return one
        const value = /^-?[0-9]+$/.test(item) ? Number(item) : Number.NaN;
        if (!Number.isSafeInteger(value)) throw new RangeError(`an append returned ${item}, not a seq Hume can hold (a safe integer)`);
        // kit scope: end
        return value;
      });
}
