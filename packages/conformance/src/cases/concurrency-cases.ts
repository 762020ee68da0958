import type { AppendResult } from '@hume/core';
import { assert, assertEqual, assertRun, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, assertConflict, callAppend, contents, readAll } from '../store-calls.js';

const IN_FLIGHT = 64;

function sortedSeqs(results: readonly AppendResult[]): number[] {
  return results.flatMap((result) => (result.ok ? [result.seq] : [])).sort((a, b) => a - b);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** C1.3, C1.4, C2.5, C4.4: the contract under many promises in flight at once. */
export const concurrencyCases = defineCases([
  {
    id: 'C1.3-concurrent-appends-without-expect-get-gap-free-seqs',
    level: 'MUST',
    title: `${IN_FLIGHT} appends in flight at once on one stream all succeed with seqs last+1 … last+${IN_FLIGHT}, each once, each with its own payload`,
    hint: 'check that reading the last seq and writing the event are one atomic step (no await between them, a transaction that takes the write lock up front, or one statement)',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, { n: -1 });
      const results = await Promise.all(range(0, IN_FLIGHT).map((n) => callAppend(store, name, { n })));
      const failed = results.find((result) => !result.ok);
      assert(failed === undefined, `an append without expect failed under concurrency: ${show(failed)}`);
      assertEqual(sortedSeqs(results), range(2, IN_FLIGHT), 'seqs given to the concurrent appends');
      const stored = await contents(store, name);
      assertEqual(
        stored.map(([seq]) => seq),
        range(1, IN_FLIGHT + 1),
        'seqs stored',
      );
      results.forEach((result, n) => {
        const seq = result.ok ? result.seq : 0;
        assertEqual(stored[seq - 1]?.[1], { n }, `payload stored at seq ${seq}, which append #${n} returned`);
      });
    },
  },
  {
    id: 'C1.4-concurrent-appends-to-many-streams-all-succeed',
    level: 'MUST',
    title: `appends in flight at once on ${IN_FLIGHT / 4} streams, four each, all succeed and every stream reads 1, 2, 3, 4`,
    hint: 'check that a lock or transaction on one stream does not fail appends to another (SQLITE_BUSY, a global counter row, deadlocks), and that each append writes its own payload to its own stream',
    async run({ store, stream }) {
      const names = range(0, IN_FLIGHT / 4).map((i) => stream(`s${i}`));
      const calls = names.flatMap((name) => range(0, 4).map((n) => ({ name, n, result: callAppend(store, name, { name, n }) })));
      const results = await Promise.all(calls.map((call) => call.result));
      const failed = results.find((result) => !result.ok);
      assert(failed === undefined, `an append failed under concurrency on distinct streams: ${show(failed)}`);
      for (const name of names) {
        const stored = await contents(store, name);
        assertEqual(
          stored.map(([seq]) => seq),
          [1, 2, 3, 4],
          `seqs of ${name}`,
        );
        calls.forEach((call, index) => {
          const result = results[index];
          if (call.name !== name || !result?.ok) return;
          assertEqual(
            stored[result.seq - 1]?.[1],
            { name, n: call.n },
            `payload stored in ${name} at seq ${result.seq}, which that append returned`,
          );
        });
      }
    },
  },
  {
    id: 'C2.5-concurrent-appends-with-one-expect-have-one-winner',
    level: 'MUST',
    title: `${IN_FLIGHT} appends in flight at once with the same expect: exactly one succeeds, every other one conflicts`,
    hint: 'check that the expect comparison and the write are one atomic step; an await between them lets several writers pass the check',
    async run({ store, stream }) {
      for (const expect of [0, 3]) {
        const name = stream(`expect-${expect}`);
        for (let i = 0; i < expect; i++) await appendOk(store, name, { setup: i });
        const results = await Promise.all(range(0, IN_FLIGHT).map((n) => callAppend(store, name, { n }, expect)));
        const winners = results.filter((result) => result.ok);
        assertEqual(winners.length, 1, `number of winners with expect ${expect}`);
        assertEqual(sortedSeqs(results), [expect + 1], `seq of the winner with expect ${expect}`);
        for (const result of results) {
          // Every loser ran its check after the winner wrote (else it would have won too), so it saw expect + 1.
          if (!result.ok) assertConflict(result, expect, expect + 1, 'a losing append');
        }
        assertEqual((await readAll(store, name)).length, expect + 1, `events stored with expect ${expect}`);
      }
    },
  },
  {
    id: 'C4.4-reads-during-appends-are-gap-free-runs',
    level: 'MUST',
    title: 'reads that run while appends land yield gap-free ascending runs from from + 1',
    hint: 'check that a page never shows an event before the ones below it are visible, and that the next page starts after the last seq yielded',
    async run({ store, stream, longStream }) {
      const name = stream();
      const total = Math.min(longStream, 1500);
      let writing = true;
      let failed = false;
      const writer = async () => {
        try {
          for (let i = 0; i < total && !failed; i += 16) {
            await Promise.all(range(i, Math.min(16, total - i)).map((n) => appendOk(store, name, { n })));
          }
        } finally {
          writing = false;
        }
      };
      const reader = async (id: number) => {
        for (let run = 0; writing && !failed; run++) {
          const from = run % 3 === 0 ? 0 : Math.floor(Math.random() * 50);
          assertRun(await readAll(store, name, from), from, `read #${run} of reader ${id} from ${from}`);
          // A read of an in-memory store may never leave the microtask queue; yield so timers and I/O run.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const outcomes = await Promise.allSettled(
        [writer, ...range(0, 4).map((id) => () => reader(id))].map(async (task) => {
          try {
            await task();
          } catch (error) {
            failed = true; // stop the others, so nothing runs on after the case ends
            throw error;
          }
        }),
      );
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
      if (rejected) throw rejected.reason;
      const final = await readAll(store, name);
      assertRun(final, 0, 'the final read');
      assertEqual(final.length, total, 'events after the writer finished');
    },
  },
]);
