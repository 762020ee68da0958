import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/**
 * The deepest nesting of arrays and objects a payload may have. A fixed
 * limit rather than "whatever the call stack allows", so that whether a
 * payload is accepted never depends on where `append` was called from, and
 * so that every backend's JSON parser (SQLite's stops at 1000) can read it.
 */
export const MAX_PAYLOAD_DEPTH = 256;

type Path = (string | number)[];

/**
 * Checks that a payload round-trips through JSON unchanged (clause C5):
 * only `null`, booleans, finite numbers, well-formed strings, dense arrays
 * without extra properties, and plain objects with string keys, without
 * cycles, at most {@link MAX_PAYLOAD_DEPTH} levels deep. Returns the error,
 * naming the path of the first offending value, or `undefined`.
 *
 * `-0` passes: JSON stores it as `0`, which the contract documents.
 *
 * @example
 * ```ts
 * checkPayload({ at: new Date() }); // InvalidArgumentError: payload.at must be a plain object or array (got a Date) …
 * ```
 */
export function checkPayload(payload: unknown): InvalidArgumentError | undefined {
  const path: Path = [];
  try {
    const reason = checkValue(payload, path, new Set());
    return reason === undefined ? undefined : new InvalidArgumentError('payload', reason, formatPath(path));
  } catch (error) {
    // A getter that throws, a revoked Proxy: the payload cannot be read, so it cannot be stored.
    return new InvalidArgumentError(
      'payload',
      `could not be read (${error instanceof Error ? error.message : String(error)})`,
      formatPath(path),
    );
  }
}

/** Walks `value`; on failure leaves `path` pointing at the offender and returns why. */
function checkValue(value: unknown, path: Path, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? undefined : `must be well-formed Unicode (got ${describeValue(value)}, which has a lone surrogate)`;
    case 'number':
      return Number.isFinite(value) ? undefined : `must be a finite number (got ${describeValue(value)})`;
    case 'boolean':
      return undefined;
    case 'object':
      if (value === null) return undefined;
      if (ancestors.has(value)) return 'refers back to one of its own ancestors (a cycle)';
      if (ancestors.size >= MAX_PAYLOAD_DEPTH) return `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
      ancestors.add(value);
      {
        const reason = Array.isArray(value) ? checkArray(value, path, ancestors) : checkObject(value, path, ancestors);
        if (reason !== undefined) return reason;
      }
      ancestors.delete(value);
      return undefined;
    default:
      return `must be a JSON value (got ${describeValue(value)})`;
  }
}

function checkArray(array: unknown[], path: Path, ancestors: Set<object>): string | undefined {
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) return `has a hole at index ${index} (got a sparse array, which JSON fills with null)`;
    path.push(index);
    const reason = checkValue(array[index], path, ancestors);
    if (reason !== undefined) return reason;
    path.pop();
  }
  // Own names are the indices plus `length`; anything else (a `toJSON`, an `extra`) JSON drops or obeys.
  if (Object.getOwnPropertyNames(array).length !== array.length + 1 || Object.getOwnPropertySymbols(array).length > 0) {
    const extra = Reflect.ownKeys(array).find((key) => key !== 'length' && !(typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key)));
    return `must have only indexed elements (got an array with the property ${describeValue(extra)}, which JSON drops or obeys)`;
  }
  return undefined;
}

function checkObject(object: object, path: Path, ancestors: Set<object>): string | undefined {
  if (!isPlainPrototype(Object.getPrototypeOf(object))) {
    return `must be a plain object or array (got ${describeValue(object)}; convert it to plain JSON first)`;
  }
  if (Object.getOwnPropertySymbols(object).length > 0) return 'must not have symbol keys (JSON drops them)';
  for (const key of Object.keys(object)) {
    if (!key.isWellFormed()) return `has a key that is not well-formed Unicode (got ${describeValue(key)})`;
    path.push(key);
    const reason = checkValue((object as Record<string, unknown>)[key], path, ancestors);
    if (reason !== undefined) return reason;
    path.pop();
  }
  return undefined;
}

/** `Object.prototype` of this realm or of another one (a `vm` context, a worker's structured data), or `null`. */
function isPlainPrototype(proto: unknown): boolean {
  if (proto === Object.prototype || proto === null) return true;
  if (typeof proto !== 'object' || Object.getPrototypeOf(proto) !== null) return false;
  const maker = (proto as { constructor?: unknown }).constructor;
  return typeof maker === 'function' && maker.name === 'Object' && Function.prototype.toString.call(maker).includes('[native code]');
}

/** `['items', 2, 'name']` → `.items[2].name` */
function formatPath(path: Path): string {
  let accessor = '';
  for (const part of path) {
    if (typeof part === 'number') accessor += `[${part}]`;
    else accessor += /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return accessor;
}
