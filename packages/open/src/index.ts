export { openStore } from './open-store.js';
export type { OpenStoreOptions } from './open-store-options.js';
export { redactUrl } from './redact-url.js';
export { registeredSchemes, registerScheme } from './scheme-registry.js';
export type { OpenedStore, StoreOpener } from './store-opener.js';
