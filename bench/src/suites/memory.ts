import { MemoryEventStore } from '@hume/memory';
import type { Suite } from '../scenario.js';

const payload = { type: 'item-added', sku: 'sku-123', quantity: 2, price: { amount: 1999, currency: 'EUR' } };

/** The memory adapter against the same work done on a bare Map of arrays. */
const suite: Suite = {
  name: 'memory',
  async scenarios({ smoke }) {
    let raw = new Map<string, unknown[]>();
    let store = new MemoryEventStore();
    return [
      {
        name: 'memory: append, one stream',
        unit: 'append',
        ops: smoke ? 50 : 50_000,
        rounds: smoke ? 1 : 7,
        contenders: [
          {
            name: 'raw Map + JSON copy',
            async setup() {
              raw = new Map();
            },
            async run(ops) {
              for (let i = 0; i < ops; i++) {
                const events = raw.get('s') ?? [];
                events.push(Object.freeze({ seq: events.length + 1, payload: JSON.parse(JSON.stringify(payload)) }));
                raw.set('s', events);
                await Promise.resolve();
              }
            },
          },
          {
            name: '@hume/memory',
            async setup() {
              store = new MemoryEventStore();
            },
            async run(ops) {
              for (let i = 0; i < ops; i++) await store.append('s', payload);
            },
          },
        ],
        targets: [{ numerator: '@hume/memory', denominator: 'raw Map + JSON copy', min: 0.5 }],
      },
    ];
  },
};

export default suite;
