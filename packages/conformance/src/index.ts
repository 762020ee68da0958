export { cases } from './cases/index.js';
export type { CaseContext, ConformanceCase, Level } from './conformance-case.js';
export { ConformanceFailure } from './conformance-failure.js';
export { type CaseReport, type ConformanceReport, formatReport } from './conformance-report.js';
export { loadTarget } from './load-target.js';
export { type ConformanceOptions, runConformance, selectCases } from './run-conformance.js';
export type { AnyEventStore, Target, TargetFactory, TargetObject } from './target.js';
