import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { postgresUrl, sqliteFixture, tempDir } from './fixtures.js';
import { hume } from './run-hume.js';

const dir = tempDir();

describe('hume conventions', () => {
  it('prints its version, and help with examples for the program and every command', async () => {
    const version = await hume(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.0.0\n' });
    const help = await hume(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    for (const command of ['info', 'streams', 'read', 'append', 'copy', 'verify', 'export', 'import', 'tail']) {
      expect(help.stdout).toContain(`${command} `);
      const own = await hume([command, '--help']);
      expect(own.code, command).toBe(0);
      expect(own.stdout, command).toContain('Examples:');
    }
  });

  it('exits 2 with one line on a usage error, 1 with one line on a failure', async () => {
    const usage = await hume(['read', 'sqlite:x.db']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("hume: USAGE: missing required argument 'stream' (--help shows the options and examples)\n");
    expect((await hume(['frobnicate'])).code).toBe(2);
    expect((await hume(['read', 'sqlite:x.db', 's', '--limit', '-1'])).code).toBe(2);
    expect((await hume([])).code).toBe(2);
    expect((await hume(['--import', 'node:os'])).code, 'options but no command').toBe(2);
    const missing = await hume(['info', `sqlite:${join(dir, 'nope.db')}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^hume: NOT_FOUND: no such SQLite file: .*nope\.db \(check the path; .*\)\n$/);
  });

  it("leaves another application's SQLite database as it found it: the reading commands refuse it", async () => {
    const file = join(dir, 'not-hume.db');
    const other = new Database(file);
    other.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY)');
    other.close();
    for (const args of [['info'], ['streams'], ['read', '', 'cart-1'], ['tail', '', '--no-live'], ['export']]) {
      const [command, , ...rest] = args;
      const result = await hume([command as string, `sqlite:${file}`, ...rest]);
      expect(result.code, command).toBe(1);
      expect(result.stderr, command).toMatch(/^hume: NOT_A_STORE: .*not-hume\.db holds no Hume store \(no table hume_schema\)/);
    }
    const after = new Database(file, { readonly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    after.close();
    expect(tables).toEqual(['orders']);
  });

  it('never echoes a password in an error', async () => {
    const result = await hume(['info', 'postgres://app:pa55word@127.0.0.1:1/db?schema=Not-Valid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hume: INVALID_ARGUMENT: url "postgres://app:***@127.0.0.1:1/db?schema=Not-Valid"');
    expect(result.stderr).not.toContain('pa55word');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const unreachable = await hume(['info', 'postgres://app:pa55word@127.0.0.1:1/db']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^hume: BACKEND: /);
    expect(unreachable.stderr).not.toContain('pa55word');
  });
});

describe('info, streams, read and append', () => {
  it('append creates the file, read and streams show what it holds, info counts it', async () => {
    const url = `sqlite:${join(dir, 'shop.db')}`;
    expect(await hume(['append', url, 'cart-1', '{"type":"opened"}', '--expect', '0'])).toMatchObject({ code: 0, stdout: '1\n' });
    expect(await hume(['append', url, 'cart-1', '{"type":"item-added","sku":"a1"}'])).toMatchObject({ code: 0, stdout: '2\n' });
    expect(await hume(['append', url, 'cart-2', '"just a string"', '--json'])).toMatchObject({ code: 0, stdout: '{"ok":true,"seq":1}\n' });
    const stale = await hume(['append', url, 'cart-1', '{}', '--expect', '0']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('hume: UNEXPECTED_SEQ: ');
    expect(stale.stderr).toContain('retry with --expect 2');
    const staleJson = await hume(['append', url, 'cart-1', '{}', '--expect', '1', '--json']);
    expect(staleJson.code).toBe(1);
    expect(JSON.parse(staleJson.stdout)).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_SEQ' } });
    expect((await hume(['append', url, 'cart-1', '{not json'])).code).toBe(2);
    const refused = await hume(['append', url, 'cart-1', '[]', '--expect', '1.5']);
    expect(refused.code).toBe(2);

    expect(await hume(['read', url, 'cart-1'])).toMatchObject({
      code: 0,
      stdout: '1\t{"type":"opened"}\n2\t{"type":"item-added","sku":"a1"}\n',
    });
    expect(await hume(['read', url, 'cart-1', '--from', '1', '--json'])).toMatchObject({
      stdout: '{"stream":"cart-1","seq":2,"payload":{"type":"item-added","sku":"a1"}}\n',
    });
    expect((await hume(['read', url, 'cart-1', '--limit', '1'])).stdout).toBe('1\t{"type":"opened"}\n');
    expect((await hume(['read', url, 'unknown'])).stdout).toBe('');
    expect(await hume(['streams', url])).toMatchObject({ code: 0, stdout: 'cart-1\t2\ncart-2\t1\n' });
    expect((await hume(['streams', url, '--prefix', 'cart-2', '--json'])).stdout).toBe('{"stream":"cart-2","last":1}\n');
    expect((await hume(['streams', url, '--after', 'cart-1'])).stdout).toBe('cart-2\t1\n');

    const info = await hume(['info', url, '--json']);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ backend: 'sqlite', schemaVersion: 1, streams: 2, events: 3 });
    expect(JSON.parse(info.stdout).bytes).toBeGreaterThan(0);
    const text = await hume(['info', url]);
    expect(text.stdout).toMatch(/^backend +sqlite\nlocation .*shop\.db\nschema +version 1\nstreams +2\nevents +3\nsize +\d/);
  });

  it('colours nothing when output is not a terminal, and honours NO_COLOR', async () => {
    const url = `sqlite:${join(dir, 'colours.db')}`;
    await hume(['append', url, 's', '{}']);
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const result = await hume(['info', url], { env });
      expect(result.stdout).not.toContain('\u001b[');
    }
  });

  it('reports a PostgreSQL store: backend, schema version, counts and size', async () => {
    const url = postgresUrl('cli_info');
    const empty = await hume(['info', url, '--json']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ backend: 'postgres', streams: 0, events: 0 });
    await hume(['append', url, 'a', '{"n":1}']);
    await hume(['append', url, 'a', '{"n":2}']);
    const info = await hume(['info', url, '--json']);
    const parsed = JSON.parse(info.stdout);
    expect(parsed).toMatchObject({ backend: 'postgres', streams: 1, events: 2 });
    expect(parsed.schemaVersion).toBeGreaterThanOrEqual(2);
    expect(parsed.bytes).toBeGreaterThan(0);
  });

  it('lists streams of a SQLite store across many pages, in order', async () => {
    const file = join(dir, 'many.db');
    await sqliteFixture(file, 1500, 1);
    const result = await hume(['streams', `sqlite:${file}`]);
    const names = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t')[0]);
    expect(names).toHaveLength(1500);
    expect(names).toEqual([...names].sort());
  });
});
