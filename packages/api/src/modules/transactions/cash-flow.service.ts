/**
 * Cash-flow analytics of a company, computed by core's `cashFlowAnalytics` over its stored
 * transactions and cached per tenant and company (the generational cache the green scores use):
 * every ingest, manual recategorisation and recategorisation job drops the company's entry, and a
 * value computed from rows read before such a drop is never stored after it.
 */
import {
  cashFlowAnalytics,
  type CashFlowAnalytics,
  type CurrencyCode,
  type Granularity,
  type IsoDate,
  type Transaction,
} from '@greenfin/core';
import { loadCompanyTransactions } from '@greenfin/workflows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { cashFlowCacheKey as cacheKey, type GenerationalCache } from '../../cache/generational-cache.js';
import type { Clock } from '../../clock.js';
import type { Principal } from '../../http/context.js';
import { problems } from '../../http/problem.js';
import type { CompaniesService } from '../companies/companies.service.js';
import type { CashFlowJson } from './transactions.schemas.js';
import { moneyJson } from './transactions.views.js';

/**
 * Categories that are not operating cash flow (financing and owner flows): left out of the
 * average net operating cash flow DSCR divides (docs/cash-flow.md). Name rules' categories so.
 */
export const NON_OPERATING_CATEGORIES: readonly string[] = [
  'loan-drawdown',
  'loan-repayment',
  'owner-transfer',
  'internal-transfer',
];

export interface CashFlowServiceOptions {
  pool: Pool;
  companies: CompaniesService;
  cache: GenerationalCache;
  clock: Clock;
}

/** Analytics plus when they were computed. */
export interface CashFlowResult {
  analytics: CashFlowAnalytics;
  computedAt: string;
}

/** Bumped when the cached shape or the analytics change. */
const CACHE_VERSION = 'cf1';

function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The window underwriting reads: the last 12 complete calendar months of the company's data —
 * ending on the last month end on or before its latest booking date (a month is complete once
 * its last day is booked or past), starting 12 months earlier or at the first month with
 * transactions, whichever is later. Null with no complete month.
 *
 * @example underwritingWindow('2024-01-03', '2025-03-14') // { from: '2024-03-01', to: '2025-02-28' }
 */
export function underwritingWindow(first: IsoDate, last: IsoDate): { from: IsoDate; to: IsoDate } | null {
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  let endYear = ly;
  let endMonth = lm;
  if (last !== lastDayOfMonth(ly, lm)) {
    endMonth -= 1;
    if (endMonth === 0) {
      endMonth = 12;
      endYear -= 1;
    }
  }
  const endIndex = endYear * 12 + endMonth - 1;
  const [fy, fm] = first.split('-').map(Number) as [number, number];
  const startIndex = Math.max(endIndex - 11, fy * 12 + fm - 1);
  if (startIndex > endIndex) return null;
  const sy = Math.floor(startIndex / 12);
  const sm = (startIndex % 12) + 1;
  return {
    from: `${sy}-${String(sm).padStart(2, '0')}-01` as IsoDate,
    to: lastDayOfMonth(endYear, endMonth) as IsoDate,
  };
}

/** Company cash-flow analytics, cached. */
export class CashFlowService {
  constructor(private readonly options: CashFlowServiceOptions) {}

  /** Drops the company's cached analytics (after its transactions or their categories change). */
  invalidate(organizationId: string, companyId: string): Promise<void> {
    return this.options.cache.invalidate(cacheKey(organizationId, companyId));
  }

  /**
   * Analytics of one of the caller's companies for a window (default: its first to its last
   * booking date). 404 for another tenant's company; 422 when it has no transactions and no
   * window was given.
   */
  async get(
    em: EntityManager,
    actor: Principal,
    companyId: string,
    query: { from?: string | undefined; to?: string | undefined; granularity: Granularity },
  ): Promise<{ result: CashFlowJson; cached: boolean }> {
    await this.options.companies.get(em, actor, companyId);
    const key = cacheKey(actor.organizationId, companyId);
    const field = `${CACHE_VERSION}:${query.from ?? '*'}:${query.to ?? '*'}:${query.granularity}`;
    const { value, generation } = await this.options.cache.get(key, field);
    if (value !== undefined) return { result: JSON.parse(value) as CashFlowJson, cached: true };
    const transactions = await loadCompanyTransactions(this.options.pool, actor.organizationId, companyId);
    const currency = await this.currency(actor.organizationId, companyId, transactions);
    const from = query.from ?? transactions[0]?.bookingDate;
    const to = query.to ?? transactions.at(-1)?.bookingDate;
    if (!from || !to || !currency) {
      // Without a bank account there is no currency to report in, even for a given window.
      throw problems.unprocessable(
        currency
          ? 'The company has no transactions yet: ingest some, or give both `from` and `to`.'
          : 'The company has no bank accounts or transactions yet: ingest some first.',
        'no-transactions',
      );
    }
    if (to < from) {
      throw problems.validation([
        {
          in: 'query',
          pointer: '#/to',
          code: 'dates_out_of_order',
          detail: `must be on or after from (${from})`,
        },
      ]);
    }
    const analytics = cashFlowAnalytics({
      transactions,
      from: from as IsoDate,
      to: to as IsoDate,
      granularity: query.granularity,
      currency,
      nonOperatingCategories: NON_OPERATING_CATEGORIES,
    });
    const result = toCashFlowJson(companyId, analytics, this.options.clock().toISOString());
    await this.options.cache.set(key, field, JSON.stringify(result), generation);
    return { result, cached: false };
  }

  /**
   * Analytics of the last 12 complete months (see {@link underwritingWindow}) for pricing a loan,
   * or null when the company has no complete month of transactions. Cached like `get` (also the
   * null), so a simulation of a company without transactions costs no query after the first.
   */
  async forUnderwriting(
    organizationId: string,
    companyId: string,
  ): Promise<{ analytics: CashFlowAnalytics } | null> {
    const key = cacheKey(organizationId, companyId);
    const field = `${CACHE_VERSION}:underwriting`;
    const { value, generation } = await this.options.cache.get(key, field);
    if (value !== undefined) return JSON.parse(value) as { analytics: CashFlowAnalytics } | null;
    const transactions = await loadCompanyTransactions(this.options.pool, organizationId, companyId);
    const window =
      transactions.length === 0
        ? null
        : underwritingWindow(transactions[0]!.bookingDate, transactions.at(-1)!.bookingDate);
    const result = window
      ? {
          analytics: cashFlowAnalytics({
            transactions,
            ...window,
            granularity: 'month',
            nonOperatingCategories: NON_OPERATING_CATEGORIES,
          }),
        }
      : null;
    await this.options.cache.set(key, field, JSON.stringify(result), generation);
    return result;
  }

  private async currency(
    organizationId: string,
    companyId: string,
    transactions: readonly Transaction[],
  ): Promise<CurrencyCode | undefined> {
    if (transactions[0]) return transactions[0].currency;
    const { rows } = await this.options.pool.query<{ currency: string }>(
      `select "currency" from "bank_accounts" where "organization_id" = $1 and "company_id" = $2 limit 1`,
      [organizationId, companyId],
    );
    return rows[0]?.currency as CurrencyCode | undefined;
  }
}

const round = (x: number) => Math.round(x);

/** Core's analytics with money as decimal strings. */
export function toCashFlowJson(companyId: string, a: CashFlowAnalytics, computedAt: string): CashFlowJson {
  const m = (minor: number) => moneyJson(round(minor), a.currency);
  const mOrNull = (minor: number | null) => (minor === null ? null : m(minor));
  return {
    companyId,
    currency: a.currency,
    from: a.from,
    to: a.to,
    granularity: a.granularity,
    periods: a.periods.map((p) => ({
      start: p.start,
      end: p.end,
      inflow: m(p.inflow),
      outflow: m(p.outflow),
      net: m(p.net),
      closingBalance: mOrNull(p.closingBalance),
      transactionCount: p.transactionCount,
    })),
    totals: {
      inflow: m(a.totals.inflow),
      outflow: m(a.totals.outflow),
      net: m(a.totals.net),
      transactionCount: a.totals.transactionCount,
    },
    days: a.days,
    months: a.months,
    averageMonthlyNet: m(a.averageMonthlyNet),
    averageMonthlyNetOperatingCashFlow: m(a.averageMonthlyNetOperatingCashFlow),
    nonOperatingCategories: [...NON_OPERATING_CATEGORIES],
    burnRate: m(a.burnRate),
    volatility: {
      meanNet: m(a.volatility.meanNet),
      standardDeviation: mOrNull(a.volatility.standardDeviation),
      coefficientOfVariation: a.volatility.coefficientOfVariation,
    },
    topCounterparties: a.topCounterparties.map((c) => ({
      counterparty: c.counterparty,
      inflow: m(c.inflow),
      outflow: m(c.outflow),
      volume: m(c.volume),
      transactionCount: c.transactionCount,
    })),
    categoryBreakdown: a.categoryBreakdown.map((c) => ({
      category: c.category,
      inflow: m(c.inflow),
      outflow: m(c.outflow),
      net: m(c.net),
      transactionCount: c.transactionCount,
    })),
    seasonality: a.seasonality.map((s) => ({
      month: s.month,
      observations: s.observations,
      averageNet: mOrNull(s.averageNet),
      deviationFromMean: mOrNull(s.deviationFromMean),
      ratioToMean: s.ratioToMean,
    })),
    latestClosingBalance: mOrNull(a.latestClosingBalance),
    averageDailyOutflow: m(a.averageDailyOutflow),
    daysCashOnHand: a.daysCashOnHand,
    computedAt,
  };
}
