import { toDecimalString, type CurrencyCode } from '@greenfin/core';
import type { StoredCategoryRule, StoredTransaction } from '@greenfin/workflows';
import type { MoneyJson } from '../../http/schemas.js';
import type { CategoryRuleJson, TransactionJson } from './transactions.schemas.js';

/** Minor units as `{ amount: "123.45", currency }`. */
export function moneyJson(amount: number, currency: CurrencyCode): MoneyJson {
  return { amount: toDecimalString({ amount, currency }), currency };
}

/** A stored transaction as the API shows it. */
export function toTransactionJson(t: StoredTransaction): TransactionJson {
  return {
    id: t.id,
    companyId: t.companyId,
    accountRef: t.accountRef,
    bookingDate: t.bookingDate,
    amount: moneyJson(t.amount, t.currency),
    description: t.description,
    counterparty: t.counterparty ?? null,
    category: t.category ?? null,
    categorySource: t.categorySource ?? null,
    categoryRuleId: t.categoryRuleId,
    balanceAfter: t.balanceAfter === undefined ? null : moneyJson(t.balanceAfter, t.currency),
    source: t.source,
    importId: t.importId,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** A stored categorisation rule as the API shows it. */
export function toCategoryRuleJson(r: StoredCategoryRule): CategoryRuleJson {
  return {
    id: r.id,
    field: r.field,
    match: r.match,
    pattern: r.pattern,
    amountSign: r.amountSign ?? 'any',
    category: r.category,
    priority: r.priority,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
