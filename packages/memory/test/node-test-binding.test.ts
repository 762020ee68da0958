import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('passes every case under node:test through @hume/conformance/node-test, with the reason of each skip', async () => {
  const file = fileURLToPath(new URL('./node-test/memory.conformance.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', file]);
  expect(stdout).toMatch(/^# fail 0$/m);
  const passed = Number(/^# pass (\d+)$/m.exec(stdout)?.[1]);
  expect(passed).toBeGreaterThan(50);
  expect(stdout).toContain('MUST C2.5-concurrent-appends-with-one-expect-have-one-winner');
  expect(stdout).toMatch(/^ +ok \d+ - MUST C8\.2-.* # SKIP the target offers no fault hook$/m);
}, 60_000);
