import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('passes every case under jest through @hume/conformance/jest, naming why a case is skipped', async () => {
  const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
  const folder = fileURLToPath(new URL('./jest/', import.meta.url));
  // Jest's cache goes to a folder of this test's own, removed afterwards, not to a /tmp/jest_* left behind.
  const cache = await mkdtemp(join(tmpdir(), 'hume-jest-cache-'));
  try {
    // Jest runs ES modules only with this flag; its output goes to stderr.
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--experimental-vm-modules', jest, '--rootDir', folder, '--cacheDirectory', cache, '--ci', '--verbose'],
      {
        cwd: folder,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    expect(stderr).toContain('MUST C2.5-concurrent-appends-with-one-expect-have-one-winner');
    expect(stderr).toMatch(/MUST C8\.2-.* \(skipped: the target offers no fault hook\)/);
    expect(stderr).toMatch(/Tests: +\d+ skipped, \d+ passed, \d+ total/);
    expect(stderr).not.toMatch(/\d+ failed/);
    expect((await readdir(cache)).length, 'jest wrote no cache where it was told').toBeGreaterThan(0);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}, 300_000);
