import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '@hume/memory';
import { openStore, redactUrl, registeredSchemes, registerScheme } from '@hume/open';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importAdapter } from '../src/import-adapter.js';

const databaseUrl = inject('databaseUrl');
const schemaPrefix = inject('schemaPrefix');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hume-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(store: { events(stream: string): AsyncIterable<{ seq: number; payload: unknown }> }, stream: string) {
  const events: [number, unknown][] = [];
  for await (const { seq, payload } of store.events(stream)) events.push([seq, payload]);
  return events;
}

describe('openStore with sqlite: URLs', () => {
  it('opens a file by relative and absolute path, and the data is in that file', async () => {
    const file = join(dir, 'events.db');
    const store = await openStore(`sqlite:${file}`);
    expect(await store.append('cart-1', { type: 'opened' }, 0)).toEqual({ ok: true, seq: 1 });
    await store.close?.();
    const again = await openStore(`sqlite://${file}`);
    expect(await readAll(again, 'cart-1')).toEqual([[1, { type: 'opened' }]]);
    await again.close?.();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM hume_events').get()).toEqual({ n: 1 });
    db.close();
    const relative = await openStore(`sqlite:${join(dir, 'relative.db').replace(`${process.cwd()}/`, '')}`);
    await relative.close?.();
  });

  it('opens sqlite::memory: and takes adapter options from the query', async () => {
    const store = await openStore('sqlite::memory:?tablePrefix=shop_&pageSize=2');
    for (let i = 0; i < 5; i++) await store.append('s', { i });
    expect((await readAll(store, 's')).map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5]);
    expect([...(await listAll(store))]).toEqual([{ stream: 's', last: 5 }]);
    await store.close?.();
    const file = join(dir, 'prefixed.db');
    await (await openStore(`sqlite:${file}?tablePrefix=shop_`)).close?.();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'shop_events'").get()).toEqual({ name: 'shop_events' });
    db.close();
  });

  it.each([
    ['sqlite:', 'has no file path'],
    ['sqlite://host/events.db', 'names a host'],
    ['sqlite:events.db?bogus=1', 'unknown parameter "bogus"'],
    ['sqlite::memory:?pageSize=ten', 'must be a whole number'],
    ['sqlite::memory:?durability=fast', "options.durability must be 'full' or 'normal'"],
    ['sqlite::memory:?pageSize=1&pageSize=2', 'twice'],
  ])('refuses %s with INVALID_ARGUMENT', async (url, reason) => {
    const error = await openStore(url).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toMatch(/^url /);
  });
});

async function listAll(store: { streams?: (options?: object) => AsyncIterable<{ stream: string; last: number }> }) {
  const infos: { stream: string; last: number }[] = [];
  for await (const info of store.streams?.() ?? []) infos.push(info);
  return infos;
}

describe('openStore with postgres: URLs', () => {
  const schema = `${schemaPrefix}_open`;

  it('opens and migrates, with schema taken from the URL and the rest left to pg', async () => {
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    url.searchParams.set('application_name', 'hume-open-test');
    const store = await openStore(url.href);
    expect(await store.append('cart-1', { type: 'opened' }, 0)).toEqual({ ok: true, seq: 1 });
    expect(await listAll(store)).toEqual([{ stream: 'cart-1', last: 1 }]);
    await store.close?.();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${schema}".hume_events`);
    await client.end();
    expect(rows).toEqual([{ n: 1 }]);
    const postgresql = await openStore(url.href.replace(/^postgres:/, 'postgresql:'));
    expect(await readAll(postgresql, 'cart-1')).toEqual([[1, { type: 'opened' }]]);
    await postgresql.close?.();
  });

  it('does not migrate when told not to', async () => {
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', `${schemaPrefix}_unmigrated`);
    const store = await openStore(url.href, { migrate: false });
    const error = await store.append('s', {}).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BACKEND' });
    expect((error as Error).message).toContain('run migrate() first');
    await store.close?.();
  });

  it('never echoes the password, in URL errors nor in connection failures', async () => {
    const bad = await openStore('postgres://app:s3cr3t-pw@127.0.0.1:5432/db?schema=Bad-Name').catch((caught: unknown) => caught);
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((bad as Error).message).toContain('app:***@127.0.0.1');
    expect((bad as Error).message).not.toContain('s3cr3t-pw');
    const unreachable = await openStore('postgres://app:s3cr3t-pw@127.0.0.1:1/db').catch((caught: unknown) => caught);
    expect(unreachable).toMatchObject({ code: 'BACKEND' });
    expect(String((unreachable as Error).message)).not.toContain('s3cr3t-pw');
    const garbled = await openStore('postgres://app:s3cr3t-pw@[bad/db').catch((caught: unknown) => caught);
    expect(garbled).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((garbled as Error).message).not.toContain('s3cr3t-pw');
  });
});

describe('openStore in general', () => {
  it.each([
    ['', 'must be a non-empty string'],
    ['events.db', 'has no scheme'],
    ['mysql://localhost/db', 'unknown scheme "mysql:"'],
    ['memory:/x', 'has something after "memory:"'],
  ])('refuses %j with INVALID_ARGUMENT', async (url, reason) => {
    const error = await openStore(url).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((error as Error).message).toContain(reason);
  });

  it('opens memory: as a fresh store each time', async () => {
    const store = await openStore('memory:');
    await store.append('s', { a: 1 });
    expect(await readAll(await openStore('memory:'), 's')).toEqual([]);
    expect(await readAll(store, 's')).toEqual([[1, { a: 1 }]]);
  });

  it('opens a scheme a third-party adapter registered, also across copies of the registry', async () => {
    const opened: string[] = [];
    registerScheme('acme+mem', (url) => {
      opened.push(url);
      return new MemoryEventStore();
    });
    expect(registeredSchemes()).toContain('acme+mem');
    const store = await openStore('acme+mem://anything');
    expect(await store.append('s', {})).toEqual({ ok: true, seq: 1 });
    expect(opened).toEqual(['acme+mem://anything']);
    // A second copy of @hume/open (another node_modules) shares the registry through globalThis.
    const copy = (await import(
      /* @vite-ignore */ new URL('../dist/scheme-registry.js?copy=2', import.meta.url).href
    )) as typeof import('../src/scheme-registry.js');
    expect(copy.registeredSchemes()).toContain('acme+mem');
    expect(() => registerScheme('Bad:', () => new MemoryEventStore())).toThrow(TypeError);
  });

  it('names the packages to install when an adapter is missing', async () => {
    const error = await importAdapter('@hume/not-installed', ['@hume/not-installed', 'its-driver'], 'nope:').catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'INVALID_MODULE' });
    expect((error as Error).message).toBe(
      'opening nope: URLs needs @hume/not-installed and its-driver, but @hume/not-installed is not installed: run `npm install @hume/not-installed its-driver`',
    );
  });

  it('redacts passwords in the user part and in a password parameter', () => {
    expect(redactUrl('postgres://app:pw@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redactUrl('postgres://app@db/x?password=pw&sslmode=require')).toBe('postgres://app@db/x?password=***&sslmode=require');
    expect(redactUrl('sqlite:events.db')).toBe('sqlite:events.db');
  });
});
