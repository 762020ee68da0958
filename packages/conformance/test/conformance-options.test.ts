import { type ConformanceOptions, runConformance } from '@hume/conformance';
import { describe, expect, it } from 'vitest';

describe('conformance options', () => {
  it('refuse an unknown option with a TypeError naming it, before any case runs', async () => {
    let created = 0;
    const target = () => {
      created++;
      return { append: async () => ({ ok: true, seq: 1 }) as const, events: async function* () {} };
    };
    const options = { grep: '^C1\\.1-', timeoutMS: 1_000 } as ConformanceOptions;
    await expect(runConformance(target, options)).rejects.toThrow(
      new TypeError(
        'options.timeoutMS is not an option (did you mean timeoutMs? the options are: name, grep, timeoutMs, longStream, seed, fuzzRuns, reportFile)',
      ),
    );
    expect(created).toBe(0);
  });
});
