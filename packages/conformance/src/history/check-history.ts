import type { Seq } from '@hume/core';
import type { AppendOperation, FinalStreams, Operation, ReadOperation, Violation } from './history.js';

type OkAppend = AppendOperation & { result: { ok: true; seq: Seq } };

/**
 * Checks a recorded history against the contract: what was acknowledged is
 * stored once at its seq, streams are gap-free, conflicts report a last seq
 * that was real during the call, appends keep real-time order, reads are
 * gap-free runs that agree with the final stream and see every append
 * acknowledged before they began. Returns every violation found.
 */
export function checkHistory(operations: readonly Operation[], final: FinalStreams): Violation[] {
  const violations: Violation[] = [];
  const flag = (clause: string, message: string, ...witness: (Operation | undefined)[]): void => {
    violations.push({ clause, message, witness: witness.filter((op): op is Operation => op !== undefined) });
  };
  const byId = new Map(operations.map((op) => [op.id, op]));

  for (const op of operations) if (op.error !== undefined) flag('C8.1', `an operation rejected: ${op.error}`, op);

  for (const [stream, events] of final) {
    const appends = operations.filter((op): op is AppendOperation => op.kind === 'append' && op.stream === stream);
    const acknowledged = appends.filter((op): op is OkAppend => op.result?.ok === true);
    checkFinalStream(stream, events, acknowledged, byId, flag);
    checkConflicts(appends, acknowledged, flag);
    checkRealTimeOrder(acknowledged, flag);
    const reads = operations.filter((op): op is ReadOperation => op.kind === 'read' && op.stream === stream && op.events !== undefined);
    for (const read of reads) checkRead(read, events, acknowledged, byId, flag);
  }
  return violations;
}

type Flag = (clause: string, message: string, ...witness: (Operation | undefined)[]) => void;

function checkFinalStream(
  stream: string,
  events: readonly [Seq, number | undefined][],
  acknowledged: readonly OkAppend[],
  byId: ReadonlyMap<number, Operation>,
  flag: Flag,
): void {
  const seen = new Map<number, Seq>();
  for (const [index, [seq, id]] of events.entries()) {
    const writer = id === undefined ? undefined : byId.get(id);
    if (seq !== index + 1)
      flag('C1.1', `the final read of ${stream} has seq ${seq} at position ${index + 1}: a gap or a duplicate`, writer);
    if (writer === undefined) {
      flag('C1.1', `seq ${seq} of ${stream} holds a payload no operation of the history wrote (op ${id})`);
      continue;
    }
    if (writer.kind !== 'append' || writer.stream !== stream) {
      flag('C1.2', `seq ${seq} of ${stream} holds the payload of an append to ${writer.stream}`, writer);
      continue;
    }
    if (id !== undefined && seen.has(id))
      flag('C1.3', `one append is stored twice in ${stream}, at seqs ${seen.get(id)} and ${seq}`, writer);
    if (id !== undefined) seen.set(id, seq);
    if (writer.result?.ok === false) flag('C3.1', `a failed append (${writer.result.code}) is stored in ${stream} at seq ${seq}`, writer);
    else if (writer.result?.ok && writer.result.seq !== seq)
      flag('C1.1', `an append acknowledged as seq ${writer.result.seq} is stored at seq ${seq}`, writer);
  }
  for (const op of acknowledged) {
    const stored = events[op.result.seq - 1];
    if (stored?.[1] !== op.id) {
      flag(
        'C1.1',
        `an acknowledged append is not at its seq ${op.result.seq} (lost or overwritten)`,
        op,
        stored?.[1] === undefined ? undefined : byId.get(stored[1]),
      );
    }
    if (op.expect !== null && op.result.seq !== op.expect + 1)
      flag('C2.2', `an append with expect ${op.expect} was stored at seq ${op.result.seq}`, op);
  }
}

/** The stream's last seq lies in [lowest(t), highest(t)] at time t: what had surely landed, and what could have. */
function lastSeqBounds(acknowledged: readonly OkAppend[]) {
  return {
    lowest: (t: number): Seq => Math.max(0, ...acknowledged.filter((op) => op.completedAt < t).map((op) => op.result.seq)),
    highest: (t: number): Seq => Math.max(0, ...acknowledged.filter((op) => op.invokedAt < t).map((op) => op.result.seq)),
  };
}

function checkConflicts(appends: readonly AppendOperation[], acknowledged: readonly OkAppend[], flag: Flag): void {
  const { lowest, highest } = lastSeqBounds(acknowledged);
  const atSeq = (seq: unknown) => acknowledged.find((op) => op.result.seq === seq);
  for (const op of appends) {
    if (op.result === undefined || op.result.ok) continue;
    const { code, expected, actual } = op.result;
    if (code !== 'UNEXPECTED_SEQ') {
      flag('C2.4', `an append failed with code ${code}`, op);
      continue;
    }
    if (expected !== op.expect) flag('C2.4', `a conflict reports expected ${String(expected)} for an append with expect ${op.expect}`, op);
    if (typeof actual !== 'number' || actual === op.expect) {
      flag('C2.4', `a conflict reports actual ${String(actual)} for expect ${op.expect}: no conflict at all`, op);
      continue;
    }
    const [low, high] = [lowest(op.invokedAt), highest(op.completedAt)];
    if (actual < low || actual > high) {
      flag(
        'C2.4',
        `a conflict reports actual ${actual}, but the last seq during the call was between ${low} and ${high}`,
        op,
        atSeq(low),
        atSeq(actual),
      );
    }
  }
}

function checkRealTimeOrder(acknowledged: readonly OkAppend[], flag: Flag): void {
  for (const first of acknowledged) {
    for (const second of acknowledged) {
      if (first.completedAt < second.invokedAt && first.result.seq > second.result.seq) {
        flag(
          'C1.5',
          `an append that began after another was acknowledged got the smaller seq (${second.result.seq} < ${first.result.seq})`,
          first,
          second,
        );
      }
    }
  }
}

function checkRead(
  read: ReadOperation,
  final: readonly [Seq, number | undefined][],
  acknowledged: readonly OkAppend[],
  byId: ReadonlyMap<number, Operation>,
  flag: Flag,
): void {
  const events = read.events ?? [];
  const broken = events.findIndex(([seq], index) => seq !== read.from + 1 + index);
  if (broken >= 0)
    flag('C4.4', `a read from ${read.from} yielded seq ${events[broken]?.[0]} at position ${broken + 1}: not a gap-free run`, read);
  const differs = events.find(([seq, id]) => final[seq - 1]?.[1] !== id);
  if (differs) {
    const [seq, id] = differs;
    flag(
      'C4.4',
      `a read saw op ${id} at seq ${seq}, where the stream holds op ${final[seq - 1]?.[1]}`,
      read,
      id === undefined ? undefined : byId.get(id),
    );
  }
  const mustSee = acknowledged.filter((op) => op.completedAt < read.invokedAt && op.result.seq > read.from);
  const latest = mustSee.reduce<OkAppend | undefined>(
    (best, op) => (best === undefined || op.result.seq > best.result.seq ? op : best),
    undefined,
  );
  const reached = events.at(-1)?.[0] ?? read.from;
  if (latest && reached < latest.result.seq) {
    flag('C4.6', `a read that began after seq ${latest.result.seq} was acknowledged stopped at seq ${reached}`, latest, read);
  }
}
