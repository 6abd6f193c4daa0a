/**
 * Deep freezing for values shared between requests (cached scores and what is derived from them):
 * a frozen value cannot be changed by one request under another, and it can be memoised by
 * identity (its JSON text, its projection), since it will never change.
 */

/** `value` with every nested object and array frozen; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
