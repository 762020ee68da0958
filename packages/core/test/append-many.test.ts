import {
  type AppendManyResult,
  appendMany,
  checkAppendMany,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type EventStore,
  isEventStore,
  MIN_MAX_PAYLOAD_BYTES,
  prepareAppendMany,
  validate,
} from '@hume/core';
import { describe, expect, it } from 'vitest';

function refusal(payloads: unknown, maxPayloadBytes?: number): string {
  const prepared = prepareAppendMany('s', payloads, undefined, maxPayloadBytes === undefined ? {} : { maxPayloadBytes });
  expect(prepared.ok).toBe(false);
  if (prepared.ok) return '';
  expect(prepared.error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'payloads' });
  return prepared.error.message;
}

describe('prepareAppendMany', () => {
  it('serialises every payload in order, exactly as JSON.stringify would', () => {
    const payloads = [{ type: 'opened' }, [1, -0, 'two'], null, 'text', 42];
    expect(prepareAppendMany('s', payloads, 0)).toEqual({ ok: true, json: payloads.map((p) => JSON.stringify(p)) });
  });

  it('checks the stream, then expect, then the payloads', () => {
    expect(checkAppendMany('', [], 'x')).toMatchObject({ argument: 'stream' });
    expect(checkAppendMany('s', [], 'x')).toMatchObject({ argument: 'expect' });
    expect(checkAppendMany('s', [], null)).toMatchObject({ argument: 'payloads' });
  });

  it('refuses an empty batch, a batch that is not an array, and one past the maximum count', () => {
    expect(refusal([])).toBe('payloads must hold at least one payload (got an empty array)');
    expect(refusal({ 0: 1, length: 1 })).toBe('payloads must be an array of payloads (got an object)');
    expect(refusal('ab')).toBe('payloads must be an array of payloads (got "ab")');
    expect(refusal(new Array(DEFAULT_MAX_BATCH_EVENTS + 1).fill(1))).toBe(
      `payloads must hold at most ${DEFAULT_MAX_BATCH_EVENTS} payloads (got 10001)`,
    );
    expect(prepareAppendMany('s', new Array(DEFAULT_MAX_BATCH_EVENTS).fill({ n: 1 }), undefined).ok).toBe(true);
  });

  it('refuses the whole batch for one bad payload, naming its index and the path inside it', () => {
    expect(refusal([{ ok: 1 }, { ok: 2 }, { ok: 3 }, { at: new Date(0) }])).toBe(
      'payloads[3].at must be a plain object or array (got a Date; convert it to plain JSON first)',
    );
    expect(refusal([1, Object.defineProperty({}, 'toJSON', { value: () => 1 })])).toMatch(/^payloads\[1\] has its own toJSON/);
    expect(refusal([1, undefined])).toBe('payloads[1] must be a JSON value (got undefined)');
  });

  it('reads the array like a payload: no Proxy, holes or getters, and none of them runs', () => {
    let runs = 0;
    expect(refusal(new Proxy([1], { get: () => runs++ }))).toBe('payloads must not be a Proxy (pass a plain array)');
    const sparse = [1, 2];
    delete sparse[0];
    expect(refusal(sparse)).toBe('payloads has a hole at index 0 (got a sparse array)');
    const getter = Object.defineProperty([1, 2], 1, {
      get: () => {
        runs++;
        return 2;
      },
    });
    expect(refusal(getter)).toMatch(/^payloads\[1\] is an accessor property/);
    expect(runs).toBe(0);
  });

  it('lets a store allow larger batches', () => {
    const many = new Array(20_000).fill(1);
    expect(refusal(many)).toMatch(/at most 10000 payloads/);
    expect(prepareAppendMany('s', many, undefined, { maxBatchEvents: 20_000 }).ok).toBe(true);
    const half = 'x'.repeat(MIN_MAX_PAYLOAD_BYTES / 2);
    const options = { maxPayloadBytes: MIN_MAX_PAYLOAD_BYTES, maxBatchBytes: 4 * MIN_MAX_PAYLOAD_BYTES };
    expect(prepareAppendMany('s', [half, half, half], undefined, options).ok).toBe(true);
  });

  it("limits the batch's JSON text to maxPayloadBytes in total, each payload too", () => {
    const half = 'x'.repeat(MIN_MAX_PAYLOAD_BYTES / 2);
    expect(prepareAppendMany('s', [half], undefined, { maxPayloadBytes: MIN_MAX_PAYLOAD_BYTES }).ok).toBe(true);
    expect(refusal([half, half], MIN_MAX_PAYLOAD_BYTES)).toBe(
      "payloads must be at most 2097152 bytes as JSON text in UTF-8 in total (the store's maximum batch size); they pass it at payloads[1]",
    );
    expect(refusal(['a', '\u0001'.repeat(1e8)])).toBe(
      `payloads[1] must be at most ${DEFAULT_MAX_PAYLOAD_BYTES} bytes as JSON text in UTF-8 (the store's maxPayloadBytes); this one is larger`,
    );
  });
});

describe('appendMany', () => {
  const recording = (): EventStore & { calls: unknown[][] } => {
    const calls: unknown[][] = [];
    return {
      calls,
      append: async () => ({ ok: true, seq: 1 }),
      appendMany: async (...args: unknown[]): Promise<AppendManyResult> => {
        calls.push(args);
        return { ok: true, first: 1, seq: 2 };
      },
      async *events() {},
    };
  };

  it('refuses bad arguments before the store is called, and passes good ones on', async () => {
    const store = recording();
    expect(await appendMany(store, 's', [])).toMatchObject({ ok: false, error: { argument: 'payloads' } });
    expect(await appendMany(store, 's', [1, 2], 0)).toEqual({ ok: true, first: 1, seq: 2 });
    expect(store.calls).toEqual([['s', [1, 2], 0]]);
  });

  it('rejects with a TypeError for a store without appendMany: there is no atomic fallback', async () => {
    await expect(appendMany({ append: async () => ({ ok: true, seq: 1 }), async *events() {} }, 's', [1])).rejects.toThrow(TypeError);
  });
});

describe('validate and appendMany', () => {
  it('accepts stores with or without appendMany, and a 1.0 store whose own fields bear 1.1 capability names', async () => {
    const base = { append: async () => ({ ok: true, seq: 1 }), async *events() {} };
    expect(validate(base)).toEqual({ ok: true });
    expect(isEventStore({ ...base, appendMany: async () => ({ ok: true, first: 1, seq: 1 }) })).toBe(true);
    // A 1.0 store keeps its streams in a Map named `streams`: it conforms, and declares no capability.
    const legacy = { ...base, streams: new Map(), feed: [], appendMany: {} };
    expect(validate(legacy)).toEqual({ ok: true });
    await expect(appendMany(legacy as never, 's', [1])).rejects.toThrow(TypeError);
  });
});
