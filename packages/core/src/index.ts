export { append } from './append.js';
export { appendMany } from './append-many.js';
export type { AppendManyResult } from './append-many-result.js';
export type { AppendError, AppendResult } from './append-result.js';
export { BackendError, type BackendErrorOptions } from './backend-error.js';
export { CallsInFlight } from './calls-in-flight.js';
export { checkAppend, checkEvents } from './check-arguments.js';
export { checkCheckpoint, MAX_POSITION_LENGTH } from './check-checkpoint.js';
export { checkFeed } from './check-feed.js';
export { checkName } from './check-name.js';
export { checkOptions, type OptionNames } from './check-options.js';
export { checkPayload } from './check-payload.js';
export { checkExpect, checkFrom, isSeq } from './check-seq.js';
export { checkStream, MAX_STREAM_BYTES } from './check-stream.js';
export { checkStreamsOptions } from './check-streams-options.js';
export { type CheckpointStorage, canStoreCheckpoints } from './checkpoint-storage.js';
export { compareStreamNames, prefixEnd } from './compare-stream-names.js';
export { CONTRACT_VERSION } from './contract-version.js';
export { describeValue } from './describe-value.js';
export type { Event } from './event.js';
export type { EventStore } from './event-store.js';
export { failure } from './failure.js';
export type { FeedEvent } from './feed-event.js';
export { FeedNotifier } from './feed-notifier.js';
export type { FeedOptions } from './feed-options.js';
export { FeedReader, type FeedReaderOptions, type FeedSource } from './feed-reader.js';
export { HumeError, type HumeErrorCode, isHumeError } from './hume-error.js';
export { type ArgumentName, InvalidArgumentError } from './invalid-argument-error.js';
export { InvalidModuleError } from './invalid-module-error.js';
export type { Json, JsonPrimitive, JsonShaped } from './json.js';
export { PageBudget } from './page-budget.js';
export { cutPage, type EventPage, PagedEventReader, type PagedReadOptions, type ReadPage } from './paged-event-reader.js';
export { listStreamsPaged, type ReadStreamsPage, type StreamRange } from './paged-stream-lister.js';
export { type PrepareAppendOptions, type PreparedAppend, prepareAppend } from './prepare-append.js';
export {
  checkAppendMany,
  DEFAULT_MAX_BATCH_EVENTS,
  type PrepareAppendManyOptions,
  type PreparedAppendMany,
  prepareAppendMany,
} from './prepare-append-many.js';
export { checkSnapshotKey, type PreparedSnapshot, prepareSnapshot } from './prepare-snapshot.js';
export type { Seq } from './seq.js';
export {
  checkMaxPayloadBytes,
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_DEPTH,
  MIN_MAX_PAYLOAD_BYTES,
  type SerializedPayload,
  type SerializeOptions,
  serializePayload,
} from './serialize-payload.js';
export { canStoreSnapshots, type Snapshot, type SnapshotStorage } from './snapshot-storage.js';
export { StoreClosedError } from './store-closed-error.js';
export { canListStreams, type StreamInfo, type StreamListing, type StreamsOptions } from './stream-listing.js';
export { UnexpectedSeqError } from './unexpected-seq-error.js';
export { isEventStore, type ValidateResult, validate } from './validate.js';
