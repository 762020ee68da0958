// Each published tarball holds the build, the README and the licence, and
// nothing else: no sources, tests, configs or source maps.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages } from './workspace.js';

const run = promisify(execFile);
let destination = '';

beforeAll(async () => {
  destination = await mkdtemp(join(tmpdir(), 'hume-pack-'));
});
afterAll(async () => {
  await rm(destination, { recursive: true, force: true });
});

describe.each(publishedPackages())('the tarball of $name', ({ name, folder }) => {
  it('holds only dist, README.md, LICENSE and package.json', async () => {
    const before = new Set(await readdir(destination));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: folder });
    const tarball = (await readdir(destination)).find((file) => !before.has(file));
    expect(tarball, `pnpm pack wrote no tarball for ${name}`).toBeDefined();
    const { stdout } = await run('tar', ['-tzf', join(destination, tarball ?? '')]);
    const files = stdout
      .trim()
      .split('\n')
      .map((file) => file.replace(/^package\//, ''));
    expect(files.filter((file) => !/^(dist\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
  });
});
