/**
 * Versioned reference data (`eu-ets`, `emission-factors`, `fx-rates`): an import writes its rows
 * with one `COPY` straight into `<table>_versions`, keyed by its operation id, and finishImport
 * makes them current by pointing the tenant's `reference_versions` row at the operation — one
 * statement, so readers of the `<table>` view see the old version or the new one, never a mix.
 * Superseded versions are deleted after the switch (and by housekeeping, should that fail).
 *
 * No staging table, no JSON, no upsert: each accepted row is written once, in the target's own
 * columns. docs/decisions/0010-versioned-reference-imports.md has the measurements.
 */
import type { Pool, PoolClient } from 'pg';
import type { DatasetName, TargetTable, TargetValue } from '../../imports/datasets/types.js';
import { IMPORT_SETTINGS } from '../../db/migrations.js';
import { copyText } from '../../imports/datasets/copy-text.js';
import { copyRows } from './copy.js';

/**
 * The versioned target tables, with the column a version is scoped by: an emission-factor file
 * replaces the factor sets of its own years only; the others replace the tenant's whole table.
 */
const VERSIONED: Readonly<Record<string, { scopeColumn: string | null }>> = {
  eu_ets_installations: { scopeColumn: null },
  eu_ets_verified_emissions: { scopeColumn: null },
  emission_factors: { scopeColumn: 'year' },
  fx_rates: { scopeColumn: null },
};

/** Datasets whose targets are versioned. */
export const VERSIONED_DATASETS: ReadonlySet<DatasetName> = new Set([
  'eu-ets',
  'emission-factors',
  'fx-rates',
]);

const q = (name: string) => `"${name}"`;

/** The physical table that holds every version of `target`'s rows. */
export const versionsTable = (target: { table: string }): string => `${target.table}_versions`;

function scopeOf(target: { table: string }): string | null {
  const spec = VERSIONED[target.table];
  if (!spec) throw new Error(`${target.table} is not a versioned reference table`);
  return spec.scopeColumn;
}

/** SQL for a version row's scope over alias `alias` (`''` for an unscoped table). */
const scopeSql = (target: { table: string }, alias: string): string => {
  const column = scopeOf(target);
  return column === null ? `''` : `${alias}.${q(column)}::text`;
};

function copyValue(value: TargetValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'number') return copyText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  throw new Error('array values are not supported in versioned reference tables');
}

/** A row's natural-key columns as one string: the same for a parsed row and the row read back. */
const columnKey = (values: readonly (string | number | null)[]): string => values.join('\u0001');

/** Writes one operation's rows into a versioned table. */
export class VersionWriter<Row> {
  private readonly keyIndexes: number[];
  /** The COPY's columns: the tenant and operation come from the step's settings (see `write`). */
  private readonly columns: readonly string[];

  constructor(
    private readonly target: TargetTable<Row>,
    private readonly organizationId: string,
    private readonly operationId: string,
  ) {
    scopeOf(target);
    this.keyIndexes = target.conflictKey.map((k) => target.columns.findIndex((c) => c.name === k));
    this.columns = ['line', ...target.columns.map((c) => c.name)];
  }

  /**
   * The COPY text line of `row` from physical line `line`. Built with `join` (one flat string): an
   * import holds it until its step is written.
   */
  encode(line: number, row: Row): string {
    const values = this.target.values(row);
    const fields: string[] = [String(line)];
    const last = values.length - 1;
    for (let i = 0; i < last; i++) fields.push(copyValue(values[i]!));
    fields.push(`${copyValue(values[last]!)}\n`);
    return fields.join('\t');
  }

  /**
   * {@link encode} for a line a variant's fast path accepted: its target values' COPY text (`copy`)
   * pushed with the rest of the line onto a group's pieces, joined with the group.
   */
  pushCompiled(pieces: string[], line: number, copy: string): void {
    pieces.push(String(line), '\t', copy, '\n');
  }

  /**
   * Streams encoded rows into the versions table, in the caller's transaction: the rows' tenant and
   * operation are its transaction-local settings, which the table's column defaults read
   * (migrations `workflows_20261203_56` and `_57`, which reads them once per COPY) — two UUIDs a
   * step instead of two a line.
   */
  async write(client: PoolClient, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await client.query(`select set_config($1, $2, true), set_config($3, $4, true)`, [
      IMPORT_SETTINGS.organization,
      this.organizationId,
      IMPORT_SETTINGS.operation,
      this.operationId,
    ]);
    await copyRows(client, versionsTable(this.target), this.columns, lines);
  }

  /** Deletes what an earlier attempt wrote from physical line `line` on. */
  async deleteFrom(client: PoolClient, line: number): Promise<void> {
    await client.query(
      `delete from ${q(versionsTable(this.target))} where "operation_id" = $1 and "line" >= $2`,
      [this.operationId, line],
    );
  }

  /**
   * The lines before `beforeLine` already written for any of `rows` (natural key → line): one
   * indexed lookup of the rows' key columns. `keyOf` gives a row's natural key, as duplicates are
   * reported by it. Only committed lines are seen, so it may run outside the step's transaction.
   */
  async earlierLines(
    db: Pool | PoolClient,
    rows: readonly Row[],
    keyOf: (row: Row) => string,
    beforeLine: number,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (rows.length === 0) return found;
    const byColumns = new Map<string, string>();
    const arrays: (string | number | null)[][] = this.keyIndexes.map(() => []);
    for (const row of rows) {
      const values = this.target.values(row);
      const key = this.keyIndexes.map((i) => values[i] as string | number | null);
      const ck = columnKey(key);
      if (byColumns.has(ck)) continue;
      byColumns.set(ck, keyOf(row));
      key.forEach((v, i) => arrays[i]!.push(v));
    }
    const keyColumns = this.target.conflictKey;
    const types = this.keyIndexes.map((i) => this.target.columns[i]!.type);
    const { rows: hits } = await db.query<Record<string, string | number>>(
      `select ${keyColumns.map((k) => `v.${q(k)}::text as ${q(k)}`).join(', ')}, v."line"
       from unnest(${types.map((t, i) => `$${i + 3}::${t}[]`).join(', ')}) as k(${keyColumns.map(q).join(', ')})
       join ${q(versionsTable(this.target))} v on v."operation_id" = $1 and v."line" < $2
         and ${keyColumns.map((k) => `v.${q(k)} = k.${q(k)}`).join(' and ')}`,
      [this.operationId, beforeLine, ...arrays],
    );
    for (const hit of hits) {
      const natural = byColumns.get(columnKey(keyColumns.map((k) => String(hit[k]))));
      if (natural !== undefined) found.set(natural, Number(hit.line));
    }
    return found;
  }

  /** Accepted lines written so far. */
  async acceptedLines(client: PoolClient): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      `select count(distinct "line")::int as "n" from ${q(versionsTable(this.target))} where "operation_id" = $1`,
      [this.operationId],
    );
    return rows[0]!.n;
  }

  /**
   * Makes this operation's rows the tenant's current version (of each scope they cover), in the
   * caller's transaction.
   *
   * @returns the operations whose versions this one replaced.
   */
  async activate(client: PoolClient): Promise<string[]> {
    const table = versionsTable(this.target);
    // The scopes this version covers: for an unscoped table, '' when it has any row (one probe,
    // not a pass over every row of the import).
    const scopes =
      scopeOf(this.target) === null
        ? `select '' as "scope" where exists (select 1 from ${q(table)} v where v."operation_id" = $2)`
        : `select distinct ${scopeSql(this.target, 'v')} as "scope" from ${q(table)} v where v."operation_id" = $2`;
    const { rows } = await client.query<{ previous: string | null }>(
      `with scopes as (${scopes}),
       old as (select p."scope", p."operation_id" from "reference_versions" p
               where p."organization_id" = $1 and p."dataset_table" = $3 and p."scope" in (select "scope" from scopes)),
       upserted as (
         insert into "reference_versions" ("organization_id", "dataset_table", "scope", "operation_id", "activated_at")
         select $1, $3, s."scope", $2, now() from scopes s
         on conflict ("organization_id", "dataset_table", "scope") do update
           set "operation_id" = excluded."operation_id", "activated_at" = excluded."activated_at"
         returning "scope")
       select distinct o."operation_id" as "previous" from upserted u left join old o on o."scope" = u."scope"`,
      [this.organizationId, this.operationId, this.target.table],
    );
    return rows.map((r) => r.previous).filter((op): op is string => op !== null && op !== this.operationId);
  }
}

/**
 * Deletes the rows of `operationIds`' versions of `target` that no tenant pointer uses any more
 * (an emission-factor version may stay current for the years the new file did not cover).
 */
export async function deleteSupersededVersions(
  pool: Pool | PoolClient,
  target: { table: string },
  operationIds: readonly string[],
): Promise<number> {
  if (operationIds.length === 0) return 0;
  const table = versionsTable(target);
  const result = await pool.query(
    `delete from ${q(table)} v where v."operation_id" = any($1::uuid[])
       and not exists (select 1 from "reference_versions" p where p."operation_id" = v."operation_id"
         and p."organization_id" = v."organization_id" and p."dataset_table" = $2 and p."scope" = ${scopeSql(target, 'v')})`,
    [operationIds, target.table],
  );
  return result.rowCount ?? 0;
}

/**
 * Housekeeping: deletes version rows that are not current and whose import is not still running —
 * versions superseded by a later import (should finishImport's own clean-up have failed), and
 * the rows of imports that never finished once their operation has been purged.
 *
 * @returns how many rows were deleted.
 */
export async function purgeStaleVersions(pool: Pool): Promise<number> {
  let deleted = 0;
  for (const table of Object.keys(VERSIONED)) {
    const target = { table };
    const result = await pool.query(
      `delete from ${q(versionsTable(target))} v
       where not exists (select 1 from "reference_versions" p where p."operation_id" = v."operation_id"
               and p."organization_id" = v."organization_id" and p."dataset_table" = $1 and p."scope" = ${scopeSql(target, 'v')})
         and not exists (select 1 from "import_runs" r where r."operation_id" = v."operation_id" and r."result" is null)`,
      [table],
    );
    deleted += result.rowCount ?? 0;
  }
  return deleted;
}
