import { checkOptions, type OptionNames } from '@hume/core';
import { describe, expect, it } from 'vitest';

interface Options {
  pageSize?: number;
  tablePrefix?: string;
}
const names: OptionNames<Options> = { pageSize: true, tablePrefix: true };

describe('checkOptions', () => {
  it('passes known options, an empty object and undefined', () => {
    expect(() => checkOptions({ pageSize: 1, tablePrefix: 'x' }, names)).not.toThrow();
    expect(() => checkOptions({}, names)).not.toThrow();
    expect(() => checkOptions(undefined, names)).not.toThrow();
  });

  it('refuses an unknown option with a TypeError that names it and lists the options', () => {
    expect(() => checkOptions({ pageSize: 1, bogus: 1 }, names)).toThrow(
      new TypeError('options.bogus is not an option (the options are: pageSize, tablePrefix)'),
    );
  });

  it('refuses an unknown option even when its value is undefined', () => {
    expect(() => checkOptions({ bogus: undefined }, names)).toThrow(TypeError);
  });

  it('suggests the option a key differs from only in case', () => {
    expect(() => checkOptions({ pagesize: 1 }, names)).toThrow(
      'options.pagesize is not an option (did you mean pageSize? the options are: pageSize, tablePrefix)',
    );
  });

  it.each([
    [null, 'null'],
    [42, '42'],
    ['a', '"a"'],
    [[], 'an array'],
  ])('refuses %j as options', (options, got) => {
    expect(() => checkOptions(options, names)).toThrow(new TypeError(`options must be an object (got ${got})`));
  });

  it('makes a list that forgets an option a compile error', () => {
    // @ts-expect-error tablePrefix is missing
    const incomplete: OptionNames<Options> = { pageSize: true };
    expect(incomplete).toBeDefined();
  });
});
