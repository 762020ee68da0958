import { describeEventStore } from '@hume/conformance/vitest';
import { MemoryEventStore } from '@hume/memory';

// An append in memory commits as it is made, so an append "held open" is one not made yet.
const target = {
  create: () => new MemoryEventStore(),
  hold: async (store: unknown, stream: string, payload: unknown) => ({
    commit: async () => {
      const result = await (store as MemoryEventStore).append(stream, payload as never);
      if (!result.ok) throw result.error;
      return result.seq;
    },
    rollback: async () => {},
  }),
};

describeEventStore('@hume/memory', target, { reportFile: 'conformance-report.json' });
describeEventStore('@hume/memory with 7-event pages', () => new MemoryEventStore({ pageSize: 7 }), { grep: /^C(4|13)\./ });
