/**
 * How long a rate-limited registry asked us to wait, read from its response headers.
 */

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date
 * (IMF-fixdate, or the obsolete RFC 850 and asctime forms recipients must still accept).
 * Returns milliseconds from `nowMs` (never negative), or null when the value is absent or invalid.
 *
 * @example
 * parseRetryAfter('120', Date.now())                            // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')) // 60000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  // delay-seconds is an integer; fractions are tolerated because some servers send them.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date starts with the weekday (IMF-fixdate "Wed,", RFC 850 "Wednesday,", asctime
  // "Wed Oct"); refusing other text keeps Date.parse's lenient guessing (of "5m", "2026-10-21")
  // out of our retry timing.
  if (!/^[A-Za-z]{3,9},? [A-Za-z0-9]/.test(text)) return null;
  // asctime carries no zone but means GMT; without one, Date.parse would read local time.
  const asctime = /^[A-Za-z]{3} [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/.test(text);
  const at = Date.parse(asctime ? `${text} GMT` : text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * Parses Companies House's `X-Ratelimit-Reset` header (the Unix time, in seconds, when the
 * current 5-minute window resets). Companies House often answers 429 without `Retry-After`, so
 * this is the only hint of when to come back. Returns milliseconds from `nowMs`, or null.
 */
export function parseRateLimitReset(value: string | null | undefined, nowMs: number): number | null {
  const text = value?.trim();
  if (!text || !/^\d+$/.test(text)) return null;
  const atMs = Number(text) * 1000;
  return Math.max(0, atMs - nowMs);
}
