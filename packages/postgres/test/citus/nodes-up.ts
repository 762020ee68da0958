import { beforeAll, inject } from 'vitest';
import { startNode } from '../../scripts/citus-cluster.mjs';

// Each file starts with every node of the cluster up, so that a file which killed a worker and failed
// before bringing it back (a timed-out test does not run its finally in time) fails alone, not every file after it.
beforeAll(async () => {
  for (const port of inject('citusPorts')) await startNode(inject('citusDir'), port);
});
