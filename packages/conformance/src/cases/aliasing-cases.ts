import { assert, assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, contents, readAll } from '../store-calls.js';

/** C6: a store shares no memory with its callers, in either direction. */
export const aliasingCases = defineCases([
  {
    id: 'C6.1-changing-the-appended-object-changes-nothing',
    level: 'MUST',
    title: 'mutating the payload during and after append leaves the stored event as it was appended',
    hint: 'check that append copies or serialises the payload before its first await, not a reference kept for later',
    async run({ store, stream }) {
      const name = stream();
      const payload = { list: [1, 2], nested: { a: 'before' } };
      const pending = store.append(name, payload as never);
      payload.list.push(3);
      payload.nested.a = 'during';
      const result = await pending;
      assert(result.ok, 'append failed');
      payload.nested.a = 'after';
      (payload as Record<string, unknown>).extra = true;
      assertEqual(
        await contents(store, name),
        [[1, { list: [1, 2], nested: { a: 'before' } }]],
        'stored event after the caller mutated its payload',
      );
    },
  },
  {
    id: 'C6.2-changing-a-read-event-changes-nothing',
    level: 'MUST',
    title: 'mutating an event received from events leaves the store unchanged (frozen objects or fresh copies both pass)',
    hint: 'check that the store does not hand out the objects it keeps; freeze them deeply or copy them out',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, { list: [1], nested: { a: 1 } });
      const [event] = await readAll(store, name);
      const tamper = (change: () => void): void => {
        try {
          change();
        } catch {
          // A frozen object throws in strict mode: that is one valid way to conform.
        }
      };
      const payload = event?.payload as { list: number[]; nested: { a: number }; added?: boolean };
      tamper(() => payload.list.push(2));
      tamper(() => {
        payload.nested.a = 2;
      });
      tamper(() => {
        payload.added = true;
      });
      tamper(() => {
        (event as { seq: number }).seq = 99;
      });
      assertEqual(
        await contents(store, name),
        [[1, { list: [1], nested: { a: 1 } }]],
        'stored event after the reader mutated what it received',
      );
    },
  },
]);
