// Every code block marked `<!-- run -->` in a package README (and the root one) compiles and
// runs as it is written, importing the packages the way a user would.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { publishedPackages, root } from './workspace.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

// The root README's examples run too, labelled "the root".
const examples = [...publishedPackages(), { name: 'the root', folder: root }].flatMap(({ name, folder }) => {
  const readme = `${folder}/README.md`;
  if (!existsSync(readme)) return [];
  return [...readFileSync(readme, 'utf8').matchAll(/<!-- run -->\n```ts\n([\s\S]*?)```/g)].map((match, index) => ({
    label: `${name} README example ${index + 1}`,
    source: match[1] ?? '',
  }));
});

describe('README examples', () => {
  it('exist for core, memory and conformance', () => {
    const labels = examples.map((example) => example.label).join('\n');
    for (const name of ['@hume/core', '@hume/memory', '@hume/conformance']) expect(labels).toContain(name);
  });

  it.each(examples)('$label runs', async ({ label, source }) => {
    const diagnostics: string[] = [];
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      reportDiagnostics: true,
    });
    for (const diagnostic of output.diagnostics ?? []) diagnostics.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics, label).toEqual([]);
    // Written beside this test so that @hume/* resolve from this package's node_modules.
    const file = `${here}.example-${label.replace(/\W+/g, '-')}.mjs`;
    await writeFile(file, output.outputText);
    try {
      const { stdout } = await run(process.execPath, [file], { cwd: root, env: { ...process.env } });
      expect(stdout.length, `${label} printed nothing`).toBeGreaterThan(0);
    } finally {
      await rm(file, { force: true });
    }
  });
});
