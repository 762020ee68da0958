import type { Seq } from '@hume/core';

/** Stores `payloads` (JSON texts) as the stream's next events, in order, in one statement; resolves to their seqs. */
export type AppendMany = (stream: string, payloads: readonly string[]) => Promise<readonly Seq[]>;

interface Waiting {
  readonly json: string;
  readonly resolve: (seq: Seq) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many appends share a statement… */
const MAX_BATCH = 128;
/** …and at most about this much JSON text, so that a batch of large payloads stays one modest message. */
const MAX_BATCH_CHARS = 1 << 20;

/**
 * Lets appends without `expect` that are in flight at once on one stream
 * share a statement: while one statement for the stream is on its way, the
 * appends that arrive queue up, and go together in the next one. A lone
 * append goes alone, at once. Appends queued together succeed or fail
 * together, in their order of arrival; a failure of the statement stores
 * none of them.
 *
 * Without it, concurrent appends to one stream each take a pooled
 * connection and wait in turn for the counter row's lock, one commit after
 * another; with it they cost one round trip and one commit per batch.
 *
 * @example
 * ```ts
 * const batcher = new AppendBatcher((stream, payloads) => insertMany(stream, payloads));
 * const [a, b] = await Promise.all([batcher.append('s', '{}'), batcher.append('s', '[]')]); // one statement
 * ```
 */
export class AppendBatcher {
  readonly #appendMany: AppendMany;
  readonly #queues = new Map<string, Waiting[]>();

  constructor(appendMany: AppendMany) {
    this.#appendMany = appendMany;
  }

  /** Appends one JSON text; resolves to its seq. */
  append(stream: string, json: string): Promise<Seq> {
    return new Promise((resolve, reject) => {
      const queue = this.#queues.get(stream);
      if (queue) {
        queue.push({ json, resolve, reject });
        return;
      }
      const fresh: Waiting[] = [{ json, resolve, reject }];
      this.#queues.set(stream, fresh);
      void this.#drain(stream, fresh);
    });
  }

  async #drain(stream: string, queue: Waiting[]): Promise<void> {
    while (queue.length > 0) {
      const batch = takeBatch(queue);
      try {
        const seqs = await this.#appendMany(
          stream,
          batch.map((item) => item.json),
        );
        for (const [index, item] of batch.entries()) item.resolve(seqs[index] as Seq);
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.#queues.delete(stream);
  }
}

function takeBatch(queue: Waiting[]): Waiting[] {
  let count = 0;
  let chars = 0;
  while (count < queue.length && count < MAX_BATCH) {
    chars += (queue[count] as Waiting).json.length;
    if (count > 0 && chars > MAX_BATCH_CHARS) break;
    count++;
  }
  return queue.splice(0, count);
}
