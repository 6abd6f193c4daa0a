/**
 * Binding a fixed-column file shape: check the header has the required columns (optional ones may
 * be absent), refuse a header that names a column twice, then parse each record through a
 * {@link FieldReader} over those columns. Every fixed-column variant binds its header this way.
 */
import { FieldReader } from './fields.js';
import { assertNoDuplicateColumns, boundColumns, matchColumns, type BoundColumns } from './header.js';
import type { DatasetName, HeaderBinding, LineCompiler, RowResult } from './types.js';

/**
 * @example bindFixedColumns('eu-ets', header, ['installation_id', 'year'], [], (f) => f.result(…))
 */
export function bindFixedColumns<Row>(
  dataset: DatasetName,
  header: readonly string[],
  required: readonly string[],
  optional: readonly string[],
  parse: (fields: FieldReader) => RowResult<Row>,
  /** The variant's fast path (see {@link LineCompiler}), bound to the same columns. */
  compile?: (columns: BoundColumns) => LineCompiler,
): HeaderBinding<Row> {
  const match = matchColumns(header, required, optional);
  if (!match.ok) return match;
  assertNoDuplicateColumns(dataset, header, match.names.values());
  const columns = boundColumns(header, match.names);
  return {
    ok: true,
    ignoredColumns: match.ignored,
    parseRow: (values) => parse(new FieldReader(values, columns)),
    ...(compile && { compileLine: compile(columns) }),
  };
}
