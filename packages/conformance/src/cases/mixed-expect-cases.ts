import type { AppendResult } from '@hume/core';
import { assert, assertEqual, assertRun, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, callAppend, readAll } from '../store-calls.js';

/** What a caller asked for, and so which outcomes are its own. */
type Kind = 'no-expect' | 'current' | 'stale' | 'ahead' | 'invalid';

const kinds: readonly Kind[] = ['no-expect', 'current', 'no-expect', 'stale', 'no-expect', 'ahead', 'current', 'invalid'];

/** C2.6: concurrent appends through one store each get their own outcome. */
export const mixedExpectCases = defineCases([
  {
    id: 'C2.6-concurrent-appends-with-mixed-expects-each-get-their-own-outcome',
    level: 'MUST',
    title:
      '240 appends in flight at once through one store on 6 streams, without expect, with the current, a stale, a future expect and bad payloads: each gets its own outcome, every acknowledged append is stored once at its seq',
    hint: 'check that a store which groups concurrent appends into one transaction or statement judges each append alone: a conflict or a refused payload in one must not fail, retry or renumber the others',
    async run({ store, stream, seed }) {
      const streams = Array.from({ length: 6 }, (_, s) => stream(`mixed${s}`));
      const before = streams.map((_, s) => 2 + ((seed + s) % 5));
      for (const [s, name] of streams.entries()) for (let n = 0; n < (before[s] as number); n++) await appendOk(store, name, { seed: n });
      const calls = Array.from({ length: 240 }, (_, n) => {
        const s = (n * 7 + seed) % streams.length;
        return { n, s, kind: kinds[(n + seed) % kinds.length] as Kind };
      });
      const expectOf = ({ s, kind }: (typeof calls)[number]): number | undefined => {
        const last = before[s] as number;
        return kind === 'current' ? last : kind === 'stale' ? last - 1 : kind === 'ahead' ? last + 10_000 : undefined;
      };
      const results: AppendResult[] = await Promise.all(
        calls.map((call) =>
          callAppend(store, streams[call.s], call.kind === 'invalid' ? { n: call.n, bad: Number.NaN } : { n: call.n }, expectOf(call)),
        ),
      );
      const finals = await Promise.all(streams.map((name) => readAll(store, name)));
      for (const [s, events] of finals.entries()) assertRun(events, 0, `stream #${s} after the concurrent appends`);
      const winnersOfCurrent = new Map<number, number>();
      for (const [index, call] of calls.entries()) {
        const result = results[index] as AppendResult;
        const events = finals[call.s] ?? [];
        const what = `append #${call.n} (${call.kind}, expect ${show(expectOf(call))}) on stream #${call.s}`;
        if (call.kind === 'invalid') {
          assertEqual(result.ok ? 'stored' : result.error.code, 'INVALID_ARGUMENT', `outcome of ${what}`);
          continue;
        }
        if (call.kind === 'no-expect')
          assert(result.ok, `${what} failed (${result.ok ? '' : result.error.message}): without expect it must succeed`);
        if (call.kind === 'stale' || call.kind === 'ahead') {
          assert(!result.ok && result.error.code === 'UNEXPECTED_SEQ', `${what} must conflict (got ${show(result)})`);
          if (!result.ok && result.error.code === 'UNEXPECTED_SEQ') {
            assertEqual(result.error.expected, expectOf(call), `error.expected of ${what}`);
            assert(
              result.error.actual >= (before[call.s] as number) && result.error.actual <= events.length,
              `error.actual of ${what} is ${result.error.actual}, never a last seq of the stream while it ran (${before[call.s]} to ${events.length})`,
            );
          }
        }
        if (call.kind === 'current') {
          if (result.ok) {
            assertEqual(result.seq, (before[call.s] as number) + 1, `seq of ${what}, which succeeded`);
            assert(!winnersOfCurrent.has(call.s), `two appends with expect ${before[call.s]} both succeeded on stream #${call.s}`);
            winnersOfCurrent.set(call.s, call.n);
          } else assertEqual(result.error.code, 'UNEXPECTED_SEQ', `error.code of ${what}, which failed`);
        }
        if (result.ok)
          assertEqual(events[result.seq - 1]?.payload, { n: call.n }, `the event at seq ${result.seq}, acknowledged for ${what}`);
      }
      for (const [s, events] of finals.entries()) {
        const acknowledged = calls.filter((call, index) => call.s === s && (results[index] as AppendResult).ok).length;
        assertEqual(events.length, (before[s] as number) + acknowledged, `events of stream #${s}: those before plus the acknowledged ones`);
      }
    },
  },
]);
