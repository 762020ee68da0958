// The CLI runs on a target module that lives outside the repository and
// exits non-zero when a MUST case fails.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ConformanceReport } from '@hume/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const core = pathToFileURL(fileURLToPath(new URL('../../core/dist/index.js', import.meta.url))).href;

/** A plain-JS store, written to a temp folder: correct, or with `expect` ignored when `broken`. */
const storeModule = (broken: boolean) => `
import { UnexpectedSeqError, checkAppend, checkEvents } from '${core}';

class ArrayStore {
  streams = new Map();
  async append(stream, payload, expect) {
    const invalid = checkAppend(stream, payload, expect);
    if (invalid) return { ok: false, error: invalid };
    const events = this.streams.get(stream) ?? [];
    this.streams.set(stream, events);
    if (${broken ? 'false' : 'expect != null'} && expect !== events.length) {
      return { ok: false, error: new UnexpectedSeqError(stream, expect, events.length) };
    }
    events.push({ seq: events.length + 1, payload: JSON.parse(JSON.stringify(payload)) });
    return { ok: true, seq: events.length };
  }
  async *events(stream, from = 0) {
    const invalid = checkEvents(stream, from);
    if (invalid) throw invalid;
    for (const event of (this.streams.get(stream) ?? []).slice(from)) yield structuredClone(event);
  }
}

export default { create: () => new ArrayStore() };
`;

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'hume-cli-'));
  await writeFile(join(folder, 'good.mjs'), storeModule(false));
  await writeFile(join(folder, 'broken.mjs'), storeModule(true));
  await writeFile(join(folder, 'not-a-target.mjs'), 'export default 42;\n');
  await writeFile(join(folder, 'hangs.mjs'), 'export default { create: () => new Promise(() => {}) };\n');
  await writeFile(join(folder, 'named.mjs'), storeModule(false).replace('export default {', 'export const target = {'));
  await writeFile(join(folder, 'store.ts'), 'export default (): object => ({});\n');
  await writeFile(join(folder, 'no-events.mjs'), 'export default () => ({ append: async () => ({ ok: true, seq: 1 }) });\n');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function cliRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: folder });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('hume-conformance', () => {
  it('passes a conforming module given by a relative path, with a readable summary', { timeout: 120_000 }, async () => {
    const { code, stdout } = await cliRun('./good.mjs', '--long-stream', '300');
    expect(stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/m);
    expect(stdout).toContain('conforms to contract 1.1');
    // Its store has no appendMany: the batch cases are skipped, saying why.
    expect(stdout).toMatch(/^ {2}- MUST {3}C11\.1-[a-z0-9-]+\n {6}skipped: the store has no appendMany\(\)$/m);
    expect(code).toBe(0);
  });

  it('exits 1 for a module that ignores expect and names the clauses it broke', { timeout: 120_000 }, async () => {
    const { code, stdout } = await cliRun(join(folder, 'broken.mjs'), '--long-stream', '300');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ MUST   C2.5-concurrent-appends-with-one-expect-have-one-winner');
    expect(stdout).toContain('if this fails, check');
    expect(stdout).toMatch(/does not conform: \d+ MUST cases failed/);
  });

  it('prints the report as JSON with --json, filtered by --grep', async () => {
    const { code, stdout } = await cliRun('./broken.mjs', '--json', '--grep', 'C2.4');
    const report = JSON.parse(stdout) as ConformanceReport;
    expect(code).toBe(1);
    expect(report.contract).toBe('1.1');
    expect(report.cases.map((c) => [c.id, c.status])).toEqual([
      ['C2.4-smaller-expect-conflicts', 'fail'],
      ['C2.4-larger-expect-conflicts', 'fail'],
    ]);
  });

  it('writes JUnit XML with --junit: a failure per broken case, with the seed as a property', async () => {
    const { code } = await cliRun('./broken.mjs', '--grep', '^C2\\.4-', '--junit', 'report.xml', '--seed', '7');
    const xml = await readFile(join(folder, 'report.xml'), 'utf8');
    expect(code).toBe(1);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="Hume conformance" tests="2" failures="2" skipped="0"/,
    );
    expect(xml).toContain('<property name="seed" value="7"/>');
    expect(xml).toContain(
      '<testcase classname="hume.C2" name="MUST C2.4-smaller-expect-conflicts: expect below the last seq conflicts with expected and actual set"',
    );
    expect(xml.match(/<failure message="append with expect 1 succeeded/g)).toHaveLength(1);
  });

  it('exits 1, not 0, when the target never creates a store', async () => {
    const { code, stdout } = await cliRun('./hangs.mjs', '--grep', '^C1\\.1-', '--timeout', '300');
    expect(code).toBe(1);
    expect(stdout).toContain('the target could not create a store: creating the store did not finish within 300 ms (a hung lock');
  });

  it('exits 2 when --grep selects no case', async () => {
    const { code, stderr } = await cliRun('./good.mjs', '--grep', 'no-such-case');
    expect(code).toBe(2);
    expect(stderr).toContain('--grep "no-such-case" selects no case');
  });

  it('resolves the module from --cwd', async () => {
    const { code } = await cliRun('good.mjs', '--cwd', folder, '--grep', '^C1\\.1-');
    expect(code).toBe(0);
  });

  it('exits 2 with usage for a missing module argument or a module that exports no target', async () => {
    const missing = await cliRun();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: hume-conformance <module>');
    const wrong = await cliRun('./not-a-target.mjs');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe(
      "./not-a-target.mjs's default export must be a function that returns an event store, or an object { create, dispose?, fault?, interrupt?, reopen?, share? } (got number)",
    );
  });

  it('accepts a target exported under the name target, as docs/conformance.md shows it', async () => {
    const { code, stdout } = await cliRun('./named.mjs', '--grep', '^C1\\.1-');
    expect(stdout).toMatch(/^1 passed, 0 failed, 0 skipped$/m);
    expect(code).toBe(0);
  });

  it('explains in one line that a .ts module must be compiled first, without a stack', async () => {
    const { code, stderr } = await cliRun('./store.ts');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\.\/store\.ts is TypeScript, which this Node \(v[\d.]+\) cannot import: compile it to JavaScript first, or run the CLI under a loader/,
      ),
    ]);
  });

  it('explains in one line a module that does not exist', async () => {
    const { code, stderr } = await cliRun('./missing.mjs');
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^\.\/missing\.mjs does not exist \(resolved from .* to .*missing\.mjs\)$/);
  });

  it('refuses a store without events in one message from validate, running no case', async () => {
    const { code, stdout, stderr } = await cliRun('./no-events.mjs');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('./no-events.mjs: its store is not an event store: events is missing');
  });

  it('answers --help with the usage and exit 0, and an unknown flag with one line and exit 2', async () => {
    const help = await cliRun('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('{ create, dispose?, fault?, interrupt?, reopen?, share? }');
    const bogus = await cliRun('./good.mjs', '--bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.stderr.trim().split('\n')).toEqual([expect.stringMatching(/'--bogus'.*\(--help prints the usage\)$/)]);
  });
});
