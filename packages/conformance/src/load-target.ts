import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Target } from './target.js';

/** The forms a target module may export, for messages. */
const forms = 'a function that returns an event store, or an object { create, dispose?, fault?, interrupt?, reopen?, share? }';

/**
 * A target module that cannot be imported or exports no target. The
 * message says what to do; the CLI prints it alone, without a stack.
 */
export class TargetModuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetModuleError';
  }
}

/**
 * Imports a target module: its default export, or else its export named
 * `target`, is a function returning a store (or a promise of one), or an
 * object `{ create, dispose?, fault?, interrupt?, reopen?, share? }`. A
 * specifier that names a file (from `cwd`) is that file; otherwise it is a
 * package, resolved from `cwd` as the user's own code would resolve it.
 * Throws a {@link TargetModuleError} that says what to do when the module
 * cannot be found or imported (TypeScript on a Node that cannot run it) or
 * exports no target.
 *
 * @example
 * ```ts
 * const target = await loadTarget('./my-store.conformance.js');
 * ```
 */
export async function loadTarget(specifier: string, cwd: string = process.cwd()): Promise<Target> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier) || existsSync(resolve(cwd, specifier));
  let file: string;
  try {
    file = isPath ? resolve(cwd, specifier) : createRequire(join(cwd, 'noop.js')).resolve(specifier);
  } catch (error) {
    throw new TargetModuleError(`${specifier} cannot be found from ${cwd}: give a path (./my-store.js) or an installed package name`, {
      cause: error,
    });
  }
  if (isPath && !existsSync(file)) throw new TargetModuleError(`${specifier} does not exist (resolved from ${cwd} to ${file})`);
  let module: { default?: unknown; target?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as typeof module;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION' && /^\.[cm]?ts$/.test(extname(file))) {
      throw new TargetModuleError(
        `${specifier} is TypeScript, which this Node (${process.version}) cannot import: compile it to JavaScript first, or run the CLI under a loader, e.g. node --import tsx node_modules/@hume/conformance/bin/hume-conformance.js ${specifier}`,
        { cause: error },
      );
    }
    throw error;
  }
  const [name, target] = module.default !== undefined ? ['default export', module.default] : ['export named target', module.target];
  if (typeof target === 'function') return target as Target;
  if (typeof target === 'object' && target !== null && typeof (target as { create?: unknown }).create === 'function')
    return target as Target;
  throw new TargetModuleError(
    module.default === undefined && module.target === undefined
      ? `${specifier} must export a target, by default or named target: ${forms} (it exports neither)`
      : `${specifier}'s ${name} must be ${forms} (got ${target === null ? 'null' : typeof target})`,
  );
}
