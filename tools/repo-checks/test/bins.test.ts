// pnpm links the bins of workspace packages at install, before anything is
// built: a bin that points into dist/ makes every clean install warn
// "Failed to create bin … ENOENT". A bin is a committed file that imports dist.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from './workspace.js';

describe.each(publishedPackages())('the bins of $name', ({ folder }) => {
  it('are committed, executable files outside dist/', () => {
    const { bin = {} } = JSON.parse(readFileSync(resolve(folder, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    for (const file of typeof bin === 'string' ? [bin] : Object.values(bin)) {
      expect(file).not.toMatch(/^(\.\/)?dist\//);
      expect(existsSync(resolve(folder, file)), `${file} does not exist`).toBe(true);
      expect(statSync(resolve(folder, file)).mode & 0o111, `${file} is not executable`).not.toBe(0);
    }
  });
});
