/**
 * The URL as it may appear in a message or a log: the password of a
 * `user:password@` part replaced by `***`, whether or not the rest parses.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db:5432/shop'); // 'postgres://app:***@db:5432/shop'
 * ```
 */
export function redactUrl(url: string): string {
  let redacted = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@]*?:)[^/?#]*@/i, '$1***@');
  // A password may also come as a query parameter (libpq's `?password=`).
  redacted = redacted.replace(/([?&]password=)[^&#]*/gi, '$1***');
  return redacted;
}
