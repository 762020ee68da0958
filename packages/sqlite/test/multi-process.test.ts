import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import { describe, expect, it } from 'vitest';
import { allExitCleanly, spawnFixture, startTogether } from './child-process.js';
import { floodPayload } from './fixtures/flood-payload.mjs';
import { tempDir } from './temp-dir.js';

const dir = tempDir('processes');
let files = 0;
const newFile = (): string => join(dir, `store-${++files}.db`);

async function readAll(file: string, stream: string): Promise<{ seq: number; payload: unknown }[]> {
  const store = new SqliteEventStore(file);
  try {
    const events: { seq: number; payload: unknown }[] = [];
    for await (const event of store.events(stream)) events.push(event);
    return events;
  } finally {
    await store.close();
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('several processes on one file', () => {
  it('appending without expect all succeed, with gap-free seqs on a shared stream and on their own', { timeout: 60_000 }, async () => {
    const file = newFile();
    const processes = 4;
    const appends = 150;
    const children = range(processes).map((id) => spawnFixture('append-child.mjs', [file, 'free', String(id), String(appends)]));
    await startTogether(children);
    await allExitCleanly(children);

    const acknowledged = children.flatMap((child) => child.lines.slice(1).map((line) => (JSON.parse(line) as { shared: number }).shared));
    expect(acknowledged.sort((a, b) => a - b)).toEqual(range(processes * appends));
    const shared = await readAll(file, 'shared');
    expect(shared.map((event) => event.seq)).toEqual(range(processes * appends));
    for (const [index, child] of children.entries()) {
      const own = await readAll(file, `own-${index + 1}`);
      expect(own.map((event) => event.seq)).toEqual(range(appends));
      expect(own.map((event) => event.payload)).toEqual(range(appends).map((i) => ({ id: String(index + 1), i: i - 1 })));
      expect(child.lines).toHaveLength(appends + 1);
    }
  });

  it('appending with the same expect, exactly one wins each round and the others see the actual seq', { timeout: 60_000 }, async () => {
    const file = newFile();
    const rounds = 100;
    const children = range(4).map((id) => spawnFixture('append-child.mjs', [file, 'race', String(id), String(rounds)]));
    await startTogether(children);
    await allExitCleanly(children);

    const outcomes = children.flatMap((child) =>
      child.lines.slice(1).map((line) => JSON.parse(line) as { round: number; won?: number; actual?: number }),
    );
    for (let round = 0; round < rounds; round++) {
      const ofRound = outcomes.filter((outcome) => outcome.round === round);
      expect(ofRound).toHaveLength(4);
      expect(ofRound.filter((outcome) => outcome.won !== undefined).map((outcome) => outcome.won)).toEqual([round + 1]);
      for (const lost of ofRound.filter((outcome) => outcome.won === undefined)) expect(lost.actual).toBeGreaterThan(round);
    }
    const race = await readAll(file, 'race');
    expect(race.map((event) => event.seq)).toEqual(range(rounds));
    expect(race.map((event) => (event.payload as { round: number }).round)).toEqual(range(rounds).map((i) => i - 1));
  });

  it('opening a new file at the same moment, none breaks another', { timeout: 60_000 }, async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const file = newFile();
      const children = range(4).map((id) => spawnFixture('append-child.mjs', [file, 'free', String(id), '1']));
      await startTogether(children);
      await allExitCleanly(children);
      expect((await readAll(file, 'shared')).map((event) => event.seq)).toEqual(range(4));
    }
  });
});

describe('a writer killed with SIGKILL in the middle of a stream of appends', () => {
  for (const durability of ['full', 'normal'] as const) {
    it(`loses no acknowledged event and leaves no partial one (durability ${durability})`, { timeout: 60_000 }, async () => {
      const file = newFile();
      for (let kill = 1; kill <= 3; kill++) {
        const child = spawnFixture('append-child.mjs', [file, 'flood', 'writer', '0', durability]);
        await startTogether([child]);
        // Kill it at a different point each time, while it is appending as fast as it can.
        await child.waitFor((_, count) => count > 1 + kill * 40);
        child.process.kill('SIGKILL');
        const { signal } = await child.exited;
        expect(signal).toBe('SIGKILL');

        const acknowledged = child.lines.slice(1).map(Number);
        const events = await readAll(file, 'flood');
        const seqs = events.map((event) => event.seq);
        expect(seqs).toEqual(range(events.length));
        expect(events.length).toBeGreaterThanOrEqual(Math.max(...acknowledged));
        for (const event of events) expect(event.payload).toEqual(floodPayload(event.seq));
      }
    });
  }
});
