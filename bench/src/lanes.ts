/** Splits `ops` over `count` concurrent loops, lane `index` doing its share. */
export async function lanes(ops: number, count: number, lane: (index: number, ops: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, index) => lane(index, Math.floor(ops / count) + (index < ops % count ? 1 : 0))));
}

let streamCounter = 0;

/** A stream name no earlier round used, so each round starts at length 0. */
export const freshStream = (label: string): string => `${label}-${++streamCounter}`;

/** The event every contender writes: the same fields, in each store's own shape. */
export const payload = { type: 'item-added', sku: 'sku-123', quantity: 2, price: { amount: 1999, currency: 'EUR' } } as const;
