import { runInNewContext } from 'node:vm';
import { assertEqual } from '../assertions.js';
import type { CaseContext } from '../conformance-case.js';
import { defineCases } from '../conformance-case.js';
import { appendInvalid, appendOk, contents } from '../store-calls.js';

/**
 * Payloads that run code or change while JSON reads them (C5.3): a check
 * that walks `Object.keys()` and then hands the payload to `JSON.stringify`
 * lets every one of them through, and stores something other than what it
 * checked, or rejects without a code. Each maker builds a fresh payload.
 */
const traps: [label: string, title: string, make: () => unknown[]][] = [
  [
    'non-enumerable-own-tojson',
    'a non-enumerable own toJSON (one returning undefined, one replacing the payload)',
    () => [
      Object.defineProperty({ a: 1 }, 'toJSON', { value: () => undefined }),
      { inner: Object.defineProperty({ b: 2 }, 'toJSON', { value: () => ({ replaced: true }) }) },
    ],
  ],
  [
    'inherited-tojson',
    'a toJSON inherited from a prototype that looks plain (null prototype, constructor Object)',
    () => {
      const proto = Object.assign(Object.create(null) as object, { constructor: Object, toJSON: () => ({ replaced: true }) });
      return [{ a: Object.create(proto) as object }];
    },
  ],
  [
    'other-realm-tojson',
    'an object from another realm (a vm context) whose Object.prototype has a toJSON',
    () => [runInNewContext('Object.prototype.toJSON = function () { return { replaced: true } }; ({ a: 1, list: [1] })') as unknown],
  ],
  [
    'proxy',
    'a Proxy whose get trap answers differently each time it is asked',
    () => {
      let reads = 0;
      const handler: ProxyHandler<Record<string, unknown>> = { get: (target, key) => (key === 'n' ? ++reads : Reflect.get(target, key)) };
      return [{ p: new Proxy<Record<string, unknown>>({ n: 0 }, handler) }, new Proxy([1, 2], {})];
    },
  ],
  [
    'getter-that-changes-a-sibling',
    'a getter that returns the same value each time but turns a sibling into a Date while it is read',
    () => {
      const payload: Record<string, unknown> = { at: '2026-12-02' };
      Object.defineProperty(payload, 'sneaky', {
        enumerable: true,
        get() {
          payload.at = new Date(0);
          return 1;
        },
      });
      return [payload];
    },
  ],
  ['deep-bigint', 'a bigint deep inside arrays and objects', () => [{ a: [{ b: [1, { c: 10n }] }] }]],
  ['deep-lone-surrogate-key', 'a key with a lone surrogate deep inside', () => [{ a: [{ ok: 1, 'x\uD800': 1 }] }, { '\uDBFF': [] }]],
  [
    'very-deep-nesting',
    'nesting 100,000 levels deep, where a recursive JSON.stringify overflows the call stack',
    () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { deep };
      return [deep];
    },
  ],
];

/** C5.3: payloads that run code or change while JSON reads them are refused, and nothing is stored. */
export const payloadTrapCases = defineCases(
  traps.map(([label, title, make]) => ({
    id: `C5.3-refuses-${label}`,
    level: 'MUST' as const,
    title: `${title} is refused with INVALID_ARGUMENT and nothing is stored`,
    hint: 'use serializePayload or prepareAppend from @hume/core, which check and write the JSON text in one pass: a check followed by JSON.stringify reads the payload twice and obeys toJSON, Proxies and getters',
    async run({ store, stream }: CaseContext) {
      const name = stream(label);
      for (const payload of make()) {
        await appendInvalid(store, name, payload, undefined, 'payload');
        await appendInvalid(store, name, payload, 0, 'payload');
      }
      assertEqual(await contents(store, name), [], 'events stored after the refused payloads');
      // A stream must go on after a refusal, also for appends without expect (which some stores queue).
      assertEqual(await appendOk(store, name, 'valid'), 1, 'seq of the first valid append after the refusals');
      assertEqual(await appendOk(store, name, 'next'), 2, 'seq of the second valid append after the refusals');
    },
  })),
);
