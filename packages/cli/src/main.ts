import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, formatError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { appendCommand } from './commands/append.js';
import { copyCommand } from './commands/copy.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { infoCommand } from './commands/info.js';
import { readCommand } from './commands/read.js';
import { streamsCommand } from './commands/streams.js';
import { tailCommand } from './commands/tail.js';
import { verifyCommand } from './commands/verify.js';
import { importSchemeModules } from './open-cli-store.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Runs the `hume` command line with `args` (without `node` and the script)
 * and resolves to its exit code: 0 done, 1 failed (one line on stderr says
 * why and what to do), 2 a usage error. Never rejects.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['info', 'sqlite:events.db']);
 * ```
 */
export async function main(args: readonly string[], io: Partial<Omit<CommandContext, 'exitCode'>> = {}): Promise<number> {
  const context: CommandContext = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    exitCode: EXIT_OK,
  };
  const program = new Command('hume')
    .description('Inspect, read, append to, copy, verify, export and import Hume event stores.')
    .version(version, '-v, --version', 'print the version')
    .option(
      '--import <module>',
      'import a module first, to register the URL scheme of a third-party adapter (registerScheme); repeatable',
      // Repeated, not variadic: a variadic option would swallow the command and its arguments.
      (module: string, modules: readonly string[]) => [...modules, module],
      [] as readonly string[],
    )
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // One line, like every other failure: the problem, then where the examples are.
      outputError: (text, write) =>
        write(
          `hume: USAGE: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (--help shows the options and examples)\n`,
        ),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Store URLs:
  sqlite:path/to/events.db   sqlite:///absolute/events.db   sqlite::memory:
  postgres://user:password@host:5432/db?schema=events   (also postgresql://)
  memory:                    a fresh in-memory store

Exit codes: 0 done (tail: also when Ctrl-C stops it), 1 failed (or a copy stopped by Ctrl-C), 2 usage error.
Colours only on a terminal, never with NO_COLOR set. Progress goes to stderr.

Examples:
  hume info sqlite:events.db
  hume copy sqlite:events.db postgres://app@localhost:5432/shop
  hume verify sqlite:events.db postgres://app@localhost:5432/shop
  hume tail sqlite:events.db --prefix cart-`,
    );
  program.hook('preAction', async (command) => {
    const modules = (command.opts() as { import?: string[] }).import ?? [];
    await importSchemeModules(modules);
  });
  for (const add of [
    infoCommand,
    streamsCommand,
    readCommand,
    appendCommand,
    copyCommand,
    verifyCommand,
    exportCommand,
    importCommand,
    tailCommand,
  ])
    add(program, context);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  try {
    if (args.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(args, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // 'commander.help' with a non-zero exit code is help shown because no command was given.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help' && error.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    context.stderr.write(`${formatError(error)}\n`);
    return exitCodeOf(error);
  }
}
