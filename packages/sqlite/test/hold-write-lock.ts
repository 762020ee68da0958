import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const holder = fileURLToPath(new URL('./fixtures/hold-write-lock.mjs', import.meta.url));

/** The kit's holdWriteLock hook for a store on `file`: resolves once another process holds the write lock, which it releases `ms` later. */
export function holdWriteLock(file: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, [holder, file, String(ms)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('held')) resolve();
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock: ${errors.trim()}`)));
  });
}
