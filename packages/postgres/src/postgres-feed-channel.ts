// kit scope: outside the contract — the live feeds' wake-up across sessions (LISTEN/NOTIFY), latency only: a live feed that hears nothing looks again on its own timer (every 5 s, 250 ms while this connection is down), the contract does not time delivery, and the benchmark's live-delivery rows measure it; this connection's own end at close() is checked by the adapter's tests
import pg from 'pg';

/** What a {@link FeedChannel} tells its store. */
export interface FeedChannelEvents {
  /** Another session announced commits on the channel. */
  heard(): void;
  /** The connection was lost: notifications may have been missed. */
  lost(): void;
}

/** Whether the channel listens: just now (notifications before it were not heard), already, or not at all (down). */
export type ListenState = 'started' | 'listening' | 'down';

/** How long `close()` waits for a NOTIFY in flight and for the connection to end before it cuts the socket. */
const CLOSE_WAIT_MS = 2_000;

/**
 * At most one NOTIFY per this many milliseconds: the first commit after a
 * quiet spell is announced at once, the commits within the interval after
 * it by one NOTIFY at its end. Each NOTIFY is a transaction on the server
 * (it takes an xid and writes a commit record), paid beside the appends:
 * one per append cost a lone writer about a third of its appends with fsync
 * off; one per 2 ms still cost it about a quarter on a loaded 2-vCPU machine
 * (0.75 of the same appends without NOTIFY, against 1.01). Other processes'
 * live feeds wait at most this much longer (this store's own are woken
 * without it), well inside the 5 ms median the benchmark's target allows.
 */
export const NOTIFY_INTERVAL_MS = 5;

/**
 * A store's one connection for the feed's notifications, opened on first
 * use: it LISTENs on the store's channel while live feeds of the store
 * wait, and sends one NOTIFY after the store's appends commit. NOTIFY is
 * never sent inside an append's transaction, where it would take the
 * server's notification lock at commit and serialise every committing
 * transaction; it is coalesced: one in flight at a time and at most one
 * per {@link NOTIFY_INTERVAL_MS}, the commits made meanwhile covered by
 * the next. It goes on its own connection,
 * not the pool's, so appends never wait for a pooled connection behind it.
 *
 * The socket keeps the process alive only while a feed waits on it: a
 * process whose work is a live feed stays up, one that forgot to close
 * its store can still exit.
 *
 * @example
 * ```ts
 * const channel = new FeedChannel(pool.options, 'hume_feed_1a2b3c4d', { heard: wake, lost: wake });
 * channel.notify();
 * await channel.close();
 * ```
 */
export class FeedChannel {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  readonly #events: FeedChannelEvents;
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client | undefined> | undefined;
  #listening = false;
  #notifying: Promise<void> | undefined;
  /** Commits made since the last NOTIFY was sent. */
  #unannounced = false;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #nextNotify: NodeJS.Timeout | undefined;
  #holders = 0;
  #closed = false;
  /** The connection's queries, one after the other (pg warns about a query sent while one runs). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(config: pg.ClientConfig, channel: string, events: FeedChannelEvents) {
    this.#config = config;
    this.#channel = channel;
    this.#events = events;
  }

  /** Sends one NOTIFY after the commits so far (coalesced); failures cost other sessions' feeds latency, never an event. */
  notify(): void {
    if (this.#closed) return;
    this.#unannounced = true;
    this.#schedule();
  }

  /** Makes sure the connection listens; see {@link ListenState}. */
  async listen(): Promise<ListenState> {
    const client = await this.#connect();
    if (client === undefined) return 'down';
    if (this.#listening) return 'listening';
    try {
      await this.#run(client, `LISTEN ${this.#channel}`);
    } catch {
      this.#drop(client);
      return 'down';
    }
    if (this.#client !== client) return 'down';
    this.#listening = true;
    return 'started';
  }

  /** A feed waits on the channel: keep the process alive meanwhile. Pair with {@link release}. */
  hold(): void {
    this.#holders++;
    this.#reference();
  }

  release(): void {
    this.#holders--;
    this.#reference();
  }

  /** Announces commits not announced yet, waits (a bounded time) for the NOTIFY in flight, then ends the connection. */
  async close(): Promise<void> {
    // A NOTIFY in flight may leave commits after it unannounced: send one more rather than wait out the interval.
    if (this.#notifying) await bounded(this.#notifying);
    clearTimeout(this.#nextNotify);
    this.#nextNotify = undefined;
    if (this.#unannounced && !this.#notifying && !this.#closed) this.#send();
    this.#closed = true;
    if (this.#notifying) await bounded(this.#notifying);
    const client = this.#client ?? (this.#connecting ? await bounded(this.#connecting) : undefined);
    this.#client = undefined;
    this.#listening = false;
    if (client) await endClient(client);
  }

  /** Sends a NOTIFY for the unannounced commits now, or once the interval since the last one has passed. */
  #schedule(): void {
    if (!this.#unannounced || this.#notifying || this.#nextNotify !== undefined || this.#closed) return;
    const wait = this.#lastSentAt + NOTIFY_INTERVAL_MS - performance.now();
    if (wait > 0) {
      // Not a reason to keep the process alive: a NOTIFY that never goes costs other feeds latency only.
      this.#nextNotify = setTimeout(() => {
        this.#nextNotify = undefined;
        this.#schedule();
      }, wait).unref();
      return;
    }
    this.#send();
  }

  #send(): void {
    this.#unannounced = false;
    this.#lastSentAt = performance.now();
    this.#notifying = this.#sendNotify().finally(() => {
      this.#notifying = undefined;
      this.#schedule();
    });
  }

  async #sendNotify(): Promise<void> {
    const client = await this.#connect();
    if (client === undefined) return;
    try {
      // A NOTIFY is a transaction, and at synchronous_commit=on its commit waits for a flush of the
      // WAL: one more flush beside the appends every NOTIFY_INTERVAL_MS. Nothing needs a NOTIFY to
      // be durable (it is delivered at commit; its record goes to disk with the next flush), so it
      // does not wait. SET LOCAL, so that the setting never outlives this transaction on a
      // connection a pooling proxy may hand to someone else. One round trip, as before. Scratch runs
      // of 100-event batches on one connection, store / raw INSERT: 0.82-0.87 notifying with the
      // wait, 0.89-0.96 not notifying at all, 0.85-0.95 without the wait (noisy).
      await this.#run(client, `BEGIN; SET LOCAL synchronous_commit TO off; NOTIFY ${this.#channel}; COMMIT`);
    } catch {
      this.#drop(client);
    }
  }

  #run(client: pg.Client, text: string): Promise<unknown> {
    const run = this.#queue.then(() => client.query(text));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #connect(): Promise<pg.Client | undefined> {
    if (this.#client) return Promise.resolve(this.#client);
    if (this.#closed) return Promise.resolve(undefined);
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<pg.Client | undefined> {
    const client = new pg.Client(this.#config);
    client.on('error', () => this.#drop(client));
    client.on('end', () => this.#drop(client));
    client.on('notification', (message) => {
      // Our own NOTIFY comes back to us: this store's feeds were woken when its appends committed.
      if (message.processId !== (client as unknown as { processID?: number }).processID) this.#events.heard();
    });
    try {
      await client.connect();
    } catch {
      client.end().catch(() => undefined);
      return undefined;
    }
    if (this.#closed) {
      await endClient(client);
      return undefined;
    }
    this.#client = client;
    this.#listening = false;
    this.#reference();
    return client;
  }

  /** Forgets a connection that failed; the next use opens another. */
  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    client.end().catch(() => undefined);
    this.#events.lost();
  }

  #reference(): void {
    const socket = (this.#client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } } | undefined)
      ?.connection?.stream;
    if (this.#holders > 0) socket?.ref?.();
    else socket?.unref?.();
  }
}

/** Resolves with `promise`'s value, or `undefined` after {@link CLOSE_WAIT_MS}; never rejects. */
async function bounded<T>(promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CLOSE_WAIT_MS);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a connection politely, and cuts its socket when the server does not answer in time (a partition). */
async function endClient(client: pg.Client): Promise<void> {
  const ended = await bounded(client.end().then(() => true));
  if (ended !== true) (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
}
