import { serializePayload } from '@hume/core';
import { payload } from '../lanes.js';
import type { Contender, Scenario, Suite } from '../scenario.js';

/** An order with nested objects, an array of lines, a number with a fraction and non-ASCII text. */
const order = {
  type: 'order-placed',
  id: 'ord-42',
  customer: { id: 'c-1', name: 'Zoë Müller' },
  lines: [
    { sku: 'a', quantity: 1 },
    { sku: 'b', quantity: 3 },
  ],
  total: 12.5,
  at: '2026-12-02T07:00:00.000Z',
};
/** 100 small objects in one array: a batch-like payload. */
const hundred = Array.from({ length: 100 }, (_, i) => ({ i, name: `item ${i}`, tags: ['x', 'y'], price: i * 1.5, ok: i % 2 === 0 }));

/**
 * `serializePayload` (checks a payload against clause C5, refusing toJSON,
 * Proxies and accessors without running them, and writes its JSON) against
 * a bare `JSON.stringify`, which checks nothing: what the check costs every
 * append, on three shapes of payload.
 */
const suite: Suite = {
  name: 'core',
  async scenarios({ smoke }) {
    const shapes = [
      ['the benchmark event', payload, 200_000],
      ['an order (nested objects, an array, non-ASCII)', order, 100_000],
      ['100 small objects in an array', hundred, 2_000],
    ] as const;
    return shapes.map(
      ([label, value, ops]): Scenario => ({
        name: `core: serializePayload of ${label}`,
        unit: 'payload',
        ops: smoke ? 10 : ops,
        rounds: smoke ? 1 : 9,
        contenders: [
          contender('JSON.stringify', () => JSON.stringify(value).length),
          contender('serializePayload', () => {
            const result = serializePayload(value);
            if (!result.ok) throw result.error;
            return result.bytes;
          }),
        ],
        targets: [{ numerator: 'serializePayload', denominator: 'JSON.stringify' }],
      }),
    );
  },
};

function contender(name: string, serialize: () => number): Contender {
  return {
    name,
    async run(ops) {
      let total = 0;
      for (let i = 0; i < ops; i++) total += serialize();
      if (total === 0) throw new Error(`${name} wrote nothing`);
    },
  };
}

export default suite;
