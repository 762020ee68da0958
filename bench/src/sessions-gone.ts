import pg from 'pg';

/**
 * Waits, at most `ms`, until the server at `url` has no client session but
 * the one asking. A peer's close() can resolve while its pool is still ending
 * its connections (Emmett's shared pools do), and a server stopped under them
 * makes that pool, which has no error listener, throw in this process.
 *
 * @example
 * ```ts
 * await emmett.close();
 * await sessionsGone(server.url);
 * await server.stop();
 * ```
 */
export async function sessionsGone(url: string, ms = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
      const { rows } = await client.query<{ others: number }>(
        "SELECT count(*)::int AS others FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (rows[0]?.others === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
