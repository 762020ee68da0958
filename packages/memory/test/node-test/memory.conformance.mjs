// The kit under node:test, as a user of node's own runner would wire it.
import { describeEventStore } from '@hume/conformance/node-test';
import { MemoryEventStore } from '@hume/memory';

describeEventStore('@hume/memory', () => new MemoryEventStore());
