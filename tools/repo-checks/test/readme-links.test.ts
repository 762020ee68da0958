// A package README is read on npm and in node_modules, where nothing outside
// the package exists: a relative link must stay inside the package (what it
// points to is then checked against the tarball by package-contents.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeLinks } from './relative-links.js';
import { publishedPackages } from './workspace.js';

describe('relativeLinks', () => {
  it('finds relative links and images, not URLs or anchors', () => {
    expect(
      relativeLinks(
        '[a](../../docs/contract.md) [b](https://x.org/y) ![c](chart.svg "t") [d](#options) [e](contract.md#c2) [f](mailto:a@b.c)',
      ),
    ).toEqual(['../../docs/contract.md', 'chart.svg', 'contract.md']);
  });
});

describe.each(publishedPackages())('the README of $name', ({ folder }) => {
  it('links nothing outside its package by a relative path', () => {
    const readme = resolve(folder, 'README.md');
    if (!existsSync(readme)) return;
    const outside = relativeLinks(readFileSync(readme, 'utf8')).filter((target) =>
      relative(folder, resolve(folder, target)).startsWith('..'),
    );
    expect(outside, 'link to a file the package ships (see "files" and prepack in its package.json) instead').toEqual([]);
  });
});
