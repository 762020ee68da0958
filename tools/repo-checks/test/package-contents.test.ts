// Each published tarball holds the build, its bins, the README, the licence
// and the contract its README links to, and nothing else: no sources, tests,
// configs or source maps.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeLinks } from './relative-links.js';
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
  it('holds only dist, its bins, README.md, LICENSE, contract.md (scaling.md for @hume/postgres) and package.json, and every file its README links to', async () => {
    const before = new Set(await readdir(destination));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: folder });
    const tarball = (await readdir(destination)).find((file) => !before.has(file));
    expect(tarball, `pnpm pack wrote no tarball for ${name}`).toBeDefined();
    const { stdout } = await run('tar', ['-tzf', join(destination, tarball ?? '')]);
    const files = stdout
      .trim()
      .split('\n')
      .map((file) => file.replace(/^package\//, ''));
    expect(
      files.filter(
        (file) => !/^(dist\/.+\.(js|d\.ts)|bin\/[\w-]+\.js|README\.md|LICENSE|contract\.md|scaling\.md|package\.json)$/.test(file),
      ),
    ).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    const missing = relativeLinks(readme).filter((target) => !files.includes(posix.normalize(target)));
    expect(missing, 'README links to files the tarball does not hold').toEqual([]);
  });
});
