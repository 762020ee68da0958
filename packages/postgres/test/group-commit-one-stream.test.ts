import { describe, expect, it } from 'vitest';
import { GroupCommit, type Unit, type UnitOutcome } from '../src/postgres-group-commit.js';
import { range } from './database.js';

const unit = (stream: string, payload: string): Unit => ({ stream, payloads: [payload], expect: undefined });

describe('GroupCommit with oneStream (the group commit on Citus)', () => {
  it('puts one stream in each statement, several statements in flight up to the limit, each stream in its order of arrival', async () => {
    const groups: Unit[][] = [];
    const last = new Map<string, number>();
    let inFlight = 0;
    let mostInFlight = 0;
    const group = new GroupCommit(
      async (units) => {
        groups.push([...units]);
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return units.map((one): UnitOutcome => {
          const seq = (last.get(one.stream) ?? 0) + 1;
          last.set(one.stream, seq);
          return { ok: true, seq };
        });
      },
      { inFlight: 3, events: 10_000, chars: 1 << 22, oneStream: true },
    );
    const streams = ['a', 'b', 'c', 'd', 'e'];
    const calls = range(0, 99).map((i) => ({ stream: streams[i % 5] as string, payload: String(i) }));
    const outcomes = await Promise.all(calls.map((call) => group.submit(unit(call.stream, call.payload))));
    for (const units of groups) expect(new Set(units.map((one) => one.stream)).size).toBe(1);
    expect(mostInFlight).toBe(3);
    expect(groups.length).toBeLessThan(100);
    // Each stream's payloads were committed in the order they were submitted, at seqs 1, 2, 3, …
    for (const stream of streams) {
      const committed = groups
        .flat()
        .filter((one) => one.stream === stream)
        .map((one) => one.payloads[0]);
      expect(committed).toEqual(calls.filter((call) => call.stream === stream).map((call) => call.payload));
      const seqs = calls.flatMap((call, index) => (call.stream === stream ? [outcomes[index]] : []));
      expect(seqs).toEqual(range(1, 20).map((seq) => ({ ok: true, seq })));
    }
  });
});
