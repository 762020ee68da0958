export { cases } from './cases/index.js';
export type { CaseContext, ConformanceCase, Level } from './conformance-case.js';
export { ConformanceFailure } from './conformance-failure.js';
export type { ConformanceOptions } from './conformance-options.js';
export { type CaseReport, type ConformanceReport, formatReport } from './conformance-report.js';
export { loadTarget } from './load-target.js';
export { runConformance } from './run-conformance.js';
export { selectCases } from './select-cases.js';
export type { AnyEventStore, Target, TargetFactory, TargetObject } from './target.js';
