import { Buffer } from 'node:buffer';
import { types } from 'node:util';
import { describeValue } from './describe-value.js';
import { type ArgumentName, InvalidArgumentError } from './invalid-argument-error.js';
import { stringifyPlainJson } from './stringify-plain-json.js';

/**
 * The deepest nesting of arrays and objects a payload may have. A fixed
 * limit rather than "whatever the call stack allows", so that whether a
 * payload is accepted never depends on where `append` was called from, and
 * so that every backend's JSON parser (SQLite's stops at 1000) can read it.
 */
export const MAX_PAYLOAD_DEPTH = 256;

/**
 * The default maximum size of one payload, in UTF-8 bytes of its JSON text:
 * 16 MiB, KurrentDB's limit, which every Hume backend holds. Stores take a
 * `maxPayloadBytes` option to change it (clause C5.4).
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/**
 * The smallest `maxPayloadBytes` a store may be given: 2 MiB, so that the
 * 1 MiB payloads of clause C5.1 (whose JSON text is a few bytes more) always fit.
 */
export const MIN_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

/**
 * The largest `maxPayloadBytes` a store may be given: the longest string V8
 * can build (2^29 − 24 code units), since the JSON text is handed to the
 * backend as one string.
 */
export const MAX_MAX_PAYLOAD_BYTES = 2 ** 29 - 24;

/** Options of {@link serializePayload}. */
export interface SerializeOptions {
  /** The largest JSON text accepted, in UTF-8 bytes. Default {@link DEFAULT_MAX_PAYLOAD_BYTES}. */
  readonly maxBytes?: number;
}

/** What {@link serializePayload} returns: the JSON text and its size, or why the payload is refused. */
export type SerializedPayload =
  | { readonly ok: true; readonly json: string; readonly bytes: number }
  | { readonly ok: false; readonly error: InvalidArgumentError };

/**
 * Checks a payload against clause C5 and writes its JSON text in the same
 * pass, so that what is stored is exactly what was checked: every property
 * is read once, from its descriptor, and no code of the payload ever runs
 * (getters, `toJSON` and Proxies are refused rather than called). For every
 * payload it accepts, `json` equals `JSON.stringify(payload)`.
 *
 * Refused, with an `InvalidArgumentError` naming the path and the reason:
 * everything C5.3 lists, a `toJSON` anywhere JSON would find it (own,
 * non-enumerable, inherited, from another realm's `Object.prototype`),
 * Proxies, accessor properties, and JSON text larger than `maxBytes`
 * (counted while writing, so a huge payload is refused early, never with a
 * `RangeError`). It never throws.
 *
 * Plain data (ordinary objects and dense arrays of this realm, nothing
 * refused above, an upper bound of its size within `maxBytes`) is proven so
 * by a walk over its property descriptors and then written by
 * `JSON.stringify`, about twice as fast as the checking writer; nothing
 * runs between the two, so the text is still what was checked.
 *
 * @example
 * ```ts
 * const result = serializePayload({ type: 'opened', at: '2026-12-02' });
 * if (result.ok) db.insert(stream, result.json);
 * else return { ok: false, error: result.error };
 * ```
 */
export function serializePayload(payload: unknown, options: SerializeOptions = {}): SerializedPayload {
  return serializeArgument(payload, options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, 'payload', []);
}

/**
 * Why `maxBytes` cannot be a store's `maxPayloadBytes`, or `undefined` when
 * it can: an integer from {@link MIN_MAX_PAYLOAD_BYTES} to
 * {@link MAX_MAX_PAYLOAD_BYTES}. Adapters throw it with the option's name.
 *
 * @example
 * ```ts
 * const problem = checkMaxPayloadBytes(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
 * if (problem) throw new RangeError(`options.maxPayloadBytes ${problem}`);
 * ```
 */
export function checkMaxPayloadBytes(maxBytes: unknown): string | undefined {
  if (Number.isSafeInteger(maxBytes) && (maxBytes as number) >= MIN_MAX_PAYLOAD_BYTES && (maxBytes as number) <= MAX_MAX_PAYLOAD_BYTES) {
    return undefined;
  }
  return `must be an integer from ${MIN_MAX_PAYLOAD_BYTES} (2 MiB) to ${MAX_MAX_PAYLOAD_BYTES} (got ${describeValue(maxBytes)})`;
}

type Path = (string | number)[];

/** A refusal on its way out: the reason, and the path filled in as the walk unwinds. */
class Refusal {
  /** Innermost last while unwinding: each container puts its key in front. */
  readonly path: Path = [];
  /** About the whole argument (its size), so no container adds its key. */
  readonly whole: boolean;

  constructor(
    readonly reason: string,
    whole = false,
  ) {
    this.whole = whole;
  }

  at(key: string | number): Refusal {
    if (!this.whole) this.path.unshift(key);
    return this;
  }
}

/**
 * Serialises one argument (`payload`, or one element of `payloads` with
 * `path` its index). Shared with the batch check.
 */
export function serializeArgument(value: unknown, maxBytes: number, argument: ArgumentName, path: Path): SerializedPayload {
  // Most payloads are plain data: proven so, JSON.stringify writes them several times faster than the writer.
  const plain = stringifyPlainJson(value, maxBytes, MAX_PAYLOAD_DEPTH);
  if (plain !== undefined) return plain;
  const writer = new JsonWriter(maxBytes);
  let refusal: Refusal | undefined;
  try {
    refusal = writer.value(value);
    if (refusal === undefined) return { ok: true, json: writer.json, bytes: writer.bytes };
  } catch (error) {
    // Nothing of the payload runs, so this is the engine giving up (memory, the call stack): still a refusal, never a throw.
    refusal = new Refusal(`could not be serialised (${safeMessage(error)})`);
  }
  return { ok: false, error: new InvalidArgumentError(argument, refusal.reason, formatPath([...path, ...refusal.path])) };
}

/** Above this many code units a string is escaped in slices, so its JSON is never built whole before it is counted. */
const SLICE = 1 << 20;

/** Printable ASCII without `"` and `\\`: JSON writes such a string as it is, one byte per code unit. */
const plainAscii = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Writes JSON text, counting its UTF-8 bytes; each method returns a refusal or `undefined`. */
class JsonWriter {
  json = '';
  bytes = 0;
  readonly #maxBytes: number;
  readonly #ancestors = new Set<object>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  value(value: unknown): Refusal | undefined {
    switch (typeof value) {
      case 'string':
        return this.#string(value, '');
      case 'number':
        // For finite numbers String() writes what JSON writes, -0 as "0" included.
        if (!Number.isFinite(value)) return new Refusal(`must be a finite number (got ${describeValue(value)})`);
        return this.#ascii(String(value));
      case 'boolean':
        return this.#ascii(value ? 'true' : 'false');
      case 'object':
        return value === null ? this.#ascii('null') : this.#container(value);
      default:
        return new Refusal(`must be a JSON value (got ${describeValue(value)})`);
    }
  }

  #container(object: object): Refusal | undefined {
    // Before anything else touches it: every other operation on a Proxy runs one of its traps.
    if (types.isProxy(object)) return new Refusal('must not be a Proxy (JSON would run its traps; pass a plain copy)');
    if (this.#ancestors.has(object)) return new Refusal('refers back to one of its own ancestors (a cycle)');
    if (this.#ancestors.size >= MAX_PAYLOAD_DEPTH) return new Refusal(`is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    this.#ancestors.add(object);
    const refusal = Array.isArray(object) ? this.#array(object) : this.#object(object);
    if (refusal !== undefined) return refusal;
    this.#ancestors.delete(object);
    return undefined;
  }

  #array(array: unknown[]): Refusal | undefined {
    if (!isArrayPrototype(Object.getPrototypeOf(array))) {
      return new Refusal(`must be a plain object or array (got ${describeObject(array)}; convert it to plain JSON first)`);
    }
    // `length` is an own data property of every array, so reading it runs nothing.
    const length = array.length;
    // Own keys are the indices plus `length`; anything else (a `toJSON`, an `extra`) JSON drops or obeys.
    const keys = Reflect.ownKeys(array);
    if (keys.length !== length + 1) {
      const extra = keys.find((key) => key !== 'length' && !(typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key)));
      if (extra !== undefined) {
        return new Refusal(
          `must have only indexed elements (got an array with the property ${describeValue(extra)}, which JSON drops or obeys)`,
        );
      }
    }
    const inherited = inheritedToJson(array);
    if (inherited) return inherited;
    const open = this.#ascii('[');
    if (open) return open;
    for (let index = 0; index < length; index++) {
      const descriptor = Object.getOwnPropertyDescriptor(array, index);
      if (descriptor === undefined) return new Refusal(`has a hole at index ${index} (got a sparse array, which JSON fills with null)`);
      if (!('value' in descriptor)) return getterRefusal().at(index);
      const refusal = (index > 0 ? this.#ascii(',') : undefined) ?? this.value(descriptor.value);
      if (refusal) return refusal.at(index);
    }
    return this.#ascii(']');
  }

  #object(object: object): Refusal | undefined {
    if (!isObjectPrototype(Object.getPrototypeOf(object))) {
      return new Refusal(`must be a plain object or array (got ${describeObject(object)}; convert it to plain JSON first)`);
    }
    // hasOwn sees non-enumerable members too: JSON obeys a toJSON whether or not it is enumerable.
    if (Object.hasOwn(object, 'toJSON')) return toJsonRefusal('has its own');
    const inherited = inheritedToJson(object);
    if (inherited) return inherited;
    let separator = '{';
    // One call for names and symbols; symbols come last, after every string key.
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key === 'symbol') return new Refusal('must not have symbol keys (JSON drops them)');
      const descriptor = Object.getOwnPropertyDescriptor(object, key) as PropertyDescriptor;
      // JSON skips what is not enumerable (its toJSON, refused above, is the one exception).
      if (!descriptor.enumerable) continue;
      if (!key.isWellFormed()) return new Refusal(`has a key that is not well-formed Unicode (got ${describeValue(key)})`);
      if (!('value' in descriptor)) return getterRefusal().at(key);
      const refusal = this.#string(key, separator) ?? this.#ascii(':') ?? this.value(descriptor.value);
      if (refusal) return refusal.at(key);
      separator = ',';
    }
    return this.#ascii(separator === '{' ? '{}' : '}');
  }

  /** Writes `before` (ASCII punctuation), then `text` as a JSON string. */
  #string(text: string, before: string): Refusal | undefined {
    // Every code unit is at least one byte: a string that cannot fit is refused before it is even scanned.
    if (this.bytes + before.length + text.length + 2 > this.#maxBytes) return this.#tooLarge();
    if (text.length <= 64 && plainAscii.test(text)) return this.#ascii(`${before}"${text}"`);
    if (!text.isWellFormed()) return new Refusal(`must be well-formed Unicode (got ${describeValue(text)}, which has a lone surrogate)`);
    // JSON.stringify on a primitive string has no toJSON to look up.
    if (text.length <= SLICE) return this.#ascii(before) ?? this.#unicode(JSON.stringify(text));
    // Escaping can grow a string sixfold (\u0001): escape slices, never splitting a surrogate pair, and stop once too large.
    let refusal = this.#ascii(`${before}"`);
    for (let start = 0; start < text.length && refusal === undefined; ) {
      let end = Math.min(start + SLICE, text.length);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      refusal = this.#unicode(JSON.stringify(text.slice(start, end)).slice(1, -1));
      start = end;
    }
    return refusal ?? this.#ascii('"');
  }

  /** Text that is ASCII by construction (numbers, punctuation): one byte per code unit. */
  #ascii(text: string): Refusal | undefined {
    if (this.bytes + text.length > this.#maxBytes) return this.#tooLarge();
    this.bytes += text.length;
    this.json += text;
    return undefined;
  }

  #unicode(text: string): Refusal | undefined {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.bytes + bytes > this.#maxBytes) return this.#tooLarge();
    this.bytes += bytes;
    this.json += text;
    return undefined;
  }

  #tooLarge(): Refusal {
    // The size belongs to the whole payload, not to the member where counting stopped.
    return new Refusal(
      `must be at most ${this.#maxBytes} bytes as JSON text in UTF-8 (the store's maxPayloadBytes); this one is larger`,
      true,
    );
  }
}

function getterRefusal(): Refusal {
  return new Refusal(
    'is an accessor property (a getter runs code while the payload is read and could change it; copy the value into a plain property)',
  );
}

function toJsonRefusal(how: string): Refusal {
  return new Refusal(`${how} toJSON method (JSON would store what it returns instead; pass the plain value)`);
}

/** A `toJSON` on the prototype chain, which JSON.stringify would call, whether or not it is enumerable. */
function inheritedToJson(value: object): Refusal | undefined {
  for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    if (types.isProxy(proto)) return new Refusal('must not inherit from a Proxy (JSON would run its traps)');
    if (Object.hasOwn(proto, 'toJSON')) return toJsonRefusal('inherits a');
  }
  return undefined;
}

/** `Object.prototype` of this realm or of another one (a `vm` context, a worker's structured data), or `null`. */
function isObjectPrototype(proto: unknown): boolean {
  if (proto === Object.prototype || proto === null) return true;
  if (typeof proto !== 'object' || types.isProxy(proto) || Object.getPrototypeOf(proto) !== null) return false;
  return hasNativeConstructor(proto, 'Object');
}

/** `Array.prototype` of this realm or of another one, or `null`. A subclass's prototype is not plain. */
function isArrayPrototype(proto: unknown): boolean {
  if (proto === Array.prototype || proto === null) return true;
  if (typeof proto !== 'object' || types.isProxy(proto) || !Array.isArray(proto)) return false;
  const parent = Object.getPrototypeOf(proto) as unknown;
  return parent !== null && isObjectPrototype(parent) && hasNativeConstructor(proto, 'Array');
}

/** Reads `constructor` from its descriptor, so that no getter of a prototype runs. */
function hasNativeConstructor(proto: object, name: string): boolean {
  const maker = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof maker !== 'function' || types.isProxy(maker)) return false;
  return (
    Object.getOwnPropertyDescriptor(maker, 'name')?.value === name && Function.prototype.toString.call(maker).includes('[native code]')
  );
}

/** `a Date`, `a Point`: the constructor's name read from descriptors, so that describing a value runs none of its code. */
function describeObject(object: object): string {
  const proto = Object.getPrototypeOf(object) as object | null;
  if (proto === null || types.isProxy(proto)) return 'an object';
  const maker = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  const name =
    typeof maker === 'function' && !types.isProxy(maker) ? (Object.getOwnPropertyDescriptor(maker, 'name')?.value as unknown) : undefined;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : Array.isArray(object) ? 'an array' : 'an object';
}

function safeMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable error';
  }
}

/** `['items', 2, 'name']` → `.items[2].name` */
export function formatPath(path: Path): string {
  let accessor = '';
  for (const part of path) {
    if (typeof part === 'number') accessor += `[${part}]`;
    else accessor += /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return accessor;
}
