/**
 * A case's assertion failed. The runner adds the clause and the hint; the
 * failure says what was expected and what was seen.
 *
 * @example
 * ```ts
 * throw new ConformanceFailure('append returned the wrong seq', { expected: 3, actual: 4 });
 * ```
 */
export class ConformanceFailure extends Error {
  readonly expected: unknown;
  readonly actual: unknown;
  readonly hasComparison: boolean;

  constructor(message: string, comparison?: { expected: unknown; actual: unknown }) {
    super(message);
    this.name = 'ConformanceFailure';
    this.hasComparison = comparison !== undefined;
    this.expected = comparison?.expected;
    this.actual = comparison?.actual;
  }
}
