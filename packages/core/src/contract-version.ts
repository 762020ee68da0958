/**
 * The version of docs/contract.md that this package's types and checks
 * implement. Conformance reports carry it.
 *
 * @example
 * ```ts
 * console.log(`Hume contract ${CONTRACT_VERSION}`);
 * ```
 */
export const CONTRACT_VERSION = '1.1';
