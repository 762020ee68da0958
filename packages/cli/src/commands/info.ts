import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { openForReading } from '../open-cli-store.js';
import { colorsFor, formatCount, write } from '../output.js';
import { storeInfo } from '../store-info.js';

/** `hume info <url>`: backend, schema version, streams, events, size. */
export function infoCommand(program: Command, context: CommandContext): void {
  program
    .command('info')
    .description('show the backend, schema version, number of streams and events, and size on disk')
    .argument('<url>', 'the store: sqlite:path.db, postgres://…, memory:')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  hume info sqlite:events.db
  hume info "postgres://app@localhost:5432/shop?schema=events" --json`,
    )
    .action(async (url: string, options: { json?: boolean }) => {
      const store = await openForReading(url);
      try {
        const info = await storeInfo(url, store);
        if (options.json) {
          await write(context.stdout, `${JSON.stringify(info)}\n`);
          return;
        }
        const c = colorsFor(context.stdout, context.env);
        const show = (value: number | undefined, text = (n: number) => formatCount(n)): string =>
          value === undefined ? c.dim('unknown') : text(value);
        const rows: [string, string][] = [
          ['backend', info.backend],
          ['location', info.location],
          ['schema', show(info.schemaVersion, (n) => `version ${n}`)],
          ['streams', show(info.streams)],
          ['events', show(info.events)],
          ['size', show(info.bytes, formatBytes)],
        ];
        await write(context.stdout, rows.map(([name, value]) => `${c.bold(name.padEnd(9))}${value}\n`).join(''));
      } finally {
        await store.close?.();
      }
    });
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}${unit === 0 ? '' : ` (${formatCount(bytes)} bytes)`}`;
}
