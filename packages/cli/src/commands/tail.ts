import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/**
 * `hume tail <url>`: the live global feed. Listed so that scripts and help
 * show where it will be, but no adapter has the feed capability of contract
 * 1.1 yet, so it fails with code UNSUPPORTED (exit 1) before opening anything.
 */
export function tailCommand(program: Command): void {
  program
    .command('tail')
    .description('follow the global feed of new events, one line per event (not available in this release)')
    .argument('<url>', 'the store')
    .option('--prefix <prefix>', 'only streams whose names start with it')
    .option('--after <position>', 'start after this feed position')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      `
This needs a store with a global feed (the feed capability of contract 1.1),
which no adapter of this release has: the command exits 1 with UNSUPPORTED.`,
    )
    .action(() => {
      throw new CliError(
        'UNSUPPORTED',
        'tail needs a store with a global feed (contract 1.1 feed capability), not available in this release',
        'use hume read <url> <stream> for one stream meanwhile',
      );
    });
}
