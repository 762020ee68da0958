// `pnpm mutation` scores the kit over the contract's code: source regions
// marked "kit scope: outside the contract — <why>" are scored apart
// (scripts/mutation/mutation-score.mjs). Each marker must say why, and regions must
// not nest, or the score would leave out more than the markers claim.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain JavaScript script of the repository, without types
import { outsideContract } from '../../../scripts/mutation/mutation-score.mjs';
import { root } from './workspace.js';

const adapters = ['sqlite', 'postgres'];

function sources(adapter: string): [string, string][] {
  const dir = `${root}packages/${adapter}/src`;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => [`${adapter}/src/${name}`, readFileSync(`${dir}/${name}`, 'utf8')]);
}

describe('kit scope markers', () => {
  it('reads regions: a start, its end, and a start without end running to the end of the file', () => {
    const source = [
      'a',
      '// kit scope: outside the contract — options',
      'b',
      '// kit scope: end',
      'c',
      '  // kit scope: outside the contract — rest',
      'd',
    ].join('\n');
    expect(outsideContract(source)).toEqual([
      [2, 4],
      [6, Number.POSITIVE_INFINITY],
    ]);
  });

  it.each(adapters)('in @hume/%s each say why and never nest', (adapter) => {
    for (const [file, source] of sources(adapter)) {
      let open: number | undefined;
      source.split('\n').forEach((line, index) => {
        const where = `${file}:${index + 1}`;
        if (/kit scope: outside the contract/.test(line)) {
          expect(open, `${where} starts a region inside the one started at line ${open}`).toBeUndefined();
          expect(line, `${where} must give its reason after "—"`).toMatch(/outside the contract — \S.{10,}/);
          open = index + 1;
        } else if (/kit scope: end/.test(line)) {
          expect(open, `${where} ends a region that was never started`).toBeDefined();
          open = undefined;
        }
      });
    }
  });

  // Stryker reads a directive only as the leading comment of a node: one right above a line that
  // starts with `}` (`} finally {`, `} else if (…) {`) ends the block before it and is ignored,
  // so the mutants it names would be tested while the source says they are not.
  it.each(adapters)('in @hume/%s each Stryker directive leads a statement Stryker sees', (adapter) => {
    for (const [file, source] of sources(adapter)) {
      const lines = source.split('\n');
      lines.forEach((line, index) => {
        if (!/\/\/ Stryker (disable|restore)/.test(line)) return;
        const next = lines.slice(index + 1).find((text) => !/^\s*\/\//.test(text)) ?? '';
        expect(next, `${file}:${index + 1}: the directive is ignored before a line that starts with "}"`).not.toMatch(/^\s*}/);
      });
    }
  });
});
