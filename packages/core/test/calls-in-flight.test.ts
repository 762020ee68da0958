import { describe, expect, it } from 'vitest';
import { CallsInFlight } from '../src/calls-in-flight.js';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CallsInFlight', () => {
  it('returns the call it tracks', async () => {
    const calls = new CallsInFlight();
    const call = Promise.resolve(7);
    expect(calls.track(call)).toBe(call);
    await expect(call).resolves.toBe(7);
  });

  it('settles only after every tracked call settled, rejected ones included, and never rejects', async () => {
    const calls = new CallsInFlight();
    const first = deferred<number>();
    const second = deferred<number>();
    void calls.track(first.promise);
    calls.track(second.promise).catch(() => undefined);
    let settled = false;
    const waiting = calls.settled().then(() => {
      settled = true;
    });
    first.resolve(1);
    await first.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    second.reject(new Error('lost'));
    await waiting;
    expect(settled).toBe(true);
  });

  it('also waits for calls tracked while it waits', async () => {
    const calls = new CallsInFlight();
    const first = deferred<void>();
    const late = deferred<void>();
    void calls.track(first.promise);
    let settled = false;
    const waiting = calls.settled().then(() => {
      settled = true;
    });
    void calls.track(late.promise);
    first.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    late.resolve();
    await waiting;
    expect(settled).toBe(true);
  });
});
