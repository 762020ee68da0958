// The kit tests itself: each deliberately broken store must be caught by the
// case named here, and the store without quirks must pass everything.
import { runConformance } from '@hume/conformance';
import { describe, expect, it } from 'vitest';
import { type Quirks, QuirkyStore } from './fixtures/quirky-store.js';

const target = (quirks: Quirks) => ({
  create: () => new QuirkyStore(quirks),
  fault: (store: unknown) => (store as QuirkyStore).breakBackend(),
});

const options = { longStream: 600, timeoutMs: 20_000 };

const expectedCatches: [keyof Quirks, string[]][] = [
  ['burnsSeqOnConflict', ['C3.1-a-conflict-consumes-no-seq']],
  ['inclusiveFrom', ['C4.1-from-is-exclusive']],
  [
    'ignoresExpect',
    [
      'C2.3-expect-0-on-a-non-empty-stream-conflicts',
      'C2.4-smaller-expect-conflicts',
      'C2.5-concurrent-appends-with-one-expect-have-one-winner',
    ],
  ],
  ['skipsExpectZero', ['C2.3-expect-0-on-a-non-empty-stream-conflicts']],
  ['aliasesPayload', ['C6.1-changing-the-appended-object-changes-nothing']],
  ['leaksStoredEvents', ['C6.2-changing-a-read-event-changes-nothing']],
  [
    'awaitsBetweenCheckAndWrite',
    ['C1.3-concurrent-appends-without-expect-get-gap-free-seqs', 'C2.5-concurrent-appends-with-one-expect-have-one-winner'],
  ],
  [
    'skipsPayloadCheck',
    ['C5.3-refuses-undefined', 'C5.3-refuses-nan', 'C5.3-refuses-date', 'C5.3-refuses-cycle', 'C5.3-refuses-sparse-array'],
  ],
  ['coercesExpect', ['C7.2-bad-expects-are-refused']],
  ['throwsSynchronouslyFromEvents', ['C7.5-events-never-throws-synchronously']],
  ['dropsEventAtPageBoundary', ['C4.3-long-streams-read-completely-from-any-from']],
  ['throwsConflicts', ['C8.1-conflicts-and-refusals-resolve']],
  ['wrongActual', ['C2.4-smaller-expect-conflicts']],
  ['keepsNegativeZero', ['C5.2-negative-zero-is-stored-as-zero']],
  ['truncatesStreamNames', ['C1.2-streams-are-independent']],
  ['leaksDriverErrors', ['C8.2-backend-failures-reject-with-code-backend']],
];

describe('the kit catches broken stores', () => {
  it('passes the store without quirks on every case', async () => {
    const report = await runConformance(target({}), { ...options, name: 'correct' });
    expect(report.cases.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each(expectedCatches)('catches a store that %s, by %j', { timeout: 120_000 }, async (quirk, ids) => {
    const report = await runConformance(target({ [quirk]: true }), { ...options, name: quirk });
    const failed = report.cases.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
    expect(report.ok).toBe(false);
    for (const entry of failed) {
      expect(entry.message, entry.id).toBeTruthy();
      expect(entry.hint, entry.id).toMatch(/^check|^make|^use|^wrap|^return|^keep/);
    }
  });
});
