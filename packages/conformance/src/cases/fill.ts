import { assertEqual } from '../assertions.js';
import { appendOk } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/** Appends `count` events `{ i }` one after another, checking each seq. */
export async function fill(store: AnyEventStore, stream: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const seq = await appendOk(store, stream, { i });
    if (seq !== i + 1) assertEqual(seq, i + 1, `seq of append #${i + 1} while filling ${stream}`);
  }
}
