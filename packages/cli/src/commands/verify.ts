import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { onInterrupt } from '../interrupt.js';
import { openForReading } from '../open-cli-store.js';
import { colorsFor, formatCount, write } from '../output.js';
import { wholeNumber } from '../parse-number.js';
import type { StreamSummary } from '../stream-digest.js';
import { verifyStores } from '../verify-stores.js';

/** `hume verify <a> <b>`: the same streams with the same events, or exit 1. */
export function verifyCommand(program: Command, context: CommandContext): void {
  program
    .command('verify')
    .description('check that two stores hold the same streams with the same events (count and SHA-256 per stream); exit 1 if not')
    .argument('<a>', 'one store')
    .argument('<b>', 'the other store')
    .option('--prefix <prefix>', 'only streams whose names start with it')
    .option('--max-differences <n>', 'stop after n differing streams', wholeNumber(1), 100)
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Payloads are compared as JSON with keys sorted, so a copy that reorders keys is
still equal. Exit code 0: equal; 1: different (each difference is listed).

Examples:
  hume verify sqlite:events.db postgres://localhost/shop
  hume verify sqlite:events.db sqlite:backup.db --prefix cart- --json`,
    )
    .action(async (a: string, b: string, options: { prefix?: string; maxDifferences: number; json?: boolean }) => {
      const left = await openForReading(a);
      try {
        const right = await openForReading(b);
        const interrupt = onInterrupt(context.stderr, 'verify stops after the stream it is comparing');
        try {
          const report = await verifyStores(left, right, {
            prefix: options.prefix,
            maxDifferences: options.maxDifferences,
            signal: interrupt.signal,
          });
          if (!report.equal) context.exitCode = 1;
          if (options.json) {
            await write(context.stdout, `${JSON.stringify(report)}\n`);
            return;
          }
          const c = colorsFor(context.stdout, context.env);
          const side = (summary: StreamSummary | undefined): string =>
            summary === undefined ? 'missing' : `${formatCount(summary.events)} events, sha256 ${summary.sha256.slice(0, 16)}…`;
          for (const { stream, a: sa, b: sb } of report.differences) {
            await write(context.stdout, `${c.red('differs')} ${JSON.stringify(stream)}: a ${side(sa)}; b ${side(sb)}\n`);
          }
          const what = `${formatCount(report.streams)} streams, ${formatCount(report.events)} events compared`;
          if (interrupt.signal.aborted) context.stderr.write(`hume: STOPPED: ${what} before Ctrl-C\n`);
          else if (report.equal) await write(context.stdout, `${c.green('equal')}: ${what}\n`);
          else await write(context.stdout, `${c.red('different')}: ${formatCount(report.differences.length)} streams differ; ${what}\n`);
        } finally {
          interrupt.dispose();
          await right.close?.();
        }
      } finally {
        await left.close?.();
      }
    });
}
