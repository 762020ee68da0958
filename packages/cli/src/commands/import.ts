import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { importEvents } from '../import-events.js';
import { onInterrupt } from '../interrupt.js';
import { openForWriting } from '../open-cli-store.js';
import { formatCount, write } from '../output.js';
import { wholeNumber } from '../parse-number.js';

/** `hume import <url> < file`: the lines of an export, appended with seqs preserved. */
export function importCommand(program: Command, context: CommandContext): void {
  program
    .command('import')
    .description('append the events of an export (JSON lines on stdin), seqs preserved; rerun to resume, it never duplicates')
    .argument('<url>', 'the store to write (a SQLite file is created, PostgreSQL migrated, when needed)')
    .option('--batch-size <n>', 'events per appendMany call', wholeNumber(1), 1000)
    .option('--no-migrate', 'do not create or migrate PostgreSQL tables')
    .option('--json', 'print the final report as JSON')
    .addHelpText(
      'after',
      `
Each stream's lines must come together, from seq 1, in order (as hume export
writes them). Events the store already holds must equal the file's; the rest
are appended. Ctrl-C stops at the next batch boundary.

Examples:
  hume import sqlite:copy.db < events.ndjson
  gunzip -c carts.ndjson.gz | hume import postgres://localhost/shop`,
    )
    .action(async (url: string, options: { batchSize: number; migrate: boolean; json?: boolean }) => {
      const store = await openForWriting(url, options.migrate);
      const interrupt = onInterrupt(context.stderr, 'the import stops after the batch in flight');
      try {
        const lines = createInterface({ input: context.stdin, crlfDelay: Number.POSITIVE_INFINITY });
        const report = await importEvents(store, lines, { batchSize: options.batchSize, signal: interrupt.signal });
        if (report.stopped) context.exitCode = 1;
        if (options.json) await write(context.stdout, `${JSON.stringify(report)}\n`);
        else {
          const summary = `${formatCount(report.copied)} events imported, ${formatCount(report.present)} already there, in ${formatCount(report.streams)} streams`;
          if (report.stopped) context.stderr.write(`hume: STOPPED: ${summary} (run the same command again to continue)\n`);
          else await write(context.stdout, `${summary}\n`);
        }
      } finally {
        interrupt.dispose();
        await store.close?.();
      }
    });
}
