// Message DB (npm @eventide/message-db) as a contender: its own SQL install
// scripts run into the benchmark's server, and its write_message called
// through raw pg, as its Ruby and JS clients do.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { lanes, payload } from './lanes.js';
import type { Contender, Notes } from './scenario.js';

/** The install scripts' files in the order install.sh runs them (roles, views and privileges left out: one superuser here). */
const installOrder = [
  'schema/message-store.sql',
  'extensions/pgcrypto.sql',
  'tables/messages.sql',
  'types/message.sql',
  ...[
    'message-store-version',
    'hash-64',
    'acquire-lock',
    'category',
    'is-category',
    'id',
    'cardinal-id',
    'stream-version',
    'write-message',
    'get-stream-messages',
    'get-category-messages',
    'get-last-stream-message',
  ].map((name) => `functions/${name}.sql`),
  'indexes/messages-id.sql',
  'indexes/messages-stream.sql',
  'indexes/messages-category.sql',
];

/** Message DB's functions name its tables unqualified: its role's search path, here set per connection. */
export const messageDbConnection = { options: '-c search_path=message_store,public' };

/** Installs Message DB (its `message_store` schema) into the database at `url`, as its install.sh would. */
export async function installMessageDb(url: string): Promise<string> {
  const database = join(dirname(createRequire(import.meta.url).resolve('@eventide/message-db/package.json')), 'database');
  const client = new pg.Client({ connectionString: url, ...messageDbConnection });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS message_store CASCADE');
    for (const file of installOrder) await client.query(await readFile(join(database, file), 'utf8'));
    return (await readFile(join(database, 'VERSION.txt'), 'utf8')).trim();
  } finally {
    await client.end();
  }
}

const writeMessage = { name: 'bench-message-db-write', text: 'SELECT message_store.write_message($1, $2, $3, $4)' };
const data = JSON.stringify({ sku: payload.sku, quantity: payload.quantity, price: payload.price });

let streams = 0;
/**
 * A stream name of its own category: write_message takes an advisory lock
 * per category (the part before the first '-'), so streams sharing one
 * would queue behind each other, which Hume's streams do not.
 */
const freshMessageDbStream = (): string => `mdb${++streams}`;

/**
 * `writers` concurrent loops over a pool of `writers` connections, each
 * writing one message per call to a stream of its own (or, with
 * `oneStream`, all to one fresh stream per round), without an expected version.
 */
export function messageDbWrites(name: string, pool: () => pg.Pool, writers: number, oneStream = false): Contender {
  return {
    name,
    async run(ops) {
      const shared = freshMessageDbStream();
      await lanes(ops, writers, async (_, count) => {
        const target = oneStream ? shared : freshMessageDbStream();
        for (let i = 0; i < count; i++) await pool().query({ ...writeMessage, values: [randomUUID(), target, payload.type, data] });
      });
    },
  };
}

/** Batches of `size` messages, each batch one transaction of `size` write_message calls (Message DB's way to write several atomically). */
export function messageDbBatches(name: string, pool: () => pg.Pool, size: number): Contender {
  return {
    name,
    async run(ops) {
      const stream = freshMessageDbStream();
      const client = await pool().connect();
      try {
        for (let done = 0; done < ops; done += size) {
          await client.query('BEGIN');
          for (let i = 0; i < size; i++) await client.query({ ...writeMessage, values: [randomUUID(), stream, payload.type, data] });
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    },
  };
}

/**
 * `writers` loops racing on one stream with an expected version: each keeps
 * the version it knows and, when write_message raises its "Wrong expected
 * version" error, reads the stream's version and tries again.
 */
export function messageDbRacingWithExpect(name: string, pool: () => pg.Pool, writers: number): Contender {
  let retries = 0;
  let appends = 0;
  return {
    name,
    async run(ops) {
      const stream = freshMessageDbStream();
      await lanes(ops, writers, async (_, count) => {
        // A lane keeps its connection: pg-pool drops a client whose query failed, and a conflict here is an error.
        const client = await pool().connect();
        let known = -1;
        for (let i = 0; i < count; i++) {
          for (;;) {
            try {
              const { rows } = await client.query<{ position: string }>({
                name: 'bench-message-db-write-expect',
                text: 'SELECT message_store.write_message($1, $2, $3, $4, NULL, $5) AS position',
                values: [randomUUID(), stream, payload.type, data, known],
              });
              known = Number(rows[0]?.position);
              appends++;
              break;
            } catch (error) {
              if (!/Wrong expected version/.test(String((error as Error).message))) throw error;
              retries++;
              const { rows } = await client.query<{ version: string | null }>({
                name: 'bench-message-db-version',
                text: 'SELECT message_store.stream_version($1) AS version',
                values: [stream],
              });
              known = rows[0]?.version == null ? -1 : Number(rows[0].version);
            }
          }
        }
        client.release();
      });
    },
    notes: (): Notes => ({ retries, retriesPerAppend: appends === 0 ? 0 : retries / appends }),
  };
}
