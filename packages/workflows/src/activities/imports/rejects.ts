/**
 * The rejected lines of an import as CSV (`line,field,reason,raw`), streamed straight out of
 * PostgreSQL with `COPY … TO STDOUT`, for `GET /v1/operations/{id}/rejects`.
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { isUuid } from '../../flows/validate.js';

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": a leading `=`, `+`, `-`,
 * `@`, tab or carriage return) gets a leading `'`, so opening the rejects in Excel or LibreOffice
 * shows the text instead of evaluating it. The rejects are someone else's file: never trusted.
 */
const neutralised = (column: string) =>
  `case when "${column}" ~ '^[-=+@\t\r]' then '''' || "${column}" else "${column}" end as "${column}"`;

/** The CSV's header line. */
export const REJECTS_CSV_HEADER = 'line,field,reason,raw';

/**
 * The rejects of the tenant's import operation as CSV, ordered by line: a header line and one
 * line per rejected record (`raw` is the record as read, re-encoded as one CSV line; cells that
 * would start a spreadsheet formula are prefixed with `'`). An import
 * with no rejects (or not far enough along to have any) gives the header alone.
 *
 * @returns null when the organization has no import operation with that id (another tenant's).
 */
export async function streamRejectsCsv(
  pool: Pool,
  organizationId: string,
  operationId: string,
): Promise<Readable | null> {
  if (!isUuid(organizationId) || !isUuid(operationId)) return null;
  const { rows } = await pool.query(
    `select 1 from "operations" where "organization_id" = $1 and "id" = $2 and "kind" = 'import'`,
    [organizationId, operationId],
  );
  if (rows.length === 0) return null;
  const client = await pool.connect();
  const out = new PassThrough();
  // The id is a checked UUID: COPY takes no parameters.
  const copy = client.query(
    copyTo(
      `copy (select "line", ${neutralised('field')}, ${neutralised('reason')}, ${neutralised('raw')}
             from "import_rejects" where "operation_id" = '${operationId.toLowerCase()}'
             order by "line") to stdout with (format csv, header true)`,
    ),
  );
  pipeline(copy, out).then(
    () => client.release(),
    (error: unknown) => {
      client.release(error instanceof Error ? error : true);
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return out;
}
