import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { exportLine } from '../ndjson.js';
import { openForReading } from '../open-cli-store.js';
import { colorsFor, write } from '../output.js';
import { wholeNumber } from '../parse-number.js';

/** `hume read <url> <stream>`: a stream's events, one per line. */
export function readCommand(program: Command, context: CommandContext): void {
  program
    .command('read')
    .description("print a stream's events, one per line: seq, then the payload as JSON")
    .argument('<url>', 'the store')
    .argument('<stream>', 'the stream name')
    .option('--from <seq>', 'only events after this seq (exclusive)', wholeNumber(0), 0)
    .option('--limit <n>', 'at most n events', wholeNumber(0))
    .option('--json', 'one JSON object per line, in the export format: {"stream":…,"seq":…,"payload":…}')
    .addHelpText(
      'after',
      `
Examples:
  hume read sqlite:events.db cart-1
  hume read sqlite:events.db cart-1 --from 10 --limit 5
  hume read postgres://localhost/shop cart-1 --json | jq .payload.type`,
    )
    .action(async (url: string, stream: string, options: { from: number; limit?: number; json?: boolean }) => {
      const store = await openForReading(url);
      try {
        const c = colorsFor(context.stdout, context.env);
        const limit = options.limit ?? Number.POSITIVE_INFINITY;
        let count = 0;
        if (limit === 0) return;
        for await (const event of store.events(stream, options.from)) {
          await write(
            context.stdout,
            options.json ? exportLine(stream, event) : `${c.cyan(String(event.seq))}\t${JSON.stringify(event.payload)}\n`,
          );
          if (++count >= limit) break;
        }
      } finally {
        await store.close?.();
      }
    });
}
