import { checkStreamsOptions, compareStreamNames, listStreamsPaged, prefixEnd, type StreamInfo, type StreamRange } from '@hume/core';
import { describe, expect, it } from 'vitest';

const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('compareStreamNames', () => {
  it('orders names like their UTF-8 bytes, astral characters after U+E000–U+FFFF', () => {
    const names = ['b', '\u{1F600}', '\uFFFD', 'a', '', 'ab', '\uE000', '\u00e9', 'a\u{10FFFF}', 'a\uFFFF'];
    const byBytes = [...names].sort((x, y) => (utf8(x) < utf8(y) ? -1 : utf8(x) > utf8(y) ? 1 : 0));
    expect([...names].sort(compareStreamNames)).toEqual(byBytes);
  });
});

describe('prefixEnd', () => {
  it('is the first name after every name that starts with the prefix', () => {
    expect(prefixEnd('cart-')).toBe('cart.');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\uD7FF')).toBe('\uE000');
    expect(prefixEnd('\uFFFF')).toBe('\u{10000}');
    expect(prefixEnd('')).toBeUndefined();
    expect(prefixEnd('\u{10FFFF}')).toBeUndefined();
  });
});

describe('checkStreamsOptions', () => {
  it('names the option and the reason', () => {
    expect(checkStreamsOptions(undefined)).toBeUndefined();
    expect(checkStreamsOptions({ prefix: 'a', after: 'b', limit: 0 })).toBeUndefined();
    expect(checkStreamsOptions({ limit: -1 })?.message).toBe('options.limit must be a non-negative safe integer (got -1)');
    expect(checkStreamsOptions({ prefix: 1 })?.message).toBe('options.prefix must be a string (got 1)');
    expect(checkStreamsOptions({ after: '\uD800' })?.code).toBe('INVALID_ARGUMENT');
    expect(checkStreamsOptions(null)?.message).toBe('options must be an object or undefined (got null)');
  });
});

describe('listStreamsPaged', () => {
  const all: StreamInfo[] = Array.from({ length: 25 }, (_, i) => ({ stream: `s-${String(i).padStart(2, '0')}`, last: i + 1 }));
  const ranges: StreamRange[] = [];
  const readPage = (range: StreamRange, limit: number): StreamInfo[] => {
    ranges.push(range);
    return all
      .filter(
        ({ stream }) =>
          (range.after === undefined || stream > range.after) && stream >= range.from && (range.to === undefined || stream < range.to),
      )
      .slice(0, limit);
  };

  it('reads keyset pages until a short page, honouring prefix, after and limit', async () => {
    const list = async (options?: object): Promise<string[]> => {
      const names: string[] = [];
      for await (const { stream } of listStreamsPaged(readPage, options, 4)) names.push(stream);
      return names;
    };
    expect(await list()).toEqual(all.map((info) => info.stream));
    expect(await list({ prefix: 's-1' })).toEqual(all.slice(10, 20).map((info) => info.stream));
    expect(await list({ after: 's-21' })).toEqual(['s-22', 's-23', 's-24']);
    ranges.length = 0;
    expect(await list({ limit: 6 })).toEqual(all.slice(0, 6).map((info) => info.stream));
    expect(ranges.map((range) => range.after)).toEqual([undefined, 's-03']);
  });

  it('rejects the first next() on a bad option, never the call', async () => {
    const listing = listStreamsPaged(readPage, { limit: 1.5 } as never, 4);
    await expect(listing.next()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
