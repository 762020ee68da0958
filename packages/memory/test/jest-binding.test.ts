import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('passes every case under jest through @hume/conformance/jest', async () => {
  const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
  const folder = fileURLToPath(new URL('./jest/', import.meta.url));
  // Jest runs ES modules only with this flag; its output goes to stderr.
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--experimental-vm-modules', jest, '--rootDir', folder, '--ci', '--verbose'],
    {
      cwd: folder,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
  expect(stderr).toContain('MUST C2.5-concurrent-appends-with-one-expect-have-one-winner');
  expect(stderr).toMatch(/Tests: +\d+ skipped, \d+ passed, \d+ total/);
  expect(stderr).not.toMatch(/\d+ failed/);
}, 120_000);
