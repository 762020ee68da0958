import { type Command, Option } from 'commander';
import type { CommandContext } from '../command-context.js';
import { type CopyReport, copyStores } from '../copy-stores.js';
import { onInterrupt } from '../interrupt.js';
import { openForReading, openForWriting } from '../open-cli-store.js';
import { formatCount, write } from '../output.js';
import { wholeNumber } from '../parse-number.js';
import { createProgress, type ProgressMode } from '../progress.js';

interface CopyCommandOptions {
  prefix?: string;
  batchSize: number;
  concurrency: number;
  migrate: boolean;
  json?: boolean;
  progress: ProgressMode;
  progressInterval: number;
}

/** `hume copy <from> <to>`: every stream, seqs preserved, resumable. */
export function copyCommand(program: Command, context: CommandContext): void {
  program
    .command('copy')
    .description('copy every stream from one store to another, seqs preserved; rerun to resume, it never duplicates')
    .argument('<from>', 'the store to read (it must list its streams)')
    .argument('<to>', 'the store to write (a SQLite file is created, PostgreSQL migrated, when needed)')
    .option('--prefix <prefix>', 'only streams whose names start with it')
    .option('--batch-size <n>', 'events per appendMany call', wholeNumber(1), 1000)
    .option('--concurrency <n>', 'streams copied at once', wholeNumber(1), 4)
    .option('--no-migrate', 'do not create or migrate PostgreSQL tables in <to>')
    .addOption(new Option('--progress <mode>', 'progress on stderr').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .addOption(
      new Option('--progress-interval <ms>', 'milliseconds between progress lines').argParser(wholeNumber(10)).default(2000).hideHelp(),
    )
    .option('--json', 'print the final report as JSON')
    .addHelpText(
      'after',
      `
Each stream's events already in <to> are compared with <from>'s first; only
the rest is appended, in batches that each expect the stream's last seq. So an
interrupted copy (Ctrl-C, a crash, kill -9) continues where it stopped when run
again, and a <to> that holds other events stops the copy with a CONFLICT.
Ctrl-C stops at the next batch boundary; Ctrl-C twice quits at once.

Examples:
  hume copy sqlite:events.db postgres://app@localhost:5432/shop
  hume copy sqlite:events.db "postgres://localhost/shop?schema=events" --prefix cart- --json
  hume copy postgres://localhost/shop sqlite:backup.db --progress lines`,
    )
    .action(async (from: string, to: string, options: CopyCommandOptions) => {
      const source = await openForReading(from);
      try {
        const target = await openForWriting(to, options.migrate);
        const interrupt = onInterrupt(context.stderr, 'the copy stops after the batches in flight');
        const progress = createProgress('copy', context.stderr, { mode: options.progress, intervalMs: options.progressInterval });
        let report: CopyReport;
        try {
          report = await copyStores(source, target, {
            prefix: options.prefix,
            batchSize: options.batchSize,
            concurrency: options.concurrency,
            signal: interrupt.signal,
            onProgress: ({ done, total }) => progress.update(done, total),
          });
        } finally {
          progress.stop();
          interrupt.dispose();
          await target.close?.();
        }
        if (report.stopped) context.exitCode = 1;
        if (options.json) {
          await write(context.stdout, `${JSON.stringify(report)}\n`);
          return;
        }
        const summary = `${formatCount(report.copied)} events copied, ${formatCount(report.present)} already there, ${formatCount(report.streamsDone)} of ${formatCount(report.streams)} streams complete`;
        if (report.stopped) context.stderr.write(`hume: STOPPED: ${summary} (run the same command again to continue)\n`);
        else await write(context.stdout, `${summary}\n`);
      } finally {
        await source.close?.();
      }
    });
}
