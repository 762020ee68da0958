// The kit under jest, as a jest user would wire it.
import { describeEventStore } from '@hume/conformance/jest';
import { MemoryEventStore } from '@hume/memory';

describeEventStore('@hume/memory', () => new MemoryEventStore());
