import { Presets, SingleBar } from 'cli-progress';
import { formatCount } from './output.js';

/** How progress is shown: a bar (terminals), a line every few seconds (logs, pipes), or not at all. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Reports how far a long command is, on stderr. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Lines mode: milliseconds between lines. Default 2000. */
  readonly intervalMs?: number;
  /** What is counted, plural. Default 'events'. */
  readonly unit?: string;
}

/**
 * A progress display on `stream` (stderr): with mode `auto`, a bar with
 * events per second and an estimate of the time left when `stream` is a
 * terminal, else a plain line every `intervalMs`. The rate is taken over
 * the last five seconds, so it follows the copy's current speed.
 *
 * @example
 * ```ts
 * const progress = createProgress('copy', process.stderr, { mode: 'auto' });
 * progress.update(500, 1000);
 * progress.stop();
 * ```
 */
export function createProgress(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean }, options: ProgressOptions): Progress {
  const { intervalMs = 2000, unit = 'events' } = options;
  const mode = options.mode === 'auto' ? (stream.isTTY === true ? 'bar' : 'lines') : options.mode;
  const rate = new RateWindow(5_000);
  let done = 0;
  let total = 0;
  if (mode === 'none') return { update() {}, stop() {} };
  if (mode === 'bar') {
    const bar = new SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`,
        formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? formatCount(value) : String(value)),
        barsize: 30,
        hideCursor: true,
        etaBuffer: 200,
        fps: 10,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(value, all) {
        const speed = formatCount(Math.round(rate.add(value)));
        if (!started) {
          bar.start(all, value, { speed });
          started = true;
        }
        bar.setTotal(all);
        bar.update(value, { speed });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  const print = (): void => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    const speed = rate.rate();
    const left = speed > 0 && total > done ? ` about ${formatSeconds((total - done) / speed)} left,` : '';
    stream.write(
      `${label}: ${formatCount(done)} of ${formatCount(total)} ${unit} (${percent}%),${left} ${formatCount(Math.round(speed))} ${unit}/s\n`,
    );
  };
  const timer = setInterval(print, intervalMs);
  timer.unref();
  return {
    update(value, all) {
      done = value;
      total = all;
      rate.add(value);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Events per second over a sliding window of samples. */
class RateWindow {
  readonly #windowMs: number;
  readonly #samples: [time: number, value: number][] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  add(value: number): number {
    const now = performance.now();
    this.#samples.push([now, value]);
    while (this.#samples.length > 2 && now - (this.#samples[0]?.[0] ?? now) > this.#windowMs) this.#samples.shift();
    return this.rate();
  }

  rate(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last[0] - first[0] < 1) return 0;
    return ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
