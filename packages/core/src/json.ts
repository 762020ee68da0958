/** A JSON scalar. */
export type JsonPrimitive = null | boolean | number | string;

/**
 * Any value that survives `JSON.parse(JSON.stringify(value))` unchanged.
 *
 * @example
 * ```ts
 * const payload: Json = { type: 'deposited', amount: 10, tags: ['cash'] };
 * ```
 */
export type Json = JsonPrimitive | Json[] | { [key: string]: Json };

/**
 * The bound of every payload type: `T` with each member mapped onto what
 * JSON can carry. Scalars stay; functions, symbols, bigints and `undefined`
 * members become `never`, so `Date`, `Map` and class instances with methods
 * do not fit.
 *
 * It is a mapped type rather than `Json` because an interface has no index
 * signature and so is never assignable to `{ [key: string]: Json }`, even
 * when every member is JSON; `P extends JsonShaped<P>` accepts it.
 *
 * @example
 * ```ts
 * interface Deposited { type: 'deposited'; amount: number }
 * const store: EventStore<Deposited> = memoryStore();
 * ```
 */
export type JsonShaped<T> = { [K in keyof T]: JsonMember<T[K]> };

// `V extends Json` first: it ends the recursion for `Json` itself, the default payload type.
type JsonMember<V> = V extends Json ? V : V extends undefined | bigint | symbol | ((...args: never[]) => unknown) ? never : JsonShaped<V>;
