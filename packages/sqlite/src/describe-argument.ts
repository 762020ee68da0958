// kit scope: outside the contract — error messages for the constructor's own arguments and options (pnpm mutation)
/**
 * A short rendering of a bad argument for an error message: strings quoted
 * and cut, objects named by their constructor.
 *
 * @example
 * ```ts
 * describeArgument('a b'); // '"a b"'
 * describeArgument(new Map()); // 'a Map'
 * ```
 */
export function describeArgument(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}
