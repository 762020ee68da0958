import { describeEventStore } from '@hume/conformance/vitest';
import { MemoryEventStore } from '@hume/memory';

describeEventStore('@hume/memory', () => new MemoryEventStore(), { reportFile: 'conformance-report.json' });
describeEventStore('@hume/memory with 7-event pages', () => new MemoryEventStore({ pageSize: 7 }), { grep: /^C4\./ });
