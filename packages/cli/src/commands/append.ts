import type { Json } from '@hume/core';
import type { Command } from 'commander';
import { CliError, usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { openForWriting } from '../open-cli-store.js';
import { write } from '../output.js';
import { wholeNumber } from '../parse-number.js';

/** `hume append <url> <stream> <json>`: one event. */
export function appendCommand(program: Command, context: CommandContext): void {
  program
    .command('append')
    .description('append one event (a JSON payload) to a stream; prints its seq')
    .argument('<url>', 'the store (a SQLite file is created, PostgreSQL migrated, when needed)')
    .argument('<stream>', 'the stream name')
    .argument('<json>', 'the payload, as JSON')
    .option('--expect <seq>', "append only if the stream's last seq is this (0: the stream must be empty)", wholeNumber(0))
    .option('--no-migrate', 'do not create or migrate PostgreSQL tables')
    .option('--json', 'print {"ok":true,"seq":…} or the refusal as JSON')
    .addHelpText(
      'after',
      `
Examples:
  hume append sqlite:events.db cart-1 '{"type":"opened"}' --expect 0
  hume append postgres://localhost/shop cart-1 '{"type":"item-added","sku":"a1"}'`,
    )
    .action(async (url: string, stream: string, text: string, options: { expect?: number; migrate: boolean; json?: boolean }) => {
      let payload: Json;
      try {
        payload = JSON.parse(text) as Json;
      } catch (error) {
        throw usageError(`<json> is not JSON: ${(error as Error).message}`, 'quote the payload for the shell: \'{"type":"opened"}\'');
      }
      const store = await openForWriting(url, options.migrate);
      try {
        const result = await store.append(stream, payload, options.expect);
        if (options.json) {
          const body = result.ok ? result : { ok: false, error: { code: result.error.code, message: result.error.message } };
          await write(context.stdout, `${JSON.stringify(body)}\n`);
          if (!result.ok) context.exitCode = 1;
          return;
        }
        if (!result.ok) {
          const hint =
            result.error.code === 'UNEXPECTED_SEQ'
              ? `the stream's last seq is ${result.error.actual}: read it, then retry with --expect ${result.error.actual}`
              : 'fix the argument named above';
          throw new CliError(result.error.code, result.error.message, hint);
        }
        await write(context.stdout, `${result.seq}\n`);
      } finally {
        await store.close?.();
      }
    });
}
