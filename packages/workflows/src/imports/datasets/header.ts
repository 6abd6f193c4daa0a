/**
 * Matching a file's header to the columns a dataset reads. Names match case-insensitively with
 * surrounding spaces ignored (spreadsheets re-case headers); unnamed columns (the empty last
 * column every ECB line has) are ignored; a column the dataset reads may appear only once.
 */
import { DatasetHeaderError } from './errors.js';
import type { DatasetName } from './types.js';

/** Canonical column name → the header name as it is in the file. */
export type ColumnNames = ReadonlyMap<string, string>;

/** The columns a parser reads: their names in the file, and where each is in a record. */
export interface BoundColumns {
  readonly names: ColumnNames;
  /** Canonical column name → position of its value in a record (the first column of that name). */
  readonly indexes: ReadonlyMap<string, number>;
}

/** `names` with the position in `header` of each file name. */
export function boundColumns(header: readonly string[], names: ColumnNames): BoundColumns {
  const indexes = new Map<string, number>();
  for (const [column, name] of names) indexes.set(column, header.indexOf(name));
  return { names, indexes };
}

/** Lower-cased header name → the file's spelling, for case-insensitive look-ups. */
function byLowerCase(header: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of header)
    if (name !== '' && !map.has(name.toLowerCase())) map.set(name.toLowerCase(), name);
  return map;
}

/**
 * Finds `required` and `optional` columns in `header`. Returns the missing required columns, or
 * the map from canonical names to the file's names plus the header columns nobody reads.
 */
export function matchColumns(
  header: readonly string[],
  required: readonly string[],
  optional: readonly string[] = [],
):
  | { readonly ok: true; readonly names: ColumnNames; readonly ignored: readonly string[] }
  | { readonly ok: false; readonly missing: readonly string[] } {
  const lower = byLowerCase(header);
  const missing = required.filter((c) => !lower.has(c.toLowerCase()));
  if (missing.length > 0) return { ok: false, missing };
  const names = new Map<string, string>();
  for (const c of [...required, ...optional]) {
    const found = lower.get(c.toLowerCase());
    if (found !== undefined) names.set(c, found);
  }
  const used = new Set(names.values());
  return { ok: true, names, ignored: header.filter((h) => h !== '' && !used.has(h)) };
}

/**
 * Throws when a column the dataset reads appears twice (which value would count is ambiguous).
 * Repeated columns nobody reads are harmless and allowed.
 */
export function assertNoDuplicateColumns(
  dataset: DatasetName,
  header: readonly string[],
  used: Iterable<string>,
): void {
  const wanted = new Set([...used].map((n) => n.toLowerCase()));
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.toLowerCase();
    if (!wanted.has(key)) return;
    const before = seen.get(key);
    if (before !== undefined) {
      throw new DatasetHeaderError(
        dataset,
        `column "${name}" appears twice (columns ${before + 1} and ${i + 1})`,
      );
    }
    seen.set(key, i);
  });
}
