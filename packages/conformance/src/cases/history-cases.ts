import type { CaseContext } from '../conformance-case.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { assertHistory } from '../history/assert-history.js';
import type { Operation } from '../history/history.js';
import { type ClientPlan, runClient } from '../history/run-client.js';
import { appendOk, readAll } from '../store-calls.js';

/** Runs `clients` seeded clients at once on fresh streams, then checks the whole history. */
async function checkSeededHistory(
  context: CaseContext,
  shape: Omit<ClientPlan, 'client' | 'index' | 'seed' | 'streams'> & { clients: number; streams: number },
) {
  const { store, stream, seed } = context;
  const streams = Array.from({ length: shape.streams }, (_, i) => stream(i === 0 ? 'hot' : `s${i}`));
  const operations: Operation[] = [];
  const plans = Array.from({ length: shape.clients }, (_, index) => ({ ...shape, client: `c${index}`, index, seed, streams }));
  await Promise.all(plans.map((plan) => runClient(store, plan, (op) => operations.push(op))));
  await assertHistory(store, streams, operations, seed);
}

/** C1.5, C2.5, C4.6 and everything else at once: seeded random histories, checked whole. */
export const historyCases = defineCases([
  {
    id: 'C1.5-seeded-histories-keep-every-clause',
    level: 'MUST',
    title: '8 clients on 3 streams, appending with and without expect and reading, all at once: the recorded history keeps every clause',
    hint: 'check the clause the witness names against the few operations it lists; replay the seed to see the same workload again',
    async run(context) {
      await checkSeededHistory(context, { clients: 8, streams: 3, operations: 30, expectShare: 0.5, readShare: 0.3 });
    },
  },
  {
    id: 'C2.5-seeded-contention-histories-keep-every-clause',
    level: 'MUST',
    title: '12 clients on one stream, nearly every append with expect: one winner per seq, conflicts that report real last seqs',
    hint: 'check that the expect comparison and the write are one atomic step, and that actual is read in that same step',
    async run(context) {
      await checkSeededHistory(context, { clients: 12, streams: 1, operations: 20, expectShare: 0.9, readShare: 0.2 });
    },
  },
  {
    id: 'C4.6-reads-see-every-acknowledged-append',
    level: 'MUST',
    title: 'a read that begins after an append was acknowledged yields that event, while other appends are in flight',
    hint: 'check that append resolves only once its event is visible to every later read (a commit before the ack, no read replica lag, no write buffer)',
    async run({ store, stream }) {
      const name = stream();
      // Each task reads right after its own append resolves, while the other appends are still in flight.
      await Promise.all(
        Array.from({ length: 40 }, async (_, n) => {
          const seq = await appendOk(store, name, { n });
          const events = await readAll(store, name, seq - 1);
          if (events[0]?.seq !== seq) {
            throw new ConformanceFailure(
              `append of { n: ${n} } was acknowledged as seq ${seq}, but a read from ${seq - 1} begun afterwards started at ${events[0]?.seq ?? 'nothing'}`,
            );
          }
        }),
      );
    },
  },
]);
