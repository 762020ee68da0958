import { Buffer } from 'node:buffer';
import { types } from 'node:util';

/** UTF-8 bytes a JSON string can take per code unit at most: `\u0001` is written as six. */
const BYTES_PER_CODE_UNIT = 6;
/** The longest text JSON writes for a finite number (`-1.2345678901234567e-308`), with room to spare. */
const NUMBER_BYTES = 25;

const { isProxy } = types;
const { getOwnPropertyDescriptor, getOwnPropertySymbols, getPrototypeOf, hasOwn, keys } = Object;
/** Node 22+ has `JSON.rawJSON` objects (null prototype, one `rawJSON` key) that JSON.stringify writes as their raw text. */
const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;

/**
 * The fast path of `serializePayload`: `JSON.stringify(value)` when a cheap
 * walk proves that it writes exactly what the one-pass writer would, else
 * `undefined` (the caller then runs the writer, which finds the refusal or
 * writes the text itself). Proven means: every object is an ordinary
 * object of this realm's `Object.prototype` (or `null`) and every array a
 * dense `Array.prototype` array with no key but its indices and `length`;
 * no Proxy, no accessor, no symbol key, no own `toJSON`, and none on
 * `Object.prototype` or `Array.prototype`; finite numbers, well-formed
 * strings and keys; nesting within `maxDepth`; and an upper bound of the
 * JSON's UTF-8 size within `maxBytes` (so JSON.stringify never builds a
 * string the writer would have stopped counting, nor throws `RangeError`).
 *
 * The walk reads every property from its descriptor and runs no code of the
 * value; JSON.stringify then reads the same data properties, and looks up
 * `toJSON` only where the walk saw none. Nothing runs between the two, so
 * the text is what was checked. Refusals are never decided here, so their
 * messages stay the writer's.
 *
 * @example
 * ```ts
 * const fast = stringifyPlainJson({ type: 'opened' }, 16 << 20, 256); // { ok: true, json: '{"type":"opened"}', bytes: 17 }
 * ```
 */
export function stringifyPlainJson(
  value: unknown,
  maxBytes: number,
  maxDepth: number,
): { readonly ok: true; readonly json: string; readonly bytes: number } | undefined {
  if (hasOwn(Object.prototype, 'toJSON') || hasOwn(Array.prototype, 'toJSON') || getPrototypeOf(Array.prototype) !== Object.prototype) {
    return undefined;
  }
  const walk = new PlainWalk(maxBytes, maxDepth);
  let json: string;
  try {
    if (!walk.value(value, 0) || !walk.fits()) return undefined;
    json = JSON.stringify(value);
  } catch {
    // An exotic object that throws when read (a module namespace in its TDZ), the engine out of memory: the writer reports it.
    return undefined;
  }
  return { ok: true, json, bytes: Buffer.byteLength(json, 'utf8') };
}

/** The proving walk; `budget` is what is left of `maxBytes` after an upper bound of the JSON seen so far. */
class PlainWalk {
  #budget: number;
  readonly #maxDepth: number;

  constructor(maxBytes: number, maxDepth: number) {
    this.#budget = maxBytes;
    this.#maxDepth = maxDepth;
  }

  /** Whether the JSON's upper bound stayed within `maxBytes`. */
  fits(): boolean {
    return this.#budget >= 0;
  }

  value(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case 'string':
        this.#budget -= value.length * BYTES_PER_CODE_UNIT + 2;
        return this.#budget >= 0 && value.isWellFormed();
      case 'number':
        this.#budget -= NUMBER_BYTES;
        return Number.isFinite(value);
      case 'boolean':
        this.#budget -= 5;
        return true;
      case 'object':
        if (value === null) {
          this.#budget -= 4;
          return true;
        }
        // Proxies first: any other operation on one runs a trap. The depth also ends a cycle.
        if (depth >= this.#maxDepth || this.#budget < 0 || isProxy(value)) return false;
        return getPrototypeOf(value) === Array.prototype ? this.#array(value, depth) : this.#object(value, depth);
      default:
        return false;
    }
  }

  #array(array: object, depth: number): boolean {
    if (!Array.isArray(array)) return false;
    const length = array.length;
    this.#budget -= length + 2;
    // Indices plus `length` and nothing else; with no hole (below) that leaves no room for another key.
    if (Reflect.ownKeys(array).length !== length + 1) return false;
    for (let index = 0; index < length; index++) {
      const descriptor = getOwnPropertyDescriptor(array, index);
      if (descriptor === undefined || !('value' in descriptor) || !this.value(descriptor.value, depth + 1)) return false;
    }
    return true;
  }

  #object(object: object, depth: number): boolean {
    const proto = getPrototypeOf(object) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    if (Array.isArray(object) || hasOwn(object, 'toJSON') || getOwnPropertySymbols(object).length !== 0) return false;
    if (proto === null && isRawJson?.(object) === true) return false;
    // Object.keys lists the enumerable string keys in the order JSON writes them; the others JSON skips, as the writer does.
    const names = keys(object);
    this.#budget -= names.length + 2;
    for (const name of names) {
      const descriptor = getOwnPropertyDescriptor(object, name);
      this.#budget -= name.length * BYTES_PER_CODE_UNIT + 3;
      if (descriptor === undefined || !('value' in descriptor) || !name.isWellFormed() || !this.value(descriptor.value, depth + 1)) {
        return false;
      }
    }
    return true;
  }
}
