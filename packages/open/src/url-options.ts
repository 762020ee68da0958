import { invalidUrl } from './invalid-url.js';

/** How a query parameter's text becomes an option value. */
export type OptionKind = 'string' | 'integer';

/**
 * Reads the query parameters that name adapter options (`?tablePrefix=shop_`),
 * converting each to its kind. An unknown parameter, or one given twice,
 * is an `INVALID_ARGUMENT` error: a typo must not silently open another
 * store than the one meant.
 *
 * @example
 * ```ts
 * urlOptions(url, new URLSearchParams('pageSize=100'), { pageSize: 'integer' }); // { pageSize: 100 }
 * ```
 */
export function urlOptions(url: string, query: URLSearchParams, known: Readonly<Record<string, OptionKind>>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, text] of query) {
    const kind = known[name];
    if (kind === undefined) {
      const names = Object.keys(known).join(', ');
      throw invalidUrl(url, `has an unknown parameter ${JSON.stringify(name)} (known: ${names || 'none'})`);
    }
    if (name in options) throw invalidUrl(url, `gives the parameter ${JSON.stringify(name)} twice`);
    if (kind === 'integer') {
      if (!/^\d{1,15}$/.test(text)) throw invalidUrl(url, `has ${name}=${JSON.stringify(text)}, which must be a whole number`);
      options[name] = Number(text);
    } else options[name] = text;
  }
  return options;
}
