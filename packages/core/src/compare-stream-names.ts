/**
 * Orders stream names by code point, which is the order of their UTF-8
 * bytes: what SQLite's BINARY collation and PostgreSQL's "C" collation
 * give, so every adapter lists streams in one order (clause C12.2). It
 * differs from `<` on strings (UTF-16 code units) only where a character
 * above U+FFFF meets one from U+E000 to U+FFFF.
 *
 * @example
 * ```ts
 * ['b', '\u{1F600}', '\uFFFD'].sort(compareStreamNames); // ['b', '\uFFFD', '\u{1F600}']
 * ```
 */
export function compareStreamNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800–U+DFFF, the halves of characters above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * The smallest string, in code-point order, above every string that starts
 * with `prefix`; `undefined` when there is none (an empty prefix, or one of
 * only U+10FFFF). Names from `prefix` (inclusive) to it (exclusive) are
 * exactly those that start with `prefix`: an index range for adapters.
 *
 * @example
 * ```ts
 * prefixEnd('cart-'); // 'cart.'
 * ```
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (character) => character.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) {
      points.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}
