/**
 * Housekeeping for imports that never finished: their staged rows stay (a retry or a Temporal
 * reset may still finish them) until their operation is purged (`OperationStore.purgeExpired`,
 * which cascades to the import's run, positions and rejects); then this removes the rows.
 */
import type { Pool } from 'pg';

/**
 * Deletes staged rows whose import run no longer exists. Run it after `purgeExpired`.
 *
 * @returns how many rows were deleted.
 */
export async function purgeImportStaging(pool: Pool): Promise<number> {
  const result = await pool.query(
    `delete from "import_staged_rows" s
     where not exists (select 1 from "import_runs" r where r."operation_id" = s."operation_id")`,
  );
  return result.rowCount ?? 0;
}
