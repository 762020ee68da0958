import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Target } from './target.js';

/**
 * Imports a target module: its default export is a function returning a
 * store (or a promise of one), or an object `{ create, dispose?, fault? }`.
 * A specifier that names a file (from `cwd`) is that file; otherwise it is a
 * package, resolved from `cwd` as the user's own code would resolve it.
 *
 * @example
 * ```ts
 * const target = await loadTarget('./my-store.conformance.js');
 * ```
 */
export async function loadTarget(specifier: string, cwd: string = process.cwd()): Promise<Target> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier) || existsSync(resolve(cwd, specifier));
  const url = pathToFileURL(isPath ? resolve(cwd, specifier) : createRequire(join(cwd, 'noop.js')).resolve(specifier)).href;
  const module = (await import(url)) as { default?: unknown };
  const target = module.default;
  if (typeof target === 'function') return target as Target;
  if (typeof target === 'object' && target !== null && typeof (target as { create?: unknown }).create === 'function')
    return target as Target;
  throw new TypeError(
    `${specifier} must export by default a function that returns an event store, or an object { create, dispose?, fault? } (got ${target === null ? 'null' : typeof target})`,
  );
}
