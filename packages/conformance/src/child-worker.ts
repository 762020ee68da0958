// The program the cross-process cases start: it opens a store on shared
// data and runs one task, reporting on stdout, one JSON line per fact.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Operation } from './history/history.js';
import { type ClientPlan, runClient } from './history/run-client.js';
import { type RaceOutcome, type RacerPlan, runRacer } from './race/run-racer.js';
import type { AnyEventStore, SharedStore } from './target.js';

/** What the parent asks a child to do. */
export type ChildTask =
  | { readonly kind: 'history'; readonly plans: readonly ClientPlan[] }
  | { readonly kind: 'append-until-killed'; readonly stream: string; readonly client: string }
  | { readonly kind: 'race'; readonly plans: readonly RacerPlan[] }
  | { readonly kind: 'append'; readonly stream: string; readonly payloads: readonly unknown[] };

/** What a child reports, one per line. */
export type ChildMessage =
  | { readonly ready: true }
  | { readonly op: Operation }
  | { readonly ack: number; readonly n: number }
  | { readonly race: RaceOutcome }
  | { readonly done: true };

// Written with writeSync: a line the parent has read is a fact, even if the child is killed right after.
const say = (message: ChildMessage): void => {
  writeSync(1, `${JSON.stringify(message)}\n`);
};

/** Resolves when the parent says `go` on stdin (all racers begin together); rejects if stdin ends without it. */
function go(): Promise<void> {
  return new Promise((resolve, reject) => {
    let heard = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      heard += chunk;
      if (heard.includes('go\n')) resolve();
    });
    process.stdin.on('end', () => reject(new Error('stdin ended before the parent said go')));
  });
}

async function open(shared: SharedStore): Promise<AnyEventStore> {
  const url = shared.module.startsWith('file:') ? shared.module : pathToFileURL(shared.module).href;
  const { default: openStore } = (await import(url)) as { default: (options: unknown) => AnyEventStore | Promise<AnyEventStore> };
  return openStore(shared.options);
}

const { shared, task } = JSON.parse(process.argv[2] ?? '{}') as { shared: SharedStore; task: ChildTask };
const store = await open(shared);
say({ ready: true });
if (task.kind === 'history') {
  await Promise.all(task.plans.map((plan) => runClient(store, plan, (op) => say({ op }))));
  await store.close?.();
  say({ done: true });
} else if (task.kind === 'race') {
  await go();
  await Promise.all(task.plans.map((plan) => runRacer(store, plan, (race) => say({ race }))));
  await store.close?.();
  say({ done: true });
} else if (task.kind === 'append') {
  for (const [n, payload] of task.payloads.entries()) {
    const result = await store.append(task.stream, payload as never);
    if (!result.ok) throw result.error;
    say({ ack: result.seq, n });
  }
  await store.close?.();
  say({ done: true });
} else {
  for (let n = 0; ; n++) {
    const result = await store.append(task.stream, { op: n, client: task.client } as never);
    if (!result.ok) throw result.error;
    say({ ack: result.seq, n });
  }
}
