import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { openForReading } from '../open-cli-store.js';
import { colorsFor, write } from '../output.js';
import { wholeNumber } from '../parse-number.js';
import { requireListing } from '../require-listing.js';

/** `hume streams <url>`: every stream with its last seq, by name. */
export function streamsCommand(program: Command, context: CommandContext): void {
  program
    .command('streams')
    .description('list the streams with their last seq, ordered by name (code-point order)')
    .argument('<url>', 'the store')
    .option('--prefix <prefix>', 'only streams whose names start with it')
    .option('--after <name>', 'only streams whose names sort after it (to continue a listing)')
    .option('--limit <n>', 'at most n streams', wholeNumber(0))
    .option('--json', 'one JSON object per line: {"stream":…,"last":…}')
    .addHelpText(
      'after',
      `
Examples:
  hume streams sqlite:events.db
  hume streams sqlite:events.db --prefix cart- --limit 20
  hume streams postgres://localhost/shop --json | jq -r .stream`,
    )
    .action(async (url: string, options: { prefix?: string; after?: string; limit?: number; json?: boolean }) => {
      const store = await openForReading(url);
      try {
        const c = colorsFor(context.stdout, context.env);
        const { prefix, after, limit } = options;
        for await (const { stream, last } of requireListing(store, 'the store').streams({ prefix, after, limit })) {
          await write(context.stdout, options.json ? `${JSON.stringify({ stream, last })}\n` : `${stream}\t${c.cyan(String(last))}\n`);
        }
      } finally {
        await store.close?.();
      }
    });
}
