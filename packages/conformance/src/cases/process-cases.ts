import { assert, assertEqual, assertRun } from '../assertions.js';
import { runChildren, withChildren } from '../child-processes.js';
import type { CaseContext } from '../conformance-case.js';
import { defineCases } from '../conformance-case.js';
import { assertHistory } from '../history/assert-history.js';
import type { Operation } from '../history/history.js';
import { type ClientPlan, runClient } from '../history/run-client.js';
import { appendOk, contents, readAll } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

const shape = { operations: 20, expectShare: 0.5, readShare: 0.3 } as const;

function plans(context: CaseContext, streams: readonly string[], first: number, count: number): ClientPlan[] {
  return Array.from({ length: count }, (_, i) => ({ ...shape, client: `c${first + i}`, index: first + i, seed: context.seed, streams }));
}

/** C8.5 and C1.5 across instances and processes: what one writer acknowledged, every other reader sees. */
export const processCases = defineCases([
  {
    id: 'C8.5-another-instance-sees-acknowledged-events',
    level: 'MUST',
    title: 'a second store opened on the same data reads every acknowledged event, and appends after them',
    hint: 'check that append commits before it resolves, and that nothing (a last-seq cache, a write buffer) lives only in one instance',
    needs: ['reopen'],
    async run(context) {
      const name = context.stream();
      for (let n = 0; n < 20; n++) await appendOk(context.store, name, { n });
      const other = await context.reopen();
      const seen = await contents(other, name);
      assertEqual(seen.length, 20, 'events the second instance reads');
      assertEqual(seen[19], [20, { n: 19 }], 'the last event as the second instance reads it');
      assertEqual(await appendOk(other, name, { n: 20 }, 20), 21, 'seq of an append with expect 20 from the second instance');
      assertEqual(await appendOk(context.store, name, { n: 21 }, 21), 22, 'seq of an append with expect 21 back on the first instance');
    },
  },
  {
    id: 'C1.5-histories-across-instances-keep-every-clause',
    level: 'MUST',
    title: 'seeded clients spread over three instances on the same data, all at once: the history keeps every clause',
    hint: 'check for state kept per instance: a cached last seq, a per-pool sequence, a lock that only one instance sees',
    needs: ['reopen'],
    async run(context) {
      const streams = [context.stream('hot'), context.stream('b')];
      const instances = [context.store, await context.reopen(), await context.reopen()];
      const operations: Operation[] = [];
      const all = plans(context, streams, 0, 9);
      await Promise.all(all.map((plan, i) => runClient(instances[i % 3] as AnyEventStore, plan, (op) => operations.push(op))));
      await assertHistory(context.store, streams, operations, context.seed);
    },
  },
  {
    id: 'C1.5-histories-across-processes-keep-every-clause',
    level: 'MUST',
    title: 'seeded clients in three child processes and this one, on the same data, all at once: the history keeps every clause',
    hint: 'check the locking across processes: a transaction that takes the write lock before reading the last seq, or one statement',
    needs: ['share'],
    async run(context) {
      const streams = [context.stream('hot'), context.stream('b')];
      const shared = await context.share();
      const operations: Operation[] = [];
      await withChildren(async (start) => {
        const children = [0, 1, 2].map((p) => start(shared, { kind: 'history', plans: plans(context, streams, 2 + p * 2, 2) }));
        await Promise.all(children.map((child) => child.waitFor((m) => 'ready' in m)));
        await Promise.all(plans(context, streams, 0, 2).map((plan) => runClient(context.store, plan, (op) => operations.push(op))));
        await runChildren(children);
        for (const child of children) for (const message of child.messages) if ('op' in message) operations.push(message.op);
      });
      assert(
        operations.length === 8 * shape.operations,
        `expected ${8 * shape.operations} operations in the history, got ${operations.length}`,
      );
      await assertHistory(context.store, streams, operations, context.seed);
    },
  },
  {
    id: 'C8.5-acknowledged-appends-survive-a-killed-writer',
    level: 'MUST',
    title: 'a child process killed (SIGKILL) in the middle of a run of appends loses no acknowledged event and leaves nothing partial',
    hint: 'check that append resolves only after its commit, and that an event is written in one atomic step (no torn rows, no half-written lines)',
    needs: ['share'],
    async run(context) {
      const name = context.stream();
      const shared = await context.share();
      let acks: { ack: number; n: number }[] = [];
      await withChildren(async (start) => {
        const writer = start(shared, { kind: 'append-until-killed', stream: name, client: 'writer' });
        await writer.waitFor((m) => 'ack' in m, 40);
        // Half the writer's own pace after an acknowledgement, so that the kill lands inside the
        // next append rather than between two, whether an append takes 50 µs or 50 ms.
        const times = writer.arrivals.slice(-21);
        const pace = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / Math.max(1, times.length - 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, pace / 2)));
        writer.kill();
        await writer.exited;
        acks = writer.messages.filter((m): m is { ack: number; n: number } => 'ack' in m);
      });
      const events = await readAll(context.store, name);
      assertRun(events, 0, 'the stream after the writer was killed');
      for (const { ack, n } of acks) assertEqual(events[ack - 1]?.payload, { op: n, client: 'writer' }, `acknowledged event at seq ${ack}`);
      // At most the one append in flight at the kill landed without its acknowledgement being read.
      assert(events.length <= acks.length + 1, `the stream has ${events.length} events for ${acks.length} acknowledged appends`);
      for (const [index, event] of events.entries())
        assertEqual(event.payload, { op: index, client: 'writer' }, `payload at seq ${event.seq}`);
      assertEqual(await appendOk(context.store, name, 'after', events.length), events.length + 1, 'seq of the next append after the crash');
    },
  },
]);
