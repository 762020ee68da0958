// The vitest binding says why a case is skipped, as the CLI does: in the
// test's name, since vitest's it.skip takes no message.
import { describeEventStore } from '@hume/conformance/vitest';
import { expect, type RunnerTestSuite, test } from 'vitest';

const store = { append: async () => ({ ok: true, seq: 1 }) as const, events: async function* () {} };
describeEventStore('a target without hooks', () => store, { grep: '^C8\\.2-' });

test('cases the target cannot run are skipped with the reason in their name', ({ task }) => {
  const suite = task.file.tasks.find((child) => child.name === 'a target without hooks keeps the Hume contract') as RunnerTestSuite;
  const skipped = suite.tasks.filter((child) => child.mode === 'skip').map((child) => child.name);
  expect(skipped.length).toBeGreaterThan(0);
  for (const name of skipped) expect(name).toMatch(/^MUST C8\.2-.* \(skipped: the target offers no fault hook\)$/);
});
