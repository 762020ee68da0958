#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { formatReport } from './conformance-report.js';
import { loadTarget } from './load-target.js';
import { runConformance } from './run-conformance.js';

const usage = `Usage: hume-conformance <module> [--json] [--grep <pattern>] [--timeout <ms>] [--long-stream <n>] [--name <name>]

Runs the Hume conformance kit against the event store that <module> exports
by default: a function that returns a store, or { create, dispose?, fault? }.
Exits 1 when a MUST case fails, 2 on a usage error.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      grep: { type: 'string' },
      timeout: { type: 'string' },
      'long-stream': { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [specifier] = positionals;
  if (specifier === undefined || positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const numberOption = (value: string | undefined, flag: string): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed <= 0)
      throw new UsageError(`--${flag} must be a positive integer (got ${JSON.stringify(value)})`);
    return parsed;
  };
  const timeoutMs = numberOption(values.timeout, 'timeout');
  const longStream = numberOption(values['long-stream'], 'long-stream');
  const target = await loadTarget(specifier);
  const report = await runConformance(target, {
    name: values.name ?? specifier,
    ...(values.grep === undefined ? {} : { grep: values.grep }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(longStream === undefined ? {} : { longStream }),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

class UsageError extends Error {}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${usage}` : error);
    process.exitCode = 2;
  },
);
