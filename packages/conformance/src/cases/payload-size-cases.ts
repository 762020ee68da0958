import { assert, assertEqual, show } from '../assertions.js';
import { appendManyInvalid, appendManyOk } from '../batch-calls.js';
import { assertRejects, loadSnapshotOk, saveSnapshotOk } from '../capability-calls.js';
import { defineCases } from '../conformance-case.js';
import { appendInvalid, appendOk, callAppend, contents, readAll } from '../store-calls.js';

/** A string payload whose JSON text is exactly `bytes` bytes of UTF-8 (the two quotes included). */
const payloadOf = (bytes: number): string => 'a'.repeat(bytes - 2);

const MiB = 1024 * 1024;

/** C5.4: every store has a maximum payload size of at least 2 MiB of JSON text, and refuses larger payloads with a code. */
export const payloadSizeCases = defineCases([
  {
    id: 'C5.4-payloads-of-2-mib-round-trip',
    level: 'MUST',
    title: 'a payload whose JSON text is exactly 2 MiB, the smallest maximum a store may have, round-trips',
    hint: 'check the store maximum payload size (maxPayloadBytes): it must be at least 2 MiB of JSON text in UTF-8',
    async run({ store, stream }) {
      const name = stream();
      // 2 MiB as JSON: the quotes and a 3-byte character included.
      const payload = `€${'a'.repeat(2 * MiB - 5)}`;
      assertEqual(await appendOk(store, name, payload), 1, 'seq of the 2 MiB payload');
      const events = await readAll(store, name);
      assert(events[0]?.payload === payload, `the 2 MiB payload read back differs (got ${show(events[0]?.payload)})`);
    },
  },
  {
    id: 'C5.4-payloads-too-large-for-any-store-are-refused',
    level: 'MUST',
    title:
      'a payload whose JSON text could not even be a JavaScript string (a 100 MB string of U+0001, 600 M characters as JSON; 40 references to one 16 MiB string) is refused with INVALID_ARGUMENT naming the limit, never a RangeError, and nothing is stored',
    hint: 'check that the store counts the bytes of the JSON text while writing it and stops at its maximum (serializePayload of @hume/core does): JSON.stringify throws RangeError: Invalid string length, without a code',
    async run({ store, stream }) {
      const name = stream();
      const makers: (() => unknown)[] = [() => ({ huge: '\u0001'.repeat(1e8) }), () => new Array<string>(40).fill('x'.repeat(16 * MiB))];
      for (const make of makers) {
        await appendInvalid(store, name, make(), undefined, 'payload');
        const result = await callAppend(store, name, make(), 0);
        const message = result.ok ? '' : String(result.error.message);
        assert(/\d/.test(message), `the refusal must name the store maximum payload size (got ${show(message)})`);
      }
      assertEqual(await contents(store, name), [], 'events stored after the refused payloads');
      assertEqual(await appendOk(store, name, 'valid'), 1, 'seq of the first valid append after the refusals');
    },
  },
  {
    id: 'C5.4-the-declared-maximum-is-exactly-the-limit',
    level: 'MUST',
    title:
      'with the maximum payload size the target declares (maxPayloadBytes): a payload of exactly that many bytes of JSON is stored, one byte more is refused with INVALID_ARGUMENT naming the limit; the same holds in a batch (appendMany) and for a snapshot state, when the store has them',
    hint: 'check that the maximum the store was given reaches every check (append, appendMany, saveSnapshot), not only the default of the library it checks with',
    needs: ['maxPayloadBytes'],
    async run({ store, stream, maxPayloadBytes }) {
      const max = maxPayloadBytes as number;
      const name = stream();
      assertEqual(await appendOk(store, name, payloadOf(max)), 1, `seq of a payload of exactly ${max} bytes`);
      await appendInvalid(store, name, payloadOf(max + 1), undefined, 'payload');
      const result = await callAppend(store, name, payloadOf(max + 1), 1);
      const message = result.ok ? '' : String(result.error.message);
      assert(message.includes(String(max)), `the refusal must name the maximum, ${max} (got ${show(message)})`);
      assertEqual((await readAll(store, name)).length, 1, 'events stored after the refused payloads');
      if (store.appendMany) {
        const batch = stream('batch');
        await appendManyInvalid(store, batch, ['small', payloadOf(max + 1)], undefined, 'payloads');
        assertEqual(await appendManyOk(store, batch, [payloadOf(max)]), { first: 1, seq: 1 }, 'a batch of one payload of the maximum');
      }
      if (store.saveSnapshot && store.loadSnapshot) {
        const account = stream('snapshot');
        await saveSnapshotOk(store, account, 'state', { version: 1, seq: 1, state: payloadOf(max) });
        await assertRejects(
          () =>
            (store.saveSnapshot as NonNullable<typeof store.saveSnapshot>)(account, 'state', {
              version: 2,
              seq: 2,
              state: payloadOf(max + 1),
            }),
          'INVALID_ARGUMENT',
          'snapshot',
          `saveSnapshot of a state of ${max + 1} bytes`,
        );
        assertEqual((await loadSnapshotOk(store, account, 'state'))?.version, 1, 'version of the snapshot kept after the refused one');
      }
    },
  },
]);
