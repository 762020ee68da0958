import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, databaseUrl, schemaName } from './database.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

// The proxy is a fixture of other tests (timeouts, faults after commit, the kit's target): these tests pin what it does.
const schema = schemaName('proxy');
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await TcpProxy.start(databaseUrl);
  await admin(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".t (n int)`);
});
afterAll(async () => {
  await proxy.close();
});

async function client(): Promise<pg.Client> {
  const connection = new pg.Client({ connectionString: proxy.url });
  connection.on('error', () => undefined);
  await connection.connect();
  return connection;
}

describe('the loopback TCP proxy', () => {
  it('forwards queries and their replies, large ones included', async () => {
    const connection = await client();
    const { rows } = await connection.query<{ text: string }>("SELECT repeat('x', 1000000) AS text");
    expect(rows[0]?.text).toHaveLength(1_000_000);
    await connection.end();
  });

  it('holds everything during a partition, without closing, and delivers it when healed', async () => {
    const connection = await client();
    proxy.partition();
    let settled = false;
    const query = connection.query('SELECT 1 AS one').finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    expect(proxy.connections).toBeGreaterThan(0);
    proxy.heal();
    expect((await query).rows).toEqual([{ one: 1 }]);
    await connection.end();
  });

  it('drops a connection after the server committed a write, before the client hears of it', async () => {
    const connection = await client();
    const dropped = proxy.dropAfterNextWrite();
    await expect(connection.query(`INSERT INTO "${schema}".t VALUES (7)`)).rejects.toThrow();
    expect(await dropped).toMatchObject({ tag: 'INSERT 0 1' });
    expect(await admin(`SELECT n FROM "${schema}".t`)).toEqual([{ n: 7 }]);
  });

  it('drops every connection on demand', async () => {
    const connection = await client();
    proxy.dropConnections();
    await expect(connection.query('SELECT 1')).rejects.toThrow();
    expect(proxy.connections).toBe(0);
  });
});
