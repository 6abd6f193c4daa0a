/**
 * What the `transactions` import does beyond parsing: the tenant's category rules applied with
 * core's `categorise` as lines are read, and the target company checked before anything is read.
 */
import { GreenfinError, categorise, type CategoryRule } from '@greenfin/core';
import type { Pool, PoolClient } from 'pg';
import { InvalidInputError } from '../../flows/failures.js';
import { isUuid } from '../../flows/validate.js';
import { toTransaction, type TransactionImportRow } from '../../imports/datasets/transactions.js';

interface RuleRow {
  id: string;
  field: CategoryRule['field'];
  match: CategoryRule['match'];
  pattern: string;
  amount_sign: NonNullable<CategoryRule['amountSign']>;
  category: string;
  priority: number;
}

/**
 * The organization's category rules (table `category_rules`) as core rules. A rule core refuses
 * (a regex this engine cannot compile) is left out rather than failing the import.
 */
export async function loadCategoryRules(
  pool: Pool | PoolClient,
  organizationId: string,
): Promise<CategoryRule[]> {
  const { rows } = await pool.query<RuleRow>(
    `select "id", "field", "match", "pattern", "amount_sign", "category", "priority"
     from "category_rules" where "organization_id" = $1 order by "priority" desc, "id"`,
    [organizationId],
  );
  const rules: CategoryRule[] = rows.map((r) => ({
    id: r.id,
    field: r.field,
    match: r.match,
    pattern: r.pattern,
    amountSign: r.amount_sign,
    category: r.category,
    priority: r.priority,
  }));
  return rules.filter((rule) => {
    try {
      categorise([], [rule]);
      return true;
    } catch (error) {
      if (error instanceof GreenfinError) return false;
      throw error;
    }
  });
}

/**
 * Rows with the rules applied (core `categorise`: highest priority first; a category the file
 * gave is kept, as source `import`, when no rule matches). Same order and length as `rows`.
 */
export function categoriseRows(
  rows: readonly TransactionImportRow[],
  rules: readonly CategoryRule[],
): TransactionImportRow[] {
  if (rules.length === 0 || rows.length === 0) return [...rows];
  // categorise wants one currency per call; a file may mix them.
  const byCurrency = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const list = byCurrency.get(row.currency);
    if (list) list.push(i);
    else byCurrency.set(row.currency, [i]);
  });
  const out = [...rows];
  for (const indexes of byCurrency.values()) {
    const results = categorise(
      indexes.map((i) => toTransaction(rows[i]!)),
      rules,
    );
    results.forEach((t, k) => {
      const i = indexes[k]!;
      out[i] = {
        ...rows[i]!,
        category: t.category ?? null,
        categorySource: t.category === undefined ? null : t.categorySource === 'rule' ? 'rule' : 'import',
        categoryRuleId: t.matchedRuleId,
      };
    });
  }
  return out;
}

/**
 * Checks that `companyId` is one of the organization's companies (table `companies`).
 *
 * @throws {InvalidInputError} on `options.companyId` otherwise (another tenant's company included).
 */
export async function assertCompanyOfOrganization(
  pool: Pool | PoolClient,
  organizationId: string,
  companyId: unknown,
): Promise<string> {
  if (!isUuid(companyId)) {
    throw new InvalidInputError(
      'options.companyId',
      'is required: the id of the company the transactions belong to',
    );
  }
  const { rows } = await pool.query(`select 1 from "companies" where "organization_id" = $1 and "id" = $2`, [
    organizationId,
    companyId,
  ]);
  if (rows.length === 0) {
    throw new InvalidInputError('options.companyId', `no company ${companyId} in this organization`);
  }
  return companyId;
}
