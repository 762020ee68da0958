#!/usr/bin/env node
// The command's entry is a committed file, not dist/cli.js: pnpm links the
// bins of workspace packages at install, before anything is built, and warns
// for every link whose target does not exist yet.
import '../dist/cli.js';
