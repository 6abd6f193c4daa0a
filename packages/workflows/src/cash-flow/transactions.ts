/**
 * Writing and reading a company's bank transactions (tables `bank_accounts`, `transactions`,
 * `category_rules` of migration `workflows_20261202_53_cash_flow`). Shared by the API's JSON
 * ingest (`POST /v1/companies/{id}/transactions`), the `transactions` CSV import dataset and the
 * recategorisation job, so every path computes the same de-duplication hash and applies the
 * tenant's categorisation rules the same way.
 */
import {
  categorise,
  dedupHash,
  ErrorCode,
  GreenfinError,
  transactionDedupKeys,
  validateTransactions,
  type CategoryRule,
  type CategorySource,
  type CurrencyCode,
  type Transaction,
} from '@greenfin/core';

/** What these functions need of a database connection: a `pg` Pool or PoolClient. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * Called after a company's stored transactions (or their categories) changed, so derived values
 * (the API's cached cash-flow analytics) are dropped and alerts re-evaluated.
 */
export type TransactionsChanged = (organizationId: string, companyId: string) => Promise<void>;

/** Where a transaction came from (`transactions.source`). */
export type TransactionSource = 'api' | 'import';

/** A categorisation rule as stored (`category_rules`), in core's shape plus its timestamps. */
export interface StoredCategoryRule extends CategoryRule {
  readonly organizationId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface RuleRow {
  id: string;
  organization_id: string;
  field: CategoryRule['field'];
  match: CategoryRule['match'];
  pattern: string;
  amount_sign: NonNullable<CategoryRule['amountSign']>;
  category: string;
  priority: number;
  created_at: Date;
  updated_at: Date;
}

const RULE_COLUMNS = `"id", "organization_id", "field", "match", "pattern", "amount_sign", "category", "priority", "created_at", "updated_at"`;

/** A `category_rules` row in core's rule shape. */
export function ruleFromRow(row: RuleRow): StoredCategoryRule {
  return {
    id: row.id,
    organizationId: row.organization_id,
    field: row.field,
    match: row.match,
    pattern: row.pattern,
    amountSign: row.amount_sign,
    category: row.category,
    priority: row.priority,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Every categorisation rule of a tenant, in the order core applies them (priority descending,
 * then id).
 *
 * @example const rules = await loadCategoryRules(pool, organizationId);
 */
export async function loadCategoryRules(
  db: Queryable,
  organizationId: string,
): Promise<StoredCategoryRule[]> {
  const { rows } = await db.query<RuleRow>(
    `select ${RULE_COLUMNS} from "category_rules" where "organization_id" = $1 order by "priority" desc, "id"`,
    [organizationId],
  );
  return rows.map(ruleFromRow);
}

/**
 * Checks one rule as core would compile it (a regex that does not compile, an empty keyword):
 * throws core's `GreenfinError` with the path `<prefix>.<field>` (default `pattern`, …).
 *
 * @example assertValidRule({ id: 'x', field: 'description', match: 'regex', pattern: '(', category: 'c', priority: 0 })
 * // throws invalid_pattern at "pattern"
 */
export function assertValidRule(rule: CategoryRule, prefix = ''): void {
  try {
    categorise([], [rule]);
  } catch (error) {
    if (!(error instanceof GreenfinError)) throw error;
    const field = error.path.replace(/^rules\[0\]\.?/, '');
    const message = error.path ? error.message.slice(error.path.length + 2) : error.message;
    throw new GreenfinError(error.code, prefix ? (field ? `${prefix}.${field}` : prefix) : field, message);
  }
}

/** One transaction to ingest; `category` is the bank's own (kept only when no rule matches). */
export type IncomingTransaction = Transaction;

export interface IngestRequest {
  organizationId: string;
  companyId: string;
  source: TransactionSource;
  /** The import that brought these rows (`transactions.import_id`), for the CSV dataset. */
  importId?: string | null;
  /**
   * One batch, in the bank's order. The de-duplication key's per-day sequence counts identical
   * transactions within this batch, so import whole days per batch.
   */
  transactions: readonly IncomingTransaction[];
  /** The tenant's rules; loaded when absent. */
  rules?: readonly CategoryRule[];
  /** Path prefix of the transactions in error messages. Default `transactions`. */
  path?: string;
}

export interface IngestResult {
  /** Rows written now. */
  inserted: number;
  /** Rows already stored (same de-duplication hash for this company): nothing written. */
  duplicates: number;
  /** Of the inserted rows, how many a rule categorised. */
  categorisedByRules: number;
  /** The accounts of the batch, created when new. */
  accountRefs: string[];
  /** SHA-256 de-duplication hash of each input row, in input order. */
  dedupHashes: string[];
}

/**
 * The currency a company's stored transactions are in (from its bank accounts), or null when it
 * has none yet. Analytics never mixes currencies, so a batch in another currency is refused.
 */
export async function companyCurrency(
  db: Queryable,
  organizationId: string,
  companyId: string,
): Promise<CurrencyCode | null> {
  const { rows } = await db.query<{ currency: string }>(
    `select distinct "currency" from "bank_accounts" where "organization_id" = $1 and "company_id" = $2 limit 2`,
    [organizationId, companyId],
  );
  return (rows[0]?.currency as CurrencyCode | undefined) ?? null;
}

/**
 * Validates, de-duplicates, categorises and stores one batch of a company's transactions, in one
 * SQL statement (so it is all or nothing): the batch's bank accounts are created when new, each
 * row is inserted unless its de-duplication hash is already stored for the company (`on conflict
 * do nothing`), and the tenant's rules set categories (a bank category is kept only when no rule
 * matches). Calls `onChanged` when anything was inserted.
 *
 * Throws core's `GreenfinError` naming the field (`transactions[3].amount`, `currency_mismatch`
 * on `transactions[0].currency` when the company's stored transactions are in another currency).
 *
 * @example
 * const r = await ingestTransactions(pool, { organizationId, companyId, source: 'api', transactions });
 * r.inserted; // 0 the second time the same batch is sent
 */
export async function ingestTransactions(
  db: Queryable,
  request: IngestRequest,
  onChanged?: TransactionsChanged,
): Promise<IngestResult> {
  const path = request.path ?? 'transactions';
  const { transactions, organizationId, companyId } = request;
  const currency = validateTransactions(transactions, path);
  if (transactions.length === 0) {
    return { inserted: 0, duplicates: 0, categorisedByRules: 0, accountRefs: [], dedupHashes: [] };
  }
  const stored = await companyCurrency(db, organizationId, companyId);
  if (stored !== null && stored !== currency) {
    throw new GreenfinError(
      ErrorCode.CurrencyMismatch,
      `${path}[0].currency`,
      `is ${currency} but the company's transactions are in ${stored}; convert them first`,
    );
  }
  const keys = transactionDedupKeys(transactions);
  const hashes = keys.map(dedupHash);
  const rules = request.rules ?? (await loadCategoryRules(db, organizationId));
  // A bank's category arrives as 'import'; only a person (PATCH) sets 'manual'.
  const categorised = categorise(
    transactions.map((t) => ({ ...t, categorySource: t.category === undefined ? undefined : 'import' })),
    rules,
  );
  const accountRefs = [...new Set(transactions.map((t) => t.accountRef))];
  const { rows } = await db.query<{ inserted: string; by_rules: string }>(
    `with "accounts" as (
       insert into "bank_accounts" ("organization_id", "company_id", "account_ref", "currency")
       select $1, $2, a, $3 from unnest($4::text[]) as a
       on conflict ("organization_id", "company_id", "account_ref") do nothing
     ), "rows" as (
       insert into "transactions" ("organization_id", "company_id", "account_ref", "booking_date", "amount",
         "currency", "description", "counterparty", "category", "category_source", "category_rule_id",
         "balance_after", "source", "import_id", "dedup_hash")
       select $1, $2, r.account_ref, r.booking_date, r.amount, $3, r.description, r.counterparty, r.category,
         r.category_source, r.category_rule_id, r.balance_after, $5, $6, r.dedup_hash
       from unnest($7::text[], $8::date[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[],
         $14::uuid[], $15::bigint[], $16::text[])
         with ordinality as r(account_ref, booking_date, amount, description, counterparty, category,
           category_source, category_rule_id, balance_after, dedup_hash, ord)
       order by r.ord
       on conflict ("organization_id", "company_id", "dedup_hash") do nothing
       returning "category_source"
     )
     select count(*)::text as "inserted", count(*) filter (where "category_source" = 'rule')::text as "by_rules"
     from "rows"`,
    [
      organizationId,
      companyId,
      currency,
      accountRefs,
      request.source,
      request.importId ?? null,
      categorised.map((t) => t.accountRef),
      categorised.map((t) => t.bookingDate),
      categorised.map((t) => String(t.amount)),
      categorised.map((t) => t.description),
      categorised.map((t) => t.counterparty ?? null),
      categorised.map((t) => t.category ?? null),
      categorised.map((t) => (t.category === undefined ? null : (t.categorySource ?? 'import'))),
      categorised.map((t) => t.matchedRuleId),
      categorised.map((t) => (t.balanceAfter === undefined ? null : String(t.balanceAfter))),
      hashes,
    ],
  );
  const inserted = Number(rows[0]?.inserted ?? 0);
  if (inserted > 0) await onChanged?.(organizationId, companyId);
  return {
    inserted,
    duplicates: transactions.length - inserted,
    categorisedByRules: Number(rows[0]?.by_rules ?? 0),
    accountRefs,
    dedupHashes: hashes,
  };
}

/** A stored transaction. Amounts are integer minor units. */
export interface StoredTransaction extends Transaction {
  readonly id: string;
  readonly companyId: string;
  readonly categoryRuleId: string | null;
  readonly source: TransactionSource;
  readonly importId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface TransactionRow {
  id: string;
  company_id: string;
  account_ref: string;
  booking_date: string;
  amount: string;
  currency: string;
  description: string;
  counterparty: string | null;
  category: string | null;
  category_source: CategorySource | null;
  category_rule_id: string | null;
  balance_after: string | null;
  source: TransactionSource;
  import_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Columns of {@link TransactionRow}; the date as text (pg would make it a local Date). */
export const TRANSACTION_COLUMNS = `"id", "company_id", "account_ref", "booking_date"::text as "booking_date", "amount"::text as "amount",
  "currency", "description", "counterparty", "category", "category_source", "category_rule_id",
  "balance_after"::text as "balance_after", "source", "import_id", "created_at", "updated_at"`;

/** The columns a core {@link Transaction} is made of, as selected (amounts and dates as text). */
type CoreTransactionRow = Pick<
  TransactionRow,
  | 'account_ref'
  | 'booking_date'
  | 'amount'
  | 'currency'
  | 'description'
  | 'counterparty'
  | 'category'
  | 'balance_after'
> & { category_source?: CategorySource | null };

/** A selected row as a core transaction (optional fields left out when null). */
function coreTransaction(row: CoreTransactionRow): Transaction {
  return {
    accountRef: row.account_ref,
    bookingDate: row.booking_date as Transaction['bookingDate'],
    amount: Number(row.amount),
    currency: row.currency as CurrencyCode,
    description: row.description,
    ...(row.counterparty !== null && { counterparty: row.counterparty }),
    ...(row.category !== null && { category: row.category }),
    ...(row.category_source != null && { categorySource: row.category_source }),
    ...(row.balance_after !== null && { balanceAfter: Number(row.balance_after) }),
  };
}

/** A `transactions` row (selected with {@link TRANSACTION_COLUMNS}) as a stored transaction. */
export function transactionFromRow(row: TransactionRow): StoredTransaction {
  return {
    id: row.id,
    companyId: row.company_id,
    ...coreTransaction(row),
    categoryRuleId: row.category_rule_id,
    source: row.source,
    importId: row.import_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Every transaction of a company in booking order (date, then arrival order `seq`, which is the
 * bank's order within a batch) — what analytics reads.
 */
export async function loadCompanyTransactions(
  db: Queryable,
  organizationId: string,
  companyId: string,
): Promise<Transaction[]> {
  const { rows } = await db.query<CoreTransactionRow>(
    `select "account_ref", "booking_date"::text as "booking_date", "amount"::text as "amount", "currency",
       "description", "counterparty", "category", "balance_after"::text as "balance_after"
     from "transactions" where "organization_id" = $1 and "company_id" = $2
     order by "booking_date", "seq"`,
    [organizationId, companyId],
  );
  return rows.map(coreTransaction);
}

export interface RecategorisePageResult {
  /** Non-manual transactions the rules were applied to. */
  examined: number;
  /** Of those, how many changed category (or rule). */
  changed: number;
  /** Companies whose categories changed (their cached analytics are dropped). */
  companyIds: string[];
}

/**
 * Re-applies a tenant's rules to one page of its non-manual transactions (optionally of one
 * company), ordered by id after `afterId`: rows a rule matches get its category; rows no rule
 * matches keep a bank ('import') category and lose a category a rule set earlier. Manual
 * categories are never read nor written. Returns the last id of the page (null when done).
 */
export async function recategorisePage(
  db: Queryable,
  request: {
    organizationId: string;
    companyId?: string | null;
    afterId: string | null;
    limit: number;
    rules: readonly CategoryRule[];
  },
): Promise<RecategorisePageResult & { lastId: string | null }> {
  const { rows } = await db.query<TransactionRow>(
    `select ${TRANSACTION_COLUMNS} from "transactions"
     where "organization_id" = $1 and ($2::uuid is null or "company_id" = $2)
       and "category_source" is distinct from 'manual' and ($3::uuid is null or "id" > $3)
     order by "id" limit $4`,
    [request.organizationId, request.companyId ?? null, request.afterId, request.limit],
  );
  if (rows.length === 0) return { examined: 0, changed: 0, companyIds: [], lastId: null };
  const current = rows.map(transactionFromRow);
  // A rule's old category is not the bank's: start from the bank category only.
  const inputs = current.map((t) => {
    const { category, categorySource, ...rest } = t;
    return categorySource === 'import' && category !== undefined
      ? { ...rest, category, categorySource }
      : rest;
  });
  const next = categorise(inputs, request.rules);
  const changedIds: string[] = [];
  const categories: (string | null)[] = [];
  const sources: (string | null)[] = [];
  const ruleIds: (string | null)[] = [];
  const companies = new Set<string>();
  next.forEach((t, i) => {
    const before = current[i]!;
    const category = t.category ?? null;
    const source = t.category === undefined ? null : (t.categorySource ?? 'import');
    if (
      category === (before.category ?? null) &&
      source === (before.categorySource ?? null) &&
      t.matchedRuleId === before.categoryRuleId
    )
      return;
    changedIds.push(before.id);
    categories.push(category);
    sources.push(source);
    ruleIds.push(t.matchedRuleId);
    companies.add(before.companyId);
  });
  if (changedIds.length > 0) {
    await db.query(
      `update "transactions" t set "category" = u.category, "category_source" = u.category_source,
         "category_rule_id" = u.rule_id, "updated_at" = now()
       from unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[]) as u(id, category, category_source, rule_id)
       where t."id" = u.id and t."organization_id" = $1 and t."category_source" is distinct from 'manual'`,
      [request.organizationId, changedIds, categories, sources, ruleIds],
    );
  }
  return {
    examined: rows.length,
    changed: changedIds.length,
    companyIds: [...companies],
    lastId: rows.at(-1)!.id,
  };
}

/** How many non-manual transactions a recategorisation will examine (for its progress total). */
export async function countRecategorisable(
  db: Queryable,
  organizationId: string,
  companyId?: string | null,
): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*)::text as n from "transactions"
     where "organization_id" = $1 and ($2::uuid is null or "company_id" = $2)
       and "category_source" is distinct from 'manual'`,
    [organizationId, companyId ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Deletes every cash-flow row of a company (when the company is deleted). */
export async function deleteCompanyCashFlowData(
  db: Queryable,
  organizationId: string,
  companyId: string,
): Promise<void> {
  for (const table of ['transactions', 'bank_accounts', 'alerts']) {
    await db.query(`delete from "${table}" where "organization_id" = $1 and "company_id" = $2`, [
      organizationId,
      companyId,
    ]);
  }
}
