import { join } from 'node:path';
import { checkPayload, MAX_PAYLOAD_DEPTH } from '@hume/core';
import { describe, expect, it } from 'vitest';
import { postgresUrl, tempDir } from './fixtures.js';
import { hume } from './run-hume.js';

const dir = tempDir();

/** Arrays and objects nested `depth` levels deep, around a string with U+0000 and an astral character. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom \u0000 \u{1F600}';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { [`k${level}`]: value };
  return value;
}

const awkward: [string, unknown][] = [
  ['nul', { text: 'a\u0000b', '\u0000key': '\u0000' }],
  ['astral \u{1F600}', { emoji: '\u{1F600}\u{1D11E}\u{10FFFF}', '\u{1F4A9}': ['\u{20000}'] }],
  ['separators', { lines: 'one\ntwo\r\nthree\rfour\u2028five\u2029six', tab: '\t', quote: '"\\' }],
  ['numbers', [0, -1, 1e308, 5e-324, 0.1, 9007199254740991, -9007199254740991]],
  ['scalars', 'just a string'],
  ['null', null],
  ['empty key', { '': '', ' ': [] }],
  ['deep', nested(MAX_PAYLOAD_DEPTH)],
];

describe('hume export and import', () => {
  it('the deep payload is exactly at the contract’s nesting limit', () => {
    expect(checkPayload(nested(MAX_PAYLOAD_DEPTH))).toBeUndefined();
    expect(checkPayload([nested(MAX_PAYLOAD_DEPTH)])).toBeDefined();
  });

  it('round-trips awkward payloads exactly: SQLite → file → PostgreSQL → file → SQLite, byte for byte', { timeout: 600_000 }, async () => {
    const first = `sqlite:${join(dir, 'awkward.db')}`;
    for (const [stream, payload] of awkward) {
      for (let i = 0; i < 3; i++) {
        const result = await hume(['append', first, stream, JSON.stringify(payload)]);
        expect(result.code, `${stream}: ${result.stderr}`).toBe(0);
      }
    }
    const exported = await hume(['export', first]);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(awkward.length * 3);
    for (const line of lines) expect(Object.keys(JSON.parse(line))).toEqual(['stream', 'seq', 'payload']);
    expect(exported.stdout).toContain('\\u0000');

    const middle = postgresUrl('cli_import');
    const imported = await hume(['import', middle, '--json'], { input: exported.stdout });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ streams: awkward.length, copied: lines.length, present: 0, stopped: false });
    const again = await hume(['export', middle]);
    expect(again.stdout).toBe(exported.stdout);

    const last = `sqlite:${join(dir, 'awkward-copy.db')}`;
    expect((await hume(['import', last], { input: again.stdout })).code).toBe(0);
    expect((await hume(['export', last])).stdout).toBe(exported.stdout);
    expect((await hume(['verify', first, middle])).code).toBe(0);

    // Importing the same file again appends nothing: every event is already there.
    const rerun = await hume(['import', last, '--json'], { input: exported.stdout });
    expect(JSON.parse(rerun.stdout)).toMatchObject({ copied: 0, present: lines.length });
  });

  it('exports one prefix only, and resumes an import cut short', async () => {
    const source = `sqlite:${join(dir, 'prefix.db')}`;
    for (const stream of ['a-1', 'a-2', 'b-1']) for (let i = 0; i < 4; i++) await hume(['append', source, stream, `{"i":${i}}`]);
    const onlyA = await hume(['export', source, '--prefix', 'a-']);
    expect(
      onlyA.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).stream),
    ).toEqual(['a-1', 'a-1', 'a-1', 'a-1', 'a-2', 'a-2', 'a-2', 'a-2']);
    const all = (await hume(['export', source])).stdout;
    const target = `sqlite:${join(dir, 'resumed.db')}`;
    const cut = all.split('\n').slice(0, 6).join('\n');
    expect((await hume(['import', target], { input: cut })).code).toBe(0);
    const resumed = await hume(['import', target, '--json'], { input: all });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ copied: 6, present: 6 });
    expect((await hume(['verify', source, target])).code).toBe(0);
  });

  it('refuses bad input with the line number, and streams that come twice', async () => {
    const target = `sqlite:${join(dir, 'bad-input.db')}`;
    const notJson = await hume(['import', target], { input: '{"stream":"s","seq":1,"payload":1}\nnot json\n' });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^hume: BAD_INPUT: line 2 is not JSON/);
    const gap = await hume(['import', target], { input: '{"stream":"g","seq":1,"payload":1}\n{"stream":"g","seq":3,"payload":1}\n' });
    expect(gap.stderr).toContain('hume: BAD_SOURCE: stream "g" of the source has seq 3 where 2 should come');
    const twice = await hume(['import', target], {
      input: '{"stream":"t","seq":1,"payload":1}\n{"stream":"u","seq":1,"payload":1}\n{"stream":"t","seq":2,"payload":1}\n',
    });
    expect(twice.stderr).toContain('hume: BAD_INPUT: line 3: stream "t" comes again after other streams');
    const extra = await hume(['import', target], { input: '{"stream":"x","seq":1,"payload":1,"at":"now"}\n' });
    expect(extra.stderr).toContain('line 1 has unknown keys "at"');
  });
});
