/**
 * The smallest string above every string that starts with `prefix`, in
 * SQLite's BINARY order (UTF-8 bytes, which is code point order): the
 * prefix with its last code point below U+10FFFF raised by one and what
 * follows it dropped. `undefined` when every code point is U+10FFFF, as no
 * string is then above them all.
 *
 * @example
 * ```ts
 * prefixUpperBound('cart-'); // 'cart.'
 * prefixUpperBound('a\u{10FFFF}'); // 'b'
 * ```
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = [...prefix].map((character) => character.codePointAt(0) as number);
  // Stryker disable next-line EqualityOperator: equivalent, a bound given up on (undefined) only makes the feed scan for its prefix from the start
  for (let index = codePoints.length - 1; index >= 0; index--) {
    const codePoint = codePoints[index] as number;
    if (codePoint === 0x10ffff) continue;
    // Surrogates are not characters: past U+D7FF comes U+E000.
    // Stryker disable next-line ConditionalExpression: `false` is equivalent (U+D800 alone is bound as U+FFFD, a higher bound: the feed then starts its prefix scan earlier); its caught `true` twin goes with it
    const next = codePoint === 0xd7ff ? 0xe000 : codePoint + 1;
    return String.fromCodePoint(...codePoints.slice(0, index), next);
  }
  return undefined;
}
