import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { onInterrupt } from '../interrupt.js';
import { exportLine } from '../ndjson.js';
import { openForReading } from '../open-cli-store.js';
import { write } from '../output.js';
import { requireListing } from '../require-listing.js';

/** `hume export <url>`: every event as one JSON line, stream by stream. */
export function exportCommand(program: Command, context: CommandContext): void {
  program
    .command('export')
    .description('write every event as one JSON line {"stream","seq","payload"} to stdout, stream by stream in name order')
    .argument('<url>', 'the store (it must list its streams)')
    .option('--prefix <prefix>', 'only streams whose names start with it')
    .addHelpText(
      'after',
      `
The format is documented in docs/cli.md and read back by hume import; an export
imported into an empty store and exported again gives the same bytes.

Examples:
  hume export sqlite:events.db > events.ndjson
  hume export postgres://localhost/shop --prefix cart- | gzip > carts.ndjson.gz`,
    )
    .action(async (url: string, options: { prefix?: string }) => {
      const store = await openForReading(url);
      const interrupt = onInterrupt(context.stderr, 'the export stops after the current event');
      try {
        for await (const { stream } of requireListing(store, 'the store').streams({ prefix: options.prefix })) {
          for await (const event of store.events(stream)) {
            await write(context.stdout, exportLine(stream, event));
            if (interrupt.signal.aborted) break;
          }
          if (interrupt.signal.aborted) {
            context.exitCode = 1;
            context.stderr.write('hume: STOPPED: the export is incomplete\n');
            break;
          }
        }
      } finally {
        interrupt.dispose();
        await store.close?.();
      }
    });
}
