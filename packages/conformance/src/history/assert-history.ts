import type { Seq } from '@hume/core';
import { ConformanceFailure } from '../conformance-failure.js';
import { readAll } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';
import { checkHistory } from './check-history.js';
import { formatOperation } from './format-operation.js';
import type { Operation, Violation } from './history.js';

/**
 * Reads the streams through `store` once the workload is over and checks the
 * recorded history against them; fails with the first violations, their
 * witnesses and the seed.
 */
export async function assertHistory(
  store: AnyEventStore,
  streams: readonly string[],
  operations: readonly Operation[],
  seed: number,
): Promise<void> {
  const final = new Map<string, [Seq, number | undefined][]>();
  for (const name of streams) {
    final.set(
      name,
      (await readAll(store, name)).map((event) => [event.seq, (event.payload as { op?: number } | null)?.op]),
    );
  }
  const violations = checkHistory(operations, final);
  if (violations.length > 0) throw new ConformanceFailure(describeViolations(violations, operations, seed));
}

/** The first violations with their witnesses, the clause, and how to replay. */
function describeViolations(violations: readonly Violation[], operations: readonly Operation[], seed: number): string {
  const origin = Math.min(...operations.map((op) => op.invokedAt));
  const lines = violations
    .slice(0, 3)
    .flatMap((violation) => [
      `${violation.clause} broken: ${violation.message}`,
      ...violation.witness.map((op) => `  ${formatOperation(op, origin)}`),
    ]);
  if (violations.length > 3) lines.push(`(+${violations.length - 3} more violations)`);
  lines.push(`seed ${seed}: replay with --seed ${seed} (or the seed option) and --grep on this case`);
  return lines.join('\n');
}
