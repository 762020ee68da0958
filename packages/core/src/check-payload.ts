import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

type Path = (string | number)[];

/**
 * Checks that a payload round-trips through JSON unchanged (clause C5):
 * only `null`, booleans, finite numbers, well-formed strings, dense arrays
 * and plain objects with string keys, without cycles. Returns the error,
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
    // A payload nested deeper than the call stack: JSON.stringify would overflow too.
    if (error instanceof RangeError) {
      return new InvalidArgumentError('payload', 'is nested too deeply to store');
    }
    throw error;
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
      return checkContainer(value, path, ancestors);
    default:
      return `must be a JSON value (got ${describeValue(value)})`;
  }
}

function checkContainer(value: object, path: Path, ancestors: Set<object>): string | undefined {
  if (ancestors.has(value)) return 'refers back to one of its own ancestors (a cycle)';
  if (Array.isArray(value)) {
    ancestors.add(value);
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) {
        return `has a hole at index ${index} (got a sparse array, which JSON fills with null)`;
      }
      path.push(index);
      const reason = checkValue(value[index], path, ancestors);
      if (reason !== undefined) return reason;
      path.pop();
    }
    ancestors.delete(value);
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return `must be a plain object or array (got ${describeValue(value)}; convert it to plain JSON first)`;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    return 'must not have symbol keys (JSON drops them)';
  }
  ancestors.add(value);
  for (const key of Object.keys(value)) {
    if (!key.isWellFormed()) {
      return `has a key that is not well-formed Unicode (got ${describeValue(key)})`;
    }
    path.push(key);
    const reason = checkValue((value as Record<string, unknown>)[key], path, ancestors);
    if (reason !== undefined) return reason;
    path.pop();
  }
  ancestors.delete(value);
  return undefined;
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
