import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startCitusCluster } from '../../scripts/citus-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the cluster's nodes, for tests that add, kill or restart one. */
    citusDir: string;
    /** The coordinator's port and the two workers'. */
    citusPorts: number[];
    /** Free ports reserved for nodes a test adds. */
    citusSparePorts: number[];
  }
}

/**
 * Gives the Citus tests a cluster of their own: Citus installed when missing
 * (through the shared install.sh), a coordinator and two workers on free
 * loopback ports in a temp folder, stopped when the run ends, failed or not.
 * No cluster is a failure of the run, never a skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCitusCluster({ spareNodes: 1 });
  console.log(`[@hume/postgres Citus tests] coordinator at ${cluster.url}, workers on ${cluster.workerPorts.join(', ')}`);
  project.provide('databaseUrl', cluster.url);
  project.provide('schemaPrefix', `hume_t${randomBytes(4).toString('hex')}`);
  project.provide('citusDir', cluster.dir);
  project.provide('citusPorts', [cluster.coordinatorPort, ...cluster.workerPorts]);
  project.provide('citusSparePorts', [...cluster.sparePorts]);
  return () => cluster.stop();
}
