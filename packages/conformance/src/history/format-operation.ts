import type { Operation } from './history.js';

/** One line per operation: who did what, when (ms from `origin`), and what came back. */
export function formatOperation(op: Operation, origin: number): string {
  const span = `${(op.invokedAt - origin).toFixed(2)}→${(op.completedAt - origin).toFixed(2)} ms`;
  const call =
    op.kind === 'append' ? `append(${op.stream}, { op: ${op.id} }, expect ${op.expect ?? 'none'})` : `events(${op.stream}, ${op.from})`;
  let outcome: string;
  if (op.error !== undefined) outcome = `rejected: ${op.error}`;
  else if (op.kind === 'read') {
    const seqs = (op.events ?? []).map(([seq]) => seq);
    outcome = seqs.length === 0 ? 'nothing' : `seqs ${seqs[0]}…${seqs.at(-1)} (${seqs.length})`;
  } else if (op.result?.ok) outcome = `ok, seq ${op.result.seq}`;
  else outcome = `${op.result?.code}, actual ${String(op.result?.actual)}`;
  return `#${op.id} ${op.client} ${call} [${span}] → ${outcome}`;
}
