import { assert, assertEqual, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { Acknowledged, assertDelivered, checkItem, type FeedItem, feedOf, keys, readFeed } from '../feed-calls.js';
import { prng } from '../history/prng.js';
import { appendOk } from '../store-calls.js';
import type { HeldAppend } from '../target.js';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A reader that polls the feed from its checkpoint, as a projection does:
 * each poll reads what is there (not live), breaks off after `take` events
 * when given, and moves the checkpoint to the last position it applied.
 */
class PollingReader {
  readonly delivered: FeedItem[] = [];
  checkpoint: string | undefined;
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  async poll(store: Parameters<typeof feedOf>[0], what: string, take = Number.POSITIVE_INFINITY): Promise<void> {
    let taken = 0;
    for await (const value of feedOf(store)(this.checkpoint, { prefix: this.#prefix })) {
      const item = checkItem(value, this.checkpoint, what);
      this.delivered.push(item);
      this.checkpoint = item.position;
      if (++taken >= take) break;
    }
  }
}

/** C13.6: no event becomes visible behind a position already yielded. */
export const feedSkipCases = defineCases([
  {
    id: 'C13.6-a-reader-polling-throughout-concurrent-appends-misses-nothing',
    level: 'MUST',
    title:
      '6 writers at once while a reader polls the feed from its checkpoint throughout: resumed from each checkpoint, it gets every event exactly once',
    hint: 'check that the feed never yields a position while an event that will sort before it is still uncommitted (order by commit, or read only below the oldest open transaction)',
    needs: ['feed'],
    async run({ store, stream, seed }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      const reader = new PollingReader(`${base}:`);
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: 6 }, async (_, writer) => {
          const random = prng(seed ^ Math.imul(writer + 1, 0x9e3779b1));
          for (let n = 0; n < 40; n++) await acknowledged.append(store, `${base}:${random.below(5)}`, { writer, n });
        }),
      ).finally(() => {
        writing = false;
      });
      writers.catch(() => undefined); // awaited below; a failing poll must not leave it unhandled
      for (let poll = 0; writing; poll++) {
        await reader.poll(store, `poll #${poll}`, poll % 3 === 0 ? 7 : Number.POSITIVE_INFINITY);
        await tick();
      }
      await writers;
      await reader.poll(store, 'the last poll');
      assertDelivered(reader.delivered, acknowledged.byStream, 'what the polling reader got');
    },
  },
  {
    id: 'C13.6-an-append-held-open-appears-after-the-checkpoint',
    level: 'MUST',
    title:
      'an append held open while others commit: a reader that checkpointed meanwhile gets it when it resumes, and a live feed gets it too',
    hint: 'check that a position taken before commit (a sequence, an auto-increment) is never yielded while an earlier one is uncommitted: order by commit (a transaction-id horizon) or wait for the gap to fill, never give up on it',
    needs: ['feed', 'hold'],
    async run({ store, stream, hold }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      await acknowledged.append(store, `${base}:before`, 0);
      const reader = new PollingReader(`${base}:`);
      await reader.poll(store, 'the first poll');
      const stop = new AbortController();
      const live: FeedItem[] = [];
      const liveDone = (async () => {
        let previous = reader.checkpoint;
        for await (const value of feedOf(store)(reader.checkpoint, { prefix: `${base}:`, live: true, signal: stop.signal })) {
          const item = checkItem(value, previous, 'the live feed');
          previous = item.position;
          live.push(item);
          if (live.length === 4) stop.abort();
        }
      })();
      liveDone.catch(() => undefined); // awaited below; an earlier failure must not leave it unhandled
      const held = await hold(`${base}:held`, { held: true });
      for (let i = 0; i < 3; i++) await acknowledged.append(store, `${base}:other-${i}`, i);
      await reader.poll(store, 'the poll while the append is held');
      await tick(20);
      await reader.poll(store, 'another poll while the append is held');
      const seq = await held.commit();
      acknowledged.add(`${base}:held`, seq, { held: true });
      await reader.poll(store, 'the poll after the held append committed');
      assertDelivered(reader.delivered, acknowledged.byStream, 'what the reader got, resuming from its checkpoints');
      await liveDone;
      assertEqual(live.length, 4, 'events the live feed got');
      assertDelivered(live, new Map([...acknowledged.byStream].filter(([name]) => name !== `${base}:before`)), 'what the live feed got');
    },
  },
  {
    id: 'C13.6-a-rolled-back-held-append-leaves-no-hole-and-no-wait',
    level: 'MUST',
    title: 'an append held open and then rolled back never appears, and the events committed meanwhile all do',
    hint: 'check that the feed does not wait forever on a position whose transaction rolled back, and never yields the rolled-back event',
    needs: ['feed', 'hold'],
    async run({ store, stream, hold }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      const held = await hold(`${base}:held`, { held: true });
      for (let i = 0; i < 3; i++) await acknowledged.append(store, `${base}:other`, i);
      await held.rollback();
      await acknowledged.append(store, `${base}:held`, 'after the rollback');
      assertDelivered(await readFeed(store, undefined, { prefix: `${base}:` }, 'the feed'), acknowledged.byStream, 'the feed');
    },
  },
  {
    id: 'C13.6-chaos-histories-deliver-what-committed-exactly-once-in-one-order',
    level: 'MUST',
    title:
      'writers (some holding their commit open, some rolling back) and readers stopping and resuming at random: each reader gets what committed, once, in the order of every replay',
    hint: 'check the ordering key against commit order (replay the seed), the resume cursor against the full sort key, and the held and rolled-back appends',
    needs: ['feed'],
    async run({ store, stream, seed, hold, timeoutMs }) {
      const base = stream('feed');
      const random = prng(seed);
      const acknowledged = new Acknowledged();
      let canHold = true;
      const heldOpen = new Set<HeldAppend>();
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: 6 }, async (_, writer) => {
          const mine = prng(seed ^ Math.imul(writer + 7, 0x9e3779b1));
          for (let n = 0; n < 25; n++) {
            const name = `${base}:${mine.below(4)}`;
            const payload = { writer, n };
            if (canHold && mine.chance(0.25)) {
              let held: HeldAppend;
              try {
                held = await hold(name, payload);
              } catch (error) {
                if (!String((error as Error).message).includes('no hold hook')) throw error;
                canHold = false;
                await acknowledged.append(store, name, payload);
                continue;
              }
              heldOpen.add(held);
              await tick(mine.below(15));
              heldOpen.delete(held);
              if (mine.chance(0.3)) await held.rollback();
              else acknowledged.add(name, await held.commit(), payload);
            } else {
              await acknowledged.append(store, name, payload);
            }
          }
        }),
      ).finally(() => {
        writing = false;
      });
      const readers = Array.from({ length: 3 }, () => new PollingReader(`${base}:`));
      const deadline = Date.now() + timeoutMs / 2;
      const reading = Promise.all(
        readers.map(async (reader, index) => {
          for (let poll = 0; writing && Date.now() < deadline; poll++) {
            await reader.poll(
              store,
              `reader #${index}, poll #${poll}`,
              random.chance(0.5) ? 1 + random.below(6) : Number.POSITIVE_INFINITY,
            );
            await tick(random.below(4));
          }
        }),
      );
      await Promise.all([writers, reading]);
      assert(heldOpen.size === 0, `held appends left open: ${show(heldOpen.size)}`);
      const replay = await readFeed(store, undefined, { prefix: `${base}:` }, 'the replay');
      assertDelivered(replay, acknowledged.byStream, 'the replay from the start');
      for (const [index, reader] of readers.entries()) {
        await reader.poll(store, `the last poll of reader #${index}`);
        assertDelivered(reader.delivered, acknowledged.byStream, `what reader #${index} got`);
        assertEqual(
          reader.delivered.map((item) => item.position),
          replay.map((item) => item.position),
          `the order reader #${index} got, against the replay`,
        );
      }
      assertEqual(keys(await readFeed(store, undefined, { prefix: `${base}:` }, 'a second replay')), keys(replay), 'a second replay');
      await appendOk(store, `${base}:0`, 'the store still takes appends');
    },
  },
]);
