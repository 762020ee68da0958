import type { Json, Snapshot } from '@hume/core';
import { assert, assertEqual, show } from '../assertions.js';
import { assertRejects, loadSnapshotOk, saveSnapshotOk, snapshots } from '../capability-calls.js';
import { defineCases } from '../conformance-case.js';
import { feedStart, readFeed } from '../feed-calls.js';
import { appendOk, readAll } from '../store-calls.js';

const state: Json = { balance: 12.5, owner: 'Zoë \u{1F600}', tags: ['a', null, true], nested: { deep: [[{ x: -0 }]] }, empty: {} };
/** What the store must give back: JSON's view of `state` (-0 is 0). */
const stored = JSON.parse(JSON.stringify(state)) as Json;

/** C14: the optional snapshots. Each case runs only on stores that have saveSnapshot and loadSnapshot. */
export const snapshotCases = defineCases([
  {
    id: 'C14.1-a-saved-snapshot-loads-back-and-a-save-replaces-it',
    level: 'MUST',
    title:
      'loadSnapshot gives back what saveSnapshot stored (state as JSON), undefined for a pair never saved; a later save replaces it whatever its version and seq',
    hint: 'check the upsert (INSERT … ON CONFLICT DO UPDATE, not DO NOTHING or INSERT OR IGNORE) and that state is stored as the JSON text that was checked',
    needs: ['snapshots'],
    async run({ store, stream }) {
      const account = stream('account');
      assertEqual(await loadSnapshotOk(store, account, 'balance'), undefined, 'loadSnapshot of a pair never saved');
      await saveSnapshotOk(store, account, 'balance', { version: 3, seq: 40, state });
      assertEqual(await loadSnapshotOk(store, account, 'balance'), { version: 3, seq: 40, state: stored }, 'the snapshot loaded back');
      await saveSnapshotOk(store, account, 'balance', { version: 2, seq: 7, state: 'older but saved last' });
      assertEqual(
        await loadSnapshotOk(store, account, 'balance'),
        { version: 2, seq: 7, state: 'older but saved last' },
        'the snapshot after a second save with a lower version and seq',
      );
      for (const value of [null, 0, [], 'text', JSON.parse('{"":{"__proto__":1}}')] as Json[]) {
        await saveSnapshotOk(store, account, 'any-json', { version: 0, seq: 0, state: value });
        assertEqual(
          (await loadSnapshotOk(store, account, 'any-json'))?.state,
          JSON.parse(JSON.stringify(value)),
          `state ${show(value)} loaded back`,
        );
      }
    },
  },
  {
    id: 'C14.1-every-stream-and-name-pair-has-its-own-snapshot',
    level: 'MUST',
    title: 'snapshots of pairs that differ in the stream or the name, by case, normalisation or a trailing space, are kept apart',
    hint: 'check that the key is (stream, name) both, compared exactly (BINARY, COLLATE "C"), with no trimming or case folding',
    needs: ['snapshots'],
    async run({ store, stream }) {
      const base = stream('pairs');
      const pairs: [string, string][] = [
        [`${base}/a`, 'balance'],
        [`${base}/a`, 'Balance'],
        [`${base}/a`, 'balance '],
        [`${base}/A`, 'balance'],
        [`${base}/\u00e9`, 'balance'],
        [`${base}/e\u0301`, 'balance'],
        [`${base}/a`, '\u00e9'],
        [`${base}/a`, 'e\u0301'],
      ];
      for (const [index, [s, name]] of pairs.entries())
        await saveSnapshotOk(store, s, name, { version: 1, seq: index + 1, state: { index } });
      for (const [index, [s, name]] of pairs.entries()) {
        assertEqual(
          await loadSnapshotOk(store, s, name),
          { version: 1, seq: index + 1, state: { index } },
          `the snapshot of (${show(s)}, ${show(name)})`,
        );
      }
      assertEqual(await loadSnapshotOk(store, `${base}/b`, 'balance'), undefined, 'a stream of the same prefix never saved');
    },
  },
  {
    id: 'C14.1-another-instance-loads-a-saved-snapshot',
    level: 'MUST',
    title: 'a snapshot saved through one store instance is loaded by another on the same data, and replaced through it',
    hint: 'check that snapshots live in the shared backend (a table), not in a cache of the instance',
    needs: ['snapshots', 'reopen'],
    async run({ store, stream, reopen }) {
      const account = stream('shared');
      await saveSnapshotOk(store, account, 'balance', { version: 1, seq: 5, state });
      const other = await reopen();
      assertEqual(
        await loadSnapshotOk(other, account, 'balance'),
        { version: 1, seq: 5, state: stored },
        'the snapshot seen by another instance',
      );
      await saveSnapshotOk(other, account, 'balance', { version: 1, seq: 9, state: 9 });
      assertEqual(
        await loadSnapshotOk(store, account, 'balance'),
        { version: 1, seq: 9, state: 9 },
        'the snapshot replaced by the other instance',
      );
    },
  },
  {
    id: 'C14.2-snapshots-are-not-events',
    level: 'MUST',
    title: 'saving snapshots adds no event to any stream, listing or feed, and appends leave snapshots as they were',
    hint: 'check that snapshots go to a table of their own, not to the events (no snapshot-as-event), and that appending never clears them',
    needs: ['snapshots'],
    async run({ store, stream }) {
      const base = stream('not-events');
      const [account, bare] = [`${base}/account`, `${base}/bare`];
      const start = typeof store.feed === 'function' ? await feedStart(store, `${base}/start`) : undefined;
      await appendOk(store, account, { n: 1 });
      await saveSnapshotOk(store, account, 'balance', { version: 1, seq: 1, state: { n: 1 } });
      await saveSnapshotOk(store, bare, 'balance', { version: 1, seq: 0, state: null });
      assertEqual(
        (await readAll(store, account)).map((event) => event.payload),
        [{ n: 1 }],
        'the events of the stream with a snapshot',
      );
      assertEqual(await readAll(store, bare), [], 'the events of a stream that only has a snapshot');
      if (typeof store.streams === 'function') {
        const listed: string[] = [];
        for await (const info of store.streams({ prefix: bare })) listed.push(info.stream);
        assertEqual(listed, [], 'the listing of a stream that only has a snapshot');
      }
      if (start !== undefined) {
        const items = await readFeed(store, start, { prefix: base }, 'the feed after the snapshots were saved');
        assertEqual(
          items.map((item) => `${item.stream} ${item.seq}`),
          [`${account} 1`],
          'the feed after the snapshots were saved',
        );
      }
      assertEqual(await appendOk(store, account, { n: 2 }), 2, 'the seq of the append after the snapshot');
      assertEqual(await loadSnapshotOk(store, account, 'balance'), { version: 1, seq: 1, state: { n: 1 } }, 'the snapshot after an append');
    },
  },
  {
    id: 'C14.3-bad-arguments-are-refused-and-store-nothing',
    level: 'MUST',
    title:
      'bad streams, names, versions, seqs and states reject with INVALID_ARGUMENT naming the argument, never synchronously, and leave the previous snapshot',
    hint: 'check every argument with prepareSnapshot of @hume/core before writing, and call it inside the async function so that nothing throws synchronously',
    needs: ['snapshots'],
    async run({ store, stream }) {
      const account = stream('account');
      const kept: Snapshot = { version: 1, seq: 3, state: { kept: true } };
      await saveSnapshotOk(store, account, 'balance', kept);
      const { saveSnapshot, loadSnapshot } = snapshots(store);
      const save = (s: unknown, name: unknown, snapshot: unknown) => () =>
        saveSnapshot.call(store, s as string, name as string, snapshot as Snapshot);
      const bad: [() => Promise<unknown>, string, string][] = [
        [save('', 'balance', kept), 'stream', 'an empty stream'],
        [save(account, '', kept), 'name', 'an empty name'],
        [save(account, 'a\0b', kept), 'name', 'a name with U+0000'],
        [save(account, 7, kept), 'name', 'a number as name'],
        [save(account, 'balance', null), 'snapshot', 'a null snapshot'],
        [save(account, 'balance', { version: 1, seq: 2 }), 'snapshot', 'a snapshot without state'],
        [save(account, 'balance', { version: '1', seq: 2, state: 1 }), 'snapshot', 'a string version'],
        [save(account, 'balance', { version: 1, seq: -1, state: 1 }), 'snapshot', 'a negative seq'],
        [save(account, 'balance', { version: 1, seq: 1.5, state: 1 }), 'snapshot', 'a fractional seq'],
        [save(account, 'balance', { version: 1, seq: 2, state: 1, extra: 1 }), 'snapshot', 'an unknown field'],
        [save(account, 'balance', { version: 1, seq: 2, state: { at: new Date(0) } }), 'snapshot', 'a Date in the state'],
        [save(account, 'balance', { version: 1, seq: 2, state: { n: Number.NaN } }), 'snapshot', 'NaN in the state'],
        [save(account, 'balance', { version: 1, seq: 2, state: { s: '\ud800' } }), 'snapshot', 'a lone surrogate in the state'],
        [() => loadSnapshot.call(store, '', 'balance'), 'stream', 'loadSnapshot of an empty stream'],
        [() => loadSnapshot.call(store, account, undefined as never), 'name', 'loadSnapshot without a name'],
      ];
      for (const [call, argument, what] of bad) await assertRejects(call, 'INVALID_ARGUMENT', argument, what);
      assertEqual(await loadSnapshotOk(store, account, 'balance'), kept, 'the snapshot after the refused saves');
    },
  },
  {
    id: 'C14.4-changing-saved-or-loaded-snapshots-changes-nothing',
    level: 'MUST',
    title: 'changing the object given to saveSnapshot, or one loadSnapshot gave, does not change what is stored',
    hint: "check that the store keeps the JSON text (or a deep copy), never the caller's object or the one it handed out",
    needs: ['snapshots'],
    async run({ store, stream }) {
      const account = stream('account');
      const snapshot = { version: 1, seq: 2, state: { list: [1, 2], inner: { x: 1 } } };
      await saveSnapshotOk(store, account, 'balance', snapshot);
      snapshot.state.list.push(3);
      snapshot.state.inner.x = 99;
      snapshot.seq = 77;
      const loaded = await loadSnapshotOk(store, account, 'balance');
      assertEqual(loaded, { version: 1, seq: 2, state: { list: [1, 2], inner: { x: 1 } } }, 'the snapshot after changing the saved object');
      try {
        const inner = ((loaded as Snapshot).state as { inner: { x: number } }).inner;
        inner.x = 42;
        (loaded as { seq: number }).seq = 55;
      } catch {
        // Frozen objects conform too (C6.2).
      }
      assertEqual(
        await loadSnapshotOk(store, account, 'balance'),
        { version: 1, seq: 2, state: { list: [1, 2], inner: { x: 1 } } },
        'the snapshot after changing a loaded one',
      );
    },
  },
  {
    id: 'C14.5-backend-failures-reject-with-code-backend',
    level: 'MUST',
    title:
      'once the backend fails, saveSnapshot and loadSnapshot reject with BACKEND and the driver error as cause; a load never resolves as if there were no snapshot',
    hint: 'check that every driver error of the snapshot statements is wrapped as BackendError (with cause), and that a failed read is not turned into undefined',
    needs: ['snapshots', 'fault'],
    async run({ store, stream, fault }) {
      const account = stream('account');
      await saveSnapshotOk(store, account, 'balance', { version: 1, seq: 1, state: 1 });
      await fault();
      const { saveSnapshot, loadSnapshot } = snapshots(store);
      for (const [call, what] of [
        [() => loadSnapshot.call(store, account, 'balance'), 'loadSnapshot'],
        [() => saveSnapshot.call(store, account, 'balance', { version: 1, seq: 2, state: 2 }), 'saveSnapshot'],
      ] as const) {
        await assertRejects(call, 'BACKEND', undefined, `${what} after the fault`);
        const error = await call().catch((caught: unknown) => caught);
        assert((error as { cause?: unknown }).cause !== undefined, `${what} must reject with the driver's error as cause`);
      }
    },
  },
]);
