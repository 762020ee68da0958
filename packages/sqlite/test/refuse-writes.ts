import Database from 'better-sqlite3';

/**
 * The kit's refuseWrites hook for a store on `file` with the default table
 * prefix: a trigger, created through a handle of its own, that makes every
 * insert into the events table fail inside its transaction (RAISE(ABORT)
 * undoes the statement and leaves the transaction open, as a constraint
 * would). Resolves to the function that drops it again.
 */
export function refuseWrites(file: string): () => void {
  const run = (sql: string): void => {
    const db = new Database(file, { timeout: 10_000 });
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };
  run(`CREATE TRIGGER hume_kit_refuses_writes BEFORE INSERT ON hume_events BEGIN SELECT RAISE(ABORT, 'writes refused by the kit'); END`);
  return () => run('DROP TRIGGER hume_kit_refuses_writes');
}
