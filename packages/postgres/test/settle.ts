/** How each of `calls` settled, or `'pending'` for those still pending after `ms`. */
export async function settleWithin<T>(calls: readonly Promise<T>[], ms: number): Promise<Array<PromiseSettledResult<T> | 'pending'>> {
  const outcomes: Array<PromiseSettledResult<T> | 'pending'> = calls.map(() => 'pending');
  const watched = calls.map((call, index) =>
    call.then(
      (value) => {
        outcomes[index] = { status: 'fulfilled', value };
      },
      (reason: unknown) => {
        outcomes[index] = { status: 'rejected', reason };
      },
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(watched), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  return outcomes;
}

/** The `code` of a rejection, for assertions. */
export function codeOf(reason: unknown): unknown {
  return (reason as { code?: unknown } | null)?.code;
}
