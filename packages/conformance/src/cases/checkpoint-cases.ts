import { assert, assertEqual, show } from '../assertions.js';
import { assertRejects, checkpoints, resolves } from '../capability-calls.js';
import { defineCases } from '../conformance-case.js';
import { feedStart, readFeed } from '../feed-calls.js';
import { readAll } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

async function save(store: AnyEventStore, name: string, position: string): Promise<void> {
  await resolves(() => checkpoints(store).saveCheckpoint(name, position), `saveCheckpoint(${show(name)}, ${show(position)})`);
}

async function load(store: AnyEventStore, name: string): Promise<string | undefined> {
  const position = await resolves(() => checkpoints(store).loadCheckpoint(name), `loadCheckpoint(${show(name)})`);
  assert(
    position === undefined || typeof position === 'string',
    `loadCheckpoint must resolve to a string or undefined (got ${show(position)})`,
  );
  return position;
}

/** A real position of the store when it has a feed, else one of the shape C13.4 gives. */
async function somePosition(store: AnyEventStore, stream: string): Promise<string> {
  return typeof store.feed === 'function' ? feedStart(store, stream) : '0000000000000042';
}

/** C15: the optional checkpoints. Each case runs only on stores that have saveCheckpoint and loadCheckpoint. */
export const checkpointCases = defineCases([
  {
    id: 'C15.1-a-saved-checkpoint-loads-back-and-a-save-replaces-it-even-backwards',
    level: 'MUST',
    title:
      'loadCheckpoint gives the position saved last under the name, undefined for a name never saved; a save replaces it, to an earlier position too',
    hint: 'check the upsert (ON CONFLICT DO UPDATE, not DO NOTHING), and that no "only move forward" rule stops a rebuild from moving a checkpoint back',
    needs: ['checkpoints'],
    async run({ store, stream }) {
      const name = stream('consumer');
      assertEqual(await load(store, name), undefined, 'the checkpoint of a name never saved');
      const position = await somePosition(store, stream('marker'));
      await save(store, name, position);
      assertEqual(await load(store, name), position, 'the checkpoint loaded back');
      await save(store, name, '!');
      assertEqual(await load(store, name), '!', 'the checkpoint after a save of a position that sorts before it');
      await save(store, name, position);
      assertEqual(await load(store, name), position, 'the checkpoint saved a third time');
    },
  },
  {
    id: 'C15.1-names-are-exact-and-seen-by-every-instance',
    level: 'MUST',
    title: 'checkpoints whose names differ by case, normalisation or a trailing space are kept apart, and another instance loads them',
    hint: 'check that the key is compared exactly (BINARY, COLLATE "C", no trimming) and that checkpoints live in the shared backend, not in the instance',
    needs: ['checkpoints', 'reopen'],
    async run({ store, stream, reopen }) {
      const base = stream('names');
      const names = [`${base}/c`, `${base}/C`, `${base}/c `, `${base}/\u00e9`, `${base}/e\u0301`];
      for (const [index, name] of names.entries()) await save(store, name, `p${index}`);
      const other = await reopen();
      for (const [index, name] of names.entries())
        assertEqual(await load(other, name), `p${index}`, `the checkpoint ${show(name)} seen by another instance`);
      await save(other, names[0] as string, 'moved');
      assertEqual(await load(store, names[0] as string), 'moved', 'a checkpoint replaced through the other instance');
    },
  },
  {
    id: 'C15.2-checkpoints-are-not-events',
    level: 'MUST',
    title: 'saving a checkpoint adds no event, no stream and nothing to the feed',
    hint: 'check that checkpoints go to a table of their own, not to a stream of the store',
    needs: ['checkpoints'],
    async run({ store, stream }) {
      const name = stream('consumer');
      const start = typeof store.feed === 'function' ? await feedStart(store, `${name}/start`) : undefined;
      await save(store, name, start ?? 'p1');
      assertEqual(await readAll(store, name), [], 'the events of a stream named like the checkpoint');
      if (typeof store.streams === 'function') {
        const listed: string[] = [];
        for await (const info of store.streams({ prefix: name })) listed.push(info.stream);
        assertEqual(listed, [`${name}/start`].slice(0, start === undefined ? 0 : 1), 'the streams listed under the checkpoint name');
      }
      if (start !== undefined)
        assertEqual(await readFeed(store, start, undefined, 'the feed after the checkpoint'), [], 'the feed after saving a checkpoint');
    },
  },
  {
    id: 'C15.3-bad-arguments-are-refused-and-store-nothing',
    level: 'MUST',
    title:
      'bad names and positions reject with INVALID_ARGUMENT naming the argument, never synchronously, and leave the checkpoint as it was',
    hint: 'check both arguments with checkCheckpoint of @hume/core before writing, inside the async function',
    needs: ['checkpoints'],
    async run({ store, stream }) {
      const name = stream('consumer');
      await save(store, name, 'kept');
      const { saveCheckpoint, loadCheckpoint } = checkpoints(store);
      const call = (n: unknown, p: unknown) => () => saveCheckpoint.call(store, n as string, p as string);
      const bad: [() => Promise<unknown>, string, string][] = [
        [call('', 'p'), 'name', 'an empty name'],
        [call(`${name}\0`, 'p'), 'name', 'a name with U+0000'],
        [call(null, 'p'), 'name', 'a null name'],
        [call(name, ''), 'position', 'an empty position'],
        [call(name, 42), 'position', 'a number as position'],
        [call(name, 'caf\u00e9'), 'position', 'a position that is not ASCII'],
        [call(name, 'a\nb'), 'position', 'a position with a line feed'],
        [call(name, 'x'.repeat(1025)), 'position', 'a position of 1025 characters'],
        [() => loadCheckpoint.call(store, ''), 'name', 'loadCheckpoint of an empty name'],
      ];
      for (const [attempt, argument, what] of bad) await assertRejects(attempt, 'INVALID_ARGUMENT', argument, what);
      assertEqual(await load(store, name), 'kept', 'the checkpoint after the refused saves');
    },
  },
  {
    id: 'C15.4-backend-failures-reject-with-code-backend',
    level: 'MUST',
    title:
      'once the backend fails, saveCheckpoint and loadCheckpoint reject with BACKEND and the driver error as cause; a load never resolves as if there were no checkpoint',
    hint: 'check that every driver error of the checkpoint statements is wrapped as BackendError (with cause): a consumer that reads undefined starts over from the beginning',
    needs: ['checkpoints', 'fault'],
    async run({ store, stream, fault }) {
      const name = stream('consumer');
      await save(store, name, 'p1');
      await fault();
      const { saveCheckpoint, loadCheckpoint } = checkpoints(store);
      for (const [attempt, what] of [
        [() => loadCheckpoint.call(store, name), 'loadCheckpoint'],
        [() => saveCheckpoint.call(store, name, 'p2'), 'saveCheckpoint'],
      ] as const) {
        await assertRejects(attempt, 'BACKEND', undefined, `${what} after the fault`);
        const error = await attempt().catch((caught: unknown) => caught);
        assert((error as { cause?: unknown }).cause !== undefined, `${what} must reject with the driver's error as cause`);
      }
    },
  },
]);
