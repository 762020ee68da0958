import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { databaseUrl, migratedStore, range, storedSeqs, storeForFile } from './database.js';

const { schema, store } = storeForFile('concurrency', { max: 24 });

describe('appends from many pooled connections', () => {
  it('gives 600 appends without expect on one stream the seqs 1…600, each once, with no gap in the table', async () => {
    const results = await Promise.all(range(1, 600).map((i) => store.append('one-stream', { i })));
    const seqs = results.map((result) => (result.ok ? result.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(range(1, 600));
    expect(await storedSeqs(schema, 'one-stream')).toEqual(range(1, 600));
  });

  it('lets exactly one of 50 appends with the same expect win, and reports the winner as actual to the others', async () => {
    await store.append('contested', { first: true });
    const results = await Promise.all(range(1, 50).map((i) => store.append('contested', { i }, 1)));
    const winners = results.filter((result) => result.ok);
    expect(winners).toEqual([{ ok: true, seq: 2 }]);
    for (const result of results) {
      if (!result.ok) expect(result.error).toMatchObject({ code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 });
    }
    expect(await storedSeqs(schema, 'contested')).toEqual([1, 2]);
  });

  it('lets exactly one of 50 appends with expect 0 create the stream', async () => {
    const results = await Promise.all(range(1, 50).map((i) => store.append('created-once', { i }, 0)));
    expect(results.filter((result) => result.ok)).toEqual([{ ok: true, seq: 1 }]);
    expect(await storedSeqs(schema, 'created-once')).toEqual([1]);
  });

  it('keeps 40 streams appended to at once gap-free', async () => {
    const streams = range(1, 40).map((i) => `many-${i}`);
    await Promise.all(streams.flatMap((stream) => range(1, 15).map((i) => store.append(stream, { i }))));
    for (const stream of streams) expect(await storedSeqs(schema, stream)).toEqual(range(1, 15));
  });
});

describe('appends from separate processes', () => {
  it('gives 4 processes appending 150 events each to one stream the seqs 1…600, each once', async () => {
    const worker = fileURLToPath(new URL('./fixtures/append-worker.mjs', import.meta.url));
    const outputs = await Promise.all(
      range(1, 4).map(() =>
        promisify(execFile)(process.execPath, [worker, databaseUrl, schema, 'cross-process', '150'], { timeout: 60_000 }),
      ),
    );
    const perProcess = outputs.map(({ stdout }) => JSON.parse(stdout) as number[]);
    for (const seqs of perProcess) expect(seqs).toHaveLength(150);
    expect(perProcess.flat().sort((a, b) => a - b)).toEqual(range(1, 600));
    expect(await storedSeqs(schema, 'cross-process')).toEqual(range(1, 600));
  });

  it('lets separate stores on separate pools race with expect: one winner per round', async () => {
    const stores = await Promise.all(range(1, 3).map(() => migratedStore(schema)));
    try {
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(stores.map((other, i) => other.append('rounds', { round, i }, round)));
        expect(results.filter((result) => result.ok)).toHaveLength(1);
      }
      expect(await storedSeqs(schema, 'rounds')).toEqual(range(1, 20));
    } finally {
      await Promise.all(stores.map((other) => other.close()));
    }
  });
});
