import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citusScriptPlaces, citusScripts } from '../scripts/citus-cluster.mjs';

describe('finding the shared Citus scripts for pnpm test:citus', () => {
  it('looks in $HUME_CITUS_SCRIPTS first, then beside the repository, then /work/shared/citus', () => {
    const before = process.env.HUME_CITUS_SCRIPTS;
    process.env.HUME_CITUS_SCRIPTS = '/somewhere/citus';
    try {
      const places = citusScriptPlaces();
      expect(places[0]).toBe('/somewhere/citus');
      expect(places[1]).toMatch(/\/shared\/citus$/);
      expect(places.at(-1)).toBe('/work/shared/citus');
    } finally {
      if (before === undefined) delete process.env.HUME_CITUS_SCRIPTS;
      else process.env.HUME_CITUS_SCRIPTS = before;
    }
  });

  it('takes the first place holding both install.sh and cluster.sh', () => {
    const half = mkdtempSync(join(tmpdir(), 'hume-citus-half-'));
    const whole = mkdtempSync(join(tmpdir(), 'hume-citus-whole-'));
    try {
      writeFileSync(join(half, 'cluster.sh'), '');
      for (const file of ['cluster.sh', 'install.sh']) writeFileSync(join(whole, file), '');
      expect(citusScripts([half, whole])).toBe(whole);
    } finally {
      rmSync(half, { recursive: true, force: true });
      rmSync(whole, { recursive: true, force: true });
    }
  });

  it('fails loudly, naming every place tried, when none has the scripts: never a skip', () => {
    expect(() => citusScripts(['/nowhere/a', '/nowhere/b'])).toThrow(
      'no Citus scripts (install.sh and cluster.sh) in any of: /nowhere/a, /nowhere/b; set HUME_CITUS_SCRIPTS to their folder',
    );
  });
});
