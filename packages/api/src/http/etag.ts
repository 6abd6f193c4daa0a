import { problems } from './problem.js';

/** The strong ETag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Enforces `If-Match` (RFC 9110 §13.1.1, strong comparison) against the current version. Absent
 * means unconditional; `*` matches any existing resource.
 */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const current = etagOf(version);
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(current)) return;
  throw problems.preconditionFailed(`The resource is at ETag ${current}; fetch it again and retry.`);
}
