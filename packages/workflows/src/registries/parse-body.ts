/**
 * Validating a registry's JSON body with zod, and turning a failure into a `malformed` reason a
 * person can act on (which fields, and what was wrong with them).
 */
import { z } from 'zod';

/** Most issues a reason lists; a body wrong in dozens of places is summarised, not dumped. */
const MAX_ISSUES_IN_REASON = 8;

/** An ISO `YYYY-MM-DD` that is a real calendar date (2023-02-30 is refused). */
export const isoDateSchema = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}, 'Expected an ISO date (YYYY-MM-DD)');

/** A string field that may be absent or null; blank strings count as absent. */
export const optionalTextSchema = z
  .string()
  .nullish()
  .transform((value) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  });

export type ParsedBody<T> = { ok: true; data: T } | { ok: false; reason: string };

/**
 * Validates `body` against `schema`. On failure the reason lists each issue as
 * `path: message` (e.g. `company_name: Required; sic_codes.0: Expected string, received number`).
 */
export function parseRegistryBody<S extends z.ZodTypeAny>(
  schema: S,
  body: unknown,
  label: string,
): ParsedBody<z.output<S>> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data as z.output<S> };
  const issues = parsed.error.issues;
  const listed = issues
    .slice(0, MAX_ISSUES_IN_REASON)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`);
  if (issues.length > MAX_ISSUES_IN_REASON) listed.push(`… and ${issues.length - MAX_ISSUES_IN_REASON} more`);
  return { ok: false, reason: `${label} response did not match the expected shape: ${listed.join('; ')}` };
}
