/**
 * The relative targets of a markdown text's links and images, anchors and
 * queries cut off: what must exist beside the README wherever it is read.
 *
 * @example
 * ```ts
 * relativeLinks('[c](contract.md#c2) [w](https://x.org)'); // ['contract.md']
 * ```
 */
export function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? '');
  return targets.filter((target) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target)).map((target) => target.replace(/[#?].*$/, ''));
}
