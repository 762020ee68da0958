import type { FeedEvent, Json } from '@hume/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { onInterrupt } from '../interrupt.js';
import { openForReading } from '../open-cli-store.js';
import { colorsFor, write } from '../output.js';
import { requireFeed } from '../require-feed.js';

interface TailOptions {
  readonly prefix?: string;
  readonly after?: string;
  readonly live: boolean;
  readonly json?: boolean;
}

/**
 * `hume tail <url>`: the global feed, one line per event, from the start (or
 * after `--after`), then live until Ctrl-C, which ends it with exit 0 and the
 * position to resume from on stderr.
 */
export function tailCommand(program: Command, context: CommandContext): void {
  program
    .command('tail')
    .description('print the global feed, one line per event (position, stream, seq, payload), then follow new events')
    .argument('<url>', 'the store')
    .option('--prefix <prefix>', 'only streams whose names start with it (a category such as cart-)')
    .option('--after <position>', 'start after this feed position (a position printed earlier), not from the beginning')
    .option('--no-live', 'stop once caught up instead of waiting for new events')
    .option('--json', 'one JSON object per line: {"position":…,"stream":…,"seq":…,"payload":…}')
    .addHelpText(
      'after',
      `
The feed starts at the beginning of the store unless --after is given. Once it
has printed what is committed, it says so on stderr and waits for new events
(other processes' appends too) until Ctrl-C, which exits 0 and prints the last
position on stderr: pass it as --after to continue from there.

Examples:
  hume tail sqlite:events.db
  hume tail postgres://localhost/shop --prefix cart- --json | jq .payload
  hume tail sqlite:events.db --after 0000000000000000042 --no-live`,
    )
    .action(async (url: string, options: TailOptions) => {
      const opened = await openForReading(url);
      let last = options.after;
      try {
        const store = requireFeed(opened, 'the store');
        const interrupt = onInterrupt(context.stderr, 'tail stops');
        try {
          const c = colorsFor(context.stdout, context.env);
          const feed = store.feed(options.after, {
            prefix: options.prefix,
            live: options.live,
            signal: interrupt.signal,
            onCaughtUp: (position) => {
              if (options.live)
                context.stderr.write(`hume: caught up at ${position ?? 'the start'}; waiting for new events (Ctrl-C stops)\n`);
            },
          });
          for await (const event of feed) {
            await write(context.stdout, options.json ? `${JSON.stringify(event)}\n` : line(event, c));
            last = event.position;
          }
          if (interrupt.signal.aborted && last !== undefined)
            context.stderr.write(`hume: stopped after ${last} (continue with --after ${last})\n`);
        } finally {
          interrupt.dispose();
        }
      } finally {
        await opened.close?.();
      }
    });
}

function line(event: FeedEvent<Json>, c: ReturnType<typeof colorsFor>): string {
  return `${c.dim(event.position)}\t${event.stream}\t${c.cyan(String(event.seq))}\t${JSON.stringify(event.payload)}\n`;
}
