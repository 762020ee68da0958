import type { Event, Seq } from '@hume/core';
import { CliError } from './cli-error.js';

/**
 * One line of `hume export`, and of what `hume import` reads:
 * `{"stream":"cart-1","seq":1,"payload":{…}}`, keys in that order, as
 * `JSON.stringify` writes them (U+0000 as `\u0000`, other characters as
 * they are, in UTF-8).
 */
export interface ExportLine {
  readonly stream: string;
  readonly seq: Seq;
  readonly payload: unknown;
}

/**
 * The export line of one event, with its newline.
 *
 * @example
 * ```ts
 * exportLine('cart-1', { seq: 1, payload: { type: 'opened' } }); // '{"stream":"cart-1","seq":1,"payload":{"type":"opened"}}\n'
 * ```
 */
export function exportLine(stream: string, event: Event<unknown>): string {
  return `${JSON.stringify({ stream, seq: event.seq, payload: event.payload })}\n`;
}

/**
 * Parses one line of an export file, checking its shape; `number` is the
 * line's number for the error message. Payloads are checked by the target
 * store when they are appended.
 *
 * @example
 * ```ts
 * parseExportLine('{"stream":"s","seq":1,"payload":null}', 1); // { stream: 's', seq: 1, payload: null }
 * ```
 */
export function parseExportLine(text: string, number: number): ExportLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badLine(number, `is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badLine(number, 'is not a JSON object');
  const { stream, seq, payload } = value as Record<string, unknown>;
  if (typeof stream !== 'string' || stream === '') throw badLine(number, 'has no "stream" string');
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) throw badLine(number, 'has no "seq" that is a positive integer');
  if (!('payload' in value)) throw badLine(number, 'has no "payload"');
  const extra = Object.keys(value).filter((key) => key !== 'stream' && key !== 'seq' && key !== 'payload');
  if (extra.length > 0) throw badLine(number, `has unknown keys ${extra.map((key) => JSON.stringify(key)).join(', ')}`);
  return { stream, seq: seq as Seq, payload };
}

function badLine(number: number, what: string): CliError {
  return new CliError('BAD_INPUT', `line ${number} ${what}`, 'each line must be {"stream":…,"seq":…,"payload":…} as hume export writes it');
}
