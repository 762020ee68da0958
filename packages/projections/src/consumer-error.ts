/** The event a consumer stopped at. */
export interface FailedEvent {
  readonly position: string;
  readonly stream: string;
  readonly seq: number;
}

/**
 * A consumer stopped because its handler (or the checkpoint after it) kept
 * failing on one event: `event` names it, `attempts` says how often it was
 * tried, `cause` is the last error. Nothing after the event was applied,
 * and the checkpoint is before it, so a restart tries it again.
 *
 * @example
 * ```ts
 * consumer.done.catch((error) => { if (error.code === 'CONSUMER_FAILED') alert(error.event) });
 * ```
 */
export class ConsumerError extends Error {
  readonly code = 'CONSUMER_FAILED';
  readonly consumer: string;
  readonly event: FailedEvent;
  readonly attempts: number;

  constructor(consumer: string, event: FailedEvent, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `consumer ${JSON.stringify(consumer)} stopped at ${JSON.stringify(event.stream)} seq ${event.seq} (position ${event.position}) after ${attempts} attempts: ${reason}`,
      { cause },
    );
    this.name = 'ConsumerError';
    this.consumer = consumer;
    this.event = event;
    this.attempts = attempts;
  }
}
