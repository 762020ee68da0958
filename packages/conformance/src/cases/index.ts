import type { ConformanceCase } from '../conformance-case.js';
import { aliasingCases } from './aliasing-cases.js';
import { appendCases } from './append-cases.js';
import { batchCases } from './batch-cases.js';
import { capabilityOutcomeCases } from './capability-outcome-cases.js';
import { checkpointCases } from './checkpoint-cases.js';
import { closeCases } from './close-cases.js';
import { commitFaultCases } from './commit-fault-cases.js';
import { concurrencyCases } from './concurrency-cases.js';
import { expectCases } from './expect-cases.js';
import { faultCases } from './fault-cases.js';
import { feedCases } from './feed-cases.js';
import { feedLiveCases } from './feed-live-cases.js';
import { feedSkipCases } from './feed-skip-cases.js';
import { fuzzCases } from './fuzz-cases.js';
import { historyCases } from './history-cases.js';
import { inputCases } from './input-cases.js';
import { mixedExpectCases } from './mixed-expect-cases.js';
import { outcomeCases } from './outcome-cases.js';
import { payloadCases } from './payload-cases.js';
import { payloadSizeCases } from './payload-size-cases.js';
import { payloadTrapCases } from './payload-trap-cases.js';
import { processCases } from './process-cases.js';
import { raceCases } from './race-cases.js';
import { readCases } from './read-cases.js';
import { readMemoryCases } from './read-memory-cases.js';
import { refusedCommitCases } from './refused-commit-cases.js';
import { silentBackendCases } from './silent-backend-cases.js';
import { snapshotCases } from './snapshot-cases.js';
import { streamIdentityCases } from './stream-identity-cases.js';
import { streamsCases } from './streams-cases.js';
import { typedStringCases } from './typed-string-cases.js';
import { unknownOutcomeCases } from './unknown-outcome-cases.js';
import { writeLockCases } from './write-lock-cases.js';

/** Every case of the kit, in the order of the clauses of docs/contract.md. */
export const cases: readonly ConformanceCase[] = Object.freeze(
  [
    ...appendCases,
    ...streamIdentityCases,
    ...expectCases,
    ...mixedExpectCases,
    ...refusedCommitCases,
    ...readCases,
    ...readMemoryCases,
    ...payloadCases,
    ...payloadTrapCases,
    ...payloadSizeCases,
    ...typedStringCases,
    ...aliasingCases,
    ...inputCases,
    ...outcomeCases,
    ...concurrencyCases,
    ...historyCases,
    ...fuzzCases,
    ...processCases,
    ...raceCases,
    ...faultCases,
    ...closeCases,
    ...capabilityOutcomeCases,
    ...batchCases,
    ...unknownOutcomeCases,
    ...feedCases,
    ...feedSkipCases,
    ...feedLiveCases,
    ...streamsCases,
    ...commitFaultCases,
    ...writeLockCases,
    ...silentBackendCases,
    ...snapshotCases,
    ...checkpointCases,
  ].sort((a, b) => clauseOrder(a.clause) - clauseOrder(b.clause)),
);

function clauseOrder(clause: string): number {
  const [major = 0, minor = 0] = clause.slice(1).split('.').map(Number);
  return major * 1000 + minor;
}
