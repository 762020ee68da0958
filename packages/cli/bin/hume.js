#!/usr/bin/env node
// The command's entry is a committed file, not one in dist/: pnpm links the
// bins of workspace packages at install, before anything is built, and warns
// for every link whose target does not exist yet.
import { main } from '../dist/main.js';

// exitCode, not exit(): stdout may still hold output for a pipe.
process.exitCode = await main(process.argv.slice(2));
