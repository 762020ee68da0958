import type { Seq } from '@hume/core';
import type { AnyEventStore } from '../target.js';
import { type AppendOperation, now, type Operation, type ReadOperation } from './history.js';
import { prng } from './prng.js';

/** The shape of one client's part of a seeded workload. */
export interface ClientPlan {
  readonly client: string;
  /** Distinct per client: op ids are `index * 1_000_000 + n`, unique without coordination, across processes too. */
  readonly index: number;
  readonly seed: number;
  readonly streams: readonly string[];
  readonly operations: number;
  /** Share of appends that carry an expect (the seq the client last saw). */
  readonly expectShare: number;
  /** Share of reads among all operations. */
  readonly readShare: number;
}

/**
 * One client: one operation in flight at a time, as a real writer would,
 * choosing each next step from the seed and from what it has seen so far.
 * Appends carry `{ op, client }` so that the checker can tell who wrote what.
 */
export async function runClient(store: AnyEventStore, plan: ClientPlan, record: (operation: Operation) => void): Promise<void> {
  const random = prng(plan.seed ^ Math.imul(plan.index + 1, 0x9e3779b1));
  const known = new Map<string, Seq>();
  for (let n = 0; n < plan.operations; n++) {
    const id = plan.index * 1_000_000 + n;
    // The first stream is hot: half of all operations contend on it.
    const stream = random.chance(0.5) ? (plan.streams[0] as string) : (plan.streams[random.below(plan.streams.length)] as string);
    const last = known.get(stream) ?? 0;
    if (random.chance(plan.readShare)) {
      const from = random.chance(0.3) ? 0 : Math.max(0, last - random.below(6));
      const operation: ReadOperation = { kind: 'read', id, client: plan.client, stream, from, invokedAt: now(), completedAt: 0 };
      try {
        const events: [Seq, number | undefined][] = [];
        for await (const event of store.events(stream, from)) {
          events.push([event.seq, (event.payload as { op?: number } | null)?.op]);
          // A seq that does not climb is already a violation; a read that repeats itself would never end.
          if (event.seq <= (events.at(-2)?.[0] ?? from)) break;
        }
        operation.events = events;
        const end = events.at(-1)?.[0];
        if (end !== undefined) known.set(stream, Math.max(last, end));
      } catch (error) {
        operation.error = String((error as { message?: unknown })?.message ?? error);
      }
      operation.completedAt = now();
      record(operation);
      continue;
    }
    const expect = random.chance(plan.expectShare) ? last : null;
    const operation: AppendOperation = { kind: 'append', id, client: plan.client, stream, expect, invokedAt: now(), completedAt: 0 };
    try {
      const result = await store.append(stream, { op: id, client: plan.client } as never, expect);
      if (result.ok) {
        operation.result = { ok: true, seq: result.seq };
        known.set(stream, result.seq);
      } else {
        const { code, expected, actual } = result.error as { code: string; expected?: unknown; actual?: unknown };
        operation.result = { ok: false, code, expected, actual };
        if (typeof actual === 'number') known.set(stream, actual);
      }
    } catch (error) {
      operation.error = String((error as { message?: unknown })?.message ?? error);
    }
    operation.completedAt = now();
    record(operation);
  }
}
