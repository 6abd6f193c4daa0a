/**
 * A company's bank transactions: JSON batch ingest (validated, de-duplicated and categorised by
 * the shared writer in `@greenfin/workflows`), keyset-paged listing and manual category overrides.
 * The rows live in the workflows-owned `transactions` table and are read through the `pg` pool.
 */
import { categorise, ErrorCode, fromDecimalString, GreenfinError, type Transaction } from '@greenfin/core';
import {
  ingestTransactions,
  loadCategoryRules,
  TRANSACTION_COLUMNS,
  transactionFromRow,
  type IngestResult,
  type StoredTransaction,
} from '@greenfin/workflows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Principal } from '../../http/context.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type { CompaniesService } from '../companies/companies.service.js';
import type { IngestTransactionsInput, TransactionListInput } from './transactions.schemas.js';

export interface TransactionsServiceOptions {
  pool: Pool;
  companies: CompaniesService;
  /** Called after a company's transactions or their categories changed (cache, alerts). */
  onChange?: (organizationId: string, companyId: string) => Promise<void>;
}

/** The request's transactions in core's shape (money → minor units); errors name `transactions[i].field`. */
export function coreTransactions(input: IngestTransactionsInput): Transaction[] {
  return input.transactions.map((t, i) => {
    const path = `transactions[${i}]`;
    const amount = fromDecimalString(t.amount.amount, t.amount.currency, `${path}.amount`);
    let balanceAfter: number | undefined;
    if (t.balanceAfter) {
      if (t.balanceAfter.currency !== t.amount.currency) {
        throw new GreenfinError(
          ErrorCode.CurrencyMismatch,
          `${path}.balanceAfter.currency`,
          `must be the amount's currency ${t.amount.currency}, got ${t.balanceAfter.currency}`,
        );
      }
      balanceAfter = fromDecimalString(
        t.balanceAfter.amount,
        t.balanceAfter.currency,
        `${path}.balanceAfter`,
      ).amount;
    }
    return {
      accountRef: t.accountRef,
      bookingDate: t.bookingDate as Transaction['bookingDate'],
      amount: amount.amount,
      currency: amount.currency,
      description: t.description,
      ...(t.counterparty !== undefined && { counterparty: t.counterparty }),
      ...(t.category !== undefined && { category: t.category }),
      ...(balanceAfter !== undefined && { balanceAfter }),
    };
  });
}

/** Transactions of a tenant's companies. */
export class TransactionsService {
  constructor(private readonly options: TransactionsServiceOptions) {}

  /** Stores a batch; the same batch again inserts nothing (`duplicates` counts it). */
  async ingest(
    em: EntityManager,
    actor: Principal,
    companyId: string,
    input: IngestTransactionsInput,
  ): Promise<IngestResult> {
    await this.options.companies.get(em, actor, companyId);
    const transactions = coreTransactions(input);
    const result = await ingestTransactions(
      this.options.pool,
      { organizationId: actor.organizationId, companyId, source: 'api', transactions },
      this.options.onChange,
    );
    recordAudit(
      em,
      actor,
      'transactions.ingest',
      { type: 'company', id: companyId },
      { received: transactions.length, inserted: result.inserted, duplicates: result.duplicates },
    );
    await em.flush();
    return result;
  }

  /** One page, by booking date then id. */
  async list(
    em: EntityManager,
    actor: Principal,
    companyId: string,
    query: TransactionListInput,
  ): Promise<{ items: StoredTransaction[]; nextCursor: string | null }> {
    await this.options.companies.get(em, actor, companyId);
    const values: unknown[] = [actor.organizationId, companyId];
    const where = [`"organization_id" = $1`, `"company_id" = $2`];
    const add = (sql: (n: string) => string, value: unknown) => {
      values.push(value);
      where.push(sql(`$${values.length}`));
    };
    if (query.from) add((n) => `"booking_date" >= ${n}::date`, query.from);
    if (query.to) add((n) => `"booking_date" <= ${n}::date`, query.to);
    if (query.category) add((n) => `"category" = ${n}`, query.category);
    if (query.accountRef) add((n) => `"account_ref" = ${n}`, query.accountRef);
    if (query.cursor) {
      const [date, id] = decodeCursor(query.cursor, 2);
      values.push(String(date), String(id));
      where.push(`("booking_date", "id") > ($${values.length - 1}::date, $${values.length}::uuid)`);
    }
    values.push(query.limit + 1);
    const { rows } = await this.options.pool.query(
      `select ${TRANSACTION_COLUMNS} from "transactions" where ${where.join(' and ')}
       order by "booking_date", "id" limit $${values.length}`,
      values,
    );
    const items = (rows as Parameters<typeof transactionFromRow>[0][]).map(transactionFromRow);
    const page = items.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: items.length > query.limit && last ? encodeCursor([last.bookingDate, last.id]) : null,
    };
  }

  /**
   * Sets a manual category (rules never overwrite it), or with null clears it: the tenant's rules
   * categorise the transaction again (uncategorised when none matches).
   */
  async setCategory(
    em: EntityManager,
    actor: Principal,
    companyId: string,
    transactionId: string,
    category: string | null,
  ): Promise<StoredTransaction> {
    await this.options.companies.get(em, actor, companyId);
    const current = await this.get(actor.organizationId, companyId, transactionId);
    let next: { category: string | null; source: string | null; ruleId: string | null };
    if (category !== null) next = { category, source: 'manual', ruleId: null };
    else {
      const rules = await loadCategoryRules(this.options.pool, actor.organizationId);
      const { category: _c, categorySource: _s, ...bare } = current;
      const [t] = categorise([bare], rules);
      next = {
        category: t!.category ?? null,
        source: t!.category === undefined ? null : 'rule',
        ruleId: t!.matchedRuleId,
      };
    }
    await this.options.pool.query(
      `update "transactions" set "category" = $4, "category_source" = $5, "category_rule_id" = $6, "updated_at" = now()
       where "organization_id" = $1 and "company_id" = $2 and "id" = $3`,
      [actor.organizationId, companyId, transactionId, next.category, next.source, next.ruleId],
    );
    recordAudit(
      em,
      actor,
      'transaction.categorise',
      { type: 'transaction', id: transactionId },
      { from: current.category ?? null, to: next.category, source: next.source },
    );
    await em.flush();
    await this.options.onChange?.(actor.organizationId, companyId);
    return this.get(actor.organizationId, companyId, transactionId);
  }

  private async get(organizationId: string, companyId: string, id: string): Promise<StoredTransaction> {
    const { rows } = await this.options.pool.query(
      `select ${TRANSACTION_COLUMNS} from "transactions" where "organization_id" = $1 and "company_id" = $2 and "id" = $3`,
      [organizationId, companyId, id],
    );
    const row = rows[0] as Parameters<typeof transactionFromRow>[0] | undefined;
    if (!row) throw problems.notFound(`Transaction ${id}`);
    return transactionFromRow(row);
  }
}
