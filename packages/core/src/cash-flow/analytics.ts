/**
 * Cash-flow analytics over a window of bank transactions: inflow, outflow and net per calendar
 * period with closing balances, burn rate, volatility, counterparties, categories, seasonality and
 * days of cash on hand. Money sums are exact integers; averages are rounded half-even to minor
 * units. Formulas and sign conventions: docs/methodology/cash-flow.md.
 */
import { daysInMonth, fromDayNumber, parseDate, toDayNumber, tryParseDate, type IsoDate } from '../dates.js';
import { ErrorCode, GreenfinError, assertInteger, assertOneOf, invariant } from '../errors.js';
import { assertCurrency, assertMinorUnits, type CurrencyCode } from '../money.js';
import { halfEven } from '../rounding.js';
import { GRANULARITIES, periodDays, periodNumber, type Granularity } from './periods.js';
import { hasValidFieldsExceptDate, validateTransaction, type Transaction } from './transaction.js';

export interface CashFlowAnalyticsInput {
  readonly transactions: readonly Transaction[];
  /** First day of the window (inclusive). */
  readonly from: IsoDate;
  /** Last day of the window (inclusive). */
  readonly to: IsoDate;
  readonly granularity: Granularity;
  /**
   * Combined balance of all accounts at the start of `from`, minor units. When given, closing
   * balances are `openingBalance + running net`; otherwise they come from `balanceAfter`.
   */
  readonly openingBalance?: number;
  /** The window's currency; required only when there are no transactions. */
  readonly currency?: CurrencyCode;
  /**
   * Categories that are not operating cash flow (loan drawdowns, existing loan repayments, owner
   * transfers…): left out of `averageMonthlyNetOperatingCashFlow`, still in every other figure.
   */
  readonly nonOperatingCategories?: readonly string[];
  /** How many counterparties to rank. Default 10. */
  readonly topCounterparties?: number;
}

/** One period. `inflow` ≥ 0, `outflow` ≤ 0 (signed), `net = inflow + outflow`, minor units. */
export interface CashFlowPeriod {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly inflow: number;
  readonly outflow: number;
  readonly net: number;
  /** Combined balance at the end of `end`, or null when some account's balance is unknown. */
  readonly closingBalance: number | null;
  readonly transactionCount: number;
}

/** Money in and out with one counterparty over the window. `volume = inflow − outflow` (≥ 0). */
export interface CounterpartyVolume {
  readonly counterparty: string;
  readonly inflow: number;
  readonly outflow: number;
  readonly volume: number;
  readonly transactionCount: number;
}

/** Totals per category over the window; `category` null collects the uncategorised. */
export interface CategoryTotal {
  readonly category: string | null;
  readonly inflow: number;
  readonly outflow: number;
  readonly net: number;
  readonly transactionCount: number;
}

/** One calendar month of the year across the window's complete calendar months. */
export interface SeasonalityMonth {
  /** 1 = January … 12 = December. */
  readonly month: number;
  /** Complete calendar months of this name inside the window. */
  readonly observations: number;
  /** Mean net of those months (minor units, half-even), null with no observation. */
  readonly averageNet: number | null;
  /** `averageNet − mean monthly net` (minor units), null with no observation. */
  readonly deviationFromMean: number | null;
  /** `averageNet / mean monthly net`, null with no observation or a zero mean. */
  readonly ratioToMean: number | null;
}

export interface CashFlowVolatility {
  /** Mean of the period nets (minor units, unrounded). */
  readonly meanNet: number;
  /** Sample standard deviation (n − 1) of the period nets, null with fewer than 2 periods. */
  readonly standardDeviation: number | null;
  /** `standardDeviation / |meanNet|`, null when either is unavailable or the mean is 0. */
  readonly coefficientOfVariation: number | null;
}

export interface CashFlowAnalytics {
  readonly currency: CurrencyCode;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly granularity: Granularity;
  readonly periods: readonly CashFlowPeriod[];
  /** Window totals: exact sums of the in-window amounts. */
  readonly totals: {
    readonly inflow: number;
    readonly outflow: number;
    readonly net: number;
    readonly transactionCount: number;
  };
  /** Days in the window (inclusive). */
  readonly days: number;
  /** Calendar months in the window, partial months counted as days / days in that month. */
  readonly months: number;
  /** `totals.net / months`, minor units per month (half-even). */
  readonly averageMonthlyNet: number;
  /** Like `averageMonthlyNet` but without `nonOperatingCategories`: what DSCR divides. */
  readonly averageMonthlyNetOperatingCashFlow: number;
  /** `max(0, −averageMonthlyNet)`: minor units a month the business consumes (0 when net positive). */
  readonly burnRate: number;
  readonly volatility: CashFlowVolatility;
  /** By `volume` descending, ties by name; transactions without a counterparty are not ranked. */
  readonly topCounterparties: readonly CounterpartyVolume[];
  /** By `inflow − outflow` descending, ties by name (uncategorised last among equals). */
  readonly categoryBreakdown: readonly CategoryTotal[];
  /** Twelve entries, January first. */
  readonly seasonality: readonly SeasonalityMonth[];
  /** Closing balance of the last period whose balance is known, else null. */
  readonly latestClosingBalance: number | null;
  /** `−totals.outflow / days`, minor units per day (unrounded, ≥ 0). */
  readonly averageDailyOutflow: number;
  /** `max(0, latestClosingBalance) / averageDailyOutflow`; null without a balance or any outflow. */
  readonly daysCashOnHand: number | null;
}

/**
 * Combined balance of all accounts at the end of each period, from the stated `balanceAfter`s.
 * Per account, `balance = Σ amounts booked so far + offset`, where `offset = balanceAfter − Σ
 * amounts up to and including that transaction` for the latest transaction stating a balance on or
 * before the period end — or, when none has yet, the account's first such transaction after it
 * (backing out the amounts in between). Transactions are walked in date order (the bank's order
 * within a day); a period is null when some account states no balance at all.
 */
function closingBalancesFromStatements(
  transactions: readonly Transaction[],
  txDay: Int32Array,
  txAccount: Int32Array,
  accountCount: number,
  periodEnds: readonly number[],
  sorted: boolean,
): (number | null)[] {
  const n = txDay.length;
  const order = sorted
    ? null
    : Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => txDay[a]! - txDay[b]! || a - b);
  const prefix = new Float64Array(accountCount);
  const offset = new Float64Array(accountCount).fill(Number.NaN);
  const firstOffset = new Float64Array(accountCount).fill(Number.NaN);
  // Per period, Σ prefixes and Σ known offsets, and the accounts still waiting for a first anchor.
  const snapshots: { sum: number; pending: Int32Array; pendingPrefix: Float64Array }[] = [];
  const snapshot = () => {
    let sum = 0;
    const pending: number[] = [];
    const pendingPrefix: number[] = [];
    for (let a = 0; a < accountCount; a++) {
      if (Number.isNaN(offset[a]!)) {
        pending.push(a);
        pendingPrefix.push(prefix[a]!);
      } else sum += prefix[a]! + offset[a]!;
    }
    snapshots.push({
      sum,
      pending: Int32Array.from(pending),
      pendingPrefix: Float64Array.from(pendingPrefix),
    });
  };
  let p = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const day = txDay[i]!;
    while (p < periodEnds.length && periodEnds[p]! < day) {
      snapshot();
      p++;
    }
    const a = txAccount[i]!;
    const t = transactions[i]!;
    prefix[a]! += t.amount;
    if (t.balanceAfter !== undefined) {
      offset[a] = t.balanceAfter - prefix[a]!;
      if (Number.isNaN(firstOffset[a]!)) firstOffset[a] = offset[a]!;
    }
  }
  while (p < periodEnds.length) {
    snapshot();
    p++;
  }
  return snapshots.map(({ sum, pending, pendingPrefix }) => {
    let total = sum;
    for (let j = 0; j < pending.length; j++) {
      const first = firstOffset[pending[j]!]!;
      if (Number.isNaN(first)) return null;
      total += pendingPrefix[j]! + first;
    }
    return total;
  });
}

/** Fractional calendar months from `fromDay` to `toDay` inclusive. */
function calendarMonths(fromDay: number, toDay: number): number {
  let months = 0;
  for (const [s, e] of periodDays(fromDay, toDay, 'month')) {
    const d = fromDayNumber(s);
    months += (e - s + 1) / daysInMonth(d.year, d.month);
  }
  return months;
}

const byName = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * Cash-flow analytics of the transactions booked from `from` to `to` (inclusive), bucketed by
 * calendar month, quarter or ISO week. Sign convention: amounts are signed (+ in, − out), so
 * `inflow` ≥ 0, `outflow` ≤ 0 and `net = inflow + outflow`. Transactions outside the window count
 * only towards closing balances derived from `balanceAfter`. Mixed currencies throw
 * `currency_mismatch`.
 *
 * @example
 * const a = cashFlowAnalytics({
 *   transactions: [
 *     { accountRef: 'acc', bookingDate: '2025-01-10', amount: 500_000, currency: 'GBP', description: 'Invoice 101' },
 *     { accountRef: 'acc', bookingDate: '2025-01-20', amount: -200_000, currency: 'GBP', description: 'Payroll' },
 *     { accountRef: 'acc', bookingDate: '2025-02-20', amount: -350_000, currency: 'GBP', description: 'Payroll' },
 *   ],
 *   from: '2025-01-01', to: '2025-02-28', granularity: 'month', openingBalance: 1_000_000,
 * });
 * a.periods.map((p) => p.net);            // [300000, -350000]
 * a.periods.map((p) => p.closingBalance); // [1300000, 950000]
 * a.burnRate;                             // 25000 (minor units a month)
 */
export function cashFlowAnalytics(input: CashFlowAnalyticsInput): CashFlowAnalytics {
  invariant(typeof input === 'object' && input !== null, ErrorCode.InvalidType, 'input', 'must be an object');
  const { transactions, granularity } = input;
  const fromDate = parseDate(input.from, 'from');
  const fromDay = toDayNumber(fromDate);
  const toDay = toDayNumber(parseDate(input.to, 'to'));
  invariant(toDay >= fromDay, ErrorCode.DatesOutOfOrder, 'to', `must be on or after from (${input.from})`);
  assertOneOf(granularity, GRANULARITIES, 'granularity');
  if (input.openingBalance !== undefined) assertMinorUnits(input.openingBalance, 'openingBalance');
  if (input.currency !== undefined) assertCurrency(input.currency, 'currency');
  const topN = input.topCounterparties ?? 10;
  assertInteger(topN, 'topCounterparties', 0);
  const nonOperating = new Set(input.nonOperatingCategories ?? []);
  invariant(Array.isArray(transactions), ErrorCode.InvalidType, 'transactions', 'must be an array');

  const spans = periodDays(fromDay, toDay, granularity);
  const firstPeriod = periodNumber(granularity, fromDate, fromDay);
  const inflow = new Float64Array(spans.length);
  const outflow = new Float64Array(spans.length);
  const counts = new Uint32Array(spans.length);
  const firstMonth = fromDate.year * 12 + fromDate.month - 1;
  const monthSpans = periodDays(fromDay, toDay, 'month');
  const monthNet = new Float64Array(monthSpans.length);
  const counterparties = new Map<string, { inflow: number; outflow: number; count: number }>();
  const categories = new Map<string | null, { inflow: number; outflow: number; count: number }>();
  const needBalances = input.openingBalance === undefined;
  const accountIndex = new Map<string, number>();
  const txDay = new Int32Array(needBalances ? transactions.length : 0);
  const txAccount = new Int32Array(needBalances ? transactions.length : 0);
  let sorted = true;
  let currency = input.currency;
  let nonOperatingNet = 0;

  // Bank files list many transactions per day and per account: the last date and account are
  // reused instead of parsed or looked up again.
  let lastDate: unknown = NOT_A_DATE;
  let day = -(2 ** 31);
  let period = 0;
  let month = 0;
  let lastAccount: unknown;
  let account = -1;
  for (let i = 0; i < transactions.length; i++) {
    const item: unknown = transactions[i];
    if (
      typeof item !== 'object' ||
      item === null ||
      !hasValidFieldsExceptDate(item as Record<string, unknown>)
    ) {
      validateTransaction(item, `transactions[${i}]`); // throws, naming the field
    }
    const t = item as Transaction;
    if (t.currency !== currency) {
      if (currency === undefined) currency = t.currency;
      else {
        throw new GreenfinError(
          ErrorCode.CurrencyMismatch,
          `transactions[${i}].currency`,
          `is ${t.currency} but the window is in ${currency}; convert it first`,
        );
      }
    }
    if (t.bookingDate !== lastDate) {
      const date = tryParseDate(t.bookingDate);
      if (!date) validateTransaction(item, `transactions[${i}]`);
      lastDate = t.bookingDate;
      const next = toDayNumber(date!);
      if (next < day) sorted = false;
      day = next;
      period = periodNumber(granularity, date!, day) - firstPeriod;
      month = date!.year * 12 + date!.month - 1 - firstMonth;
    }
    const amount = t.amount;
    if (needBalances) {
      if (t.accountRef !== lastAccount) {
        lastAccount = t.accountRef;
        account = accountIndex.get(t.accountRef) ?? accountIndex.size;
        if (account === accountIndex.size) accountIndex.set(t.accountRef, account);
      }
      txDay[i] = day;
      txAccount[i] = account;
    }
    if (day < fromDay || day > toDay) continue;
    if (amount > 0) inflow[period]! += amount;
    else outflow[period]! += amount;
    counts[period]!++;
    monthNet[month]! += amount;
    const category = t.category ?? null;
    if (category !== null && nonOperating.has(category)) nonOperatingNet += amount;
    let c = categories.get(category);
    if (!c) categories.set(category, (c = { inflow: 0, outflow: 0, count: 0 }));
    if (amount > 0) c.inflow += amount;
    else c.outflow += amount;
    c.count++;
    if (t.counterparty !== undefined) {
      // Keyed by the raw name here; names differing only in surrounding spaces merge below.
      let cp = counterparties.get(t.counterparty);
      if (!cp) counterparties.set(t.counterparty, (cp = { inflow: 0, outflow: 0, count: 0 }));
      if (amount > 0) cp.inflow += amount;
      else cp.outflow += amount;
      cp.count++;
    }
  }
  invariant(
    currency !== undefined,
    ErrorCode.Required,
    'currency',
    'is required when there are no transactions',
  );

  // Closing balances.
  const ends = spans.map(([, e]) => e);
  let closing: (number | null)[];
  if (!needBalances) {
    let running = input.openingBalance!;
    closing = spans.map((_, p) => (running += inflow[p]! + outflow[p]!));
  } else if (accountIndex.size === 0) {
    closing = spans.map(() => null);
  } else {
    closing = closingBalancesFromStatements(transactions, txDay, txAccount, accountIndex.size, ends, sorted);
  }

  const periods: CashFlowPeriod[] = spans.map(([s, e], p) => ({
    start: isoOf(s),
    end: isoOf(e),
    inflow: inflow[p]!,
    outflow: outflow[p]! === 0 ? 0 : outflow[p]!,
    net: inflow[p]! + outflow[p]!,
    closingBalance: closing[p]!,
    transactionCount: counts[p]!,
  }));
  const totals = periods.reduce(
    (s, p) => ({
      inflow: s.inflow + p.inflow,
      outflow: s.outflow + p.outflow,
      net: s.net + p.net,
      transactionCount: s.transactionCount + p.transactionCount,
    }),
    { inflow: 0, outflow: 0, net: 0, transactionCount: 0 },
  );

  const days = toDay - fromDay + 1;
  const months = calendarMonths(fromDay, toDay);
  const averageMonthlyNet = zero(halfEven(totals.net / months));
  const averageMonthlyNetOperatingCashFlow = zero(halfEven((totals.net - nonOperatingNet) / months));
  const burnRate = averageMonthlyNet < 0 ? -averageMonthlyNet : 0;

  const nets = periods.map((p) => p.net);
  const meanNet = nets.reduce((s, x) => s + x, 0) / nets.length;
  const standardDeviation =
    nets.length < 2 ? null : Math.sqrt(nets.reduce((s, x) => s + (x - meanNet) ** 2, 0) / (nets.length - 1));
  const volatility: CashFlowVolatility = {
    meanNet,
    standardDeviation,
    coefficientOfVariation:
      standardDeviation === null || meanNet === 0 ? null : standardDeviation / Math.abs(meanNet),
  };

  const byCounterparty = new Map<string, { inflow: number; outflow: number; count: number }>();
  for (const [raw, v] of counterparties) {
    const name = raw.trim();
    if (name === '') continue;
    const merged = byCounterparty.get(name);
    if (!merged) byCounterparty.set(name, { ...v });
    else {
      merged.inflow += v.inflow;
      merged.outflow += v.outflow;
      merged.count += v.count;
    }
  }
  const topCounterparties = [...byCounterparty]
    .map(([counterparty, v]) => ({
      counterparty,
      inflow: v.inflow,
      outflow: zero(v.outflow),
      volume: v.inflow - v.outflow,
      transactionCount: v.count,
    }))
    .sort((a, b) => b.volume - a.volume || byName(a.counterparty, b.counterparty))
    .slice(0, topN);
  const categoryBreakdown = [...categories]
    .map(([category, v]) => ({
      category,
      inflow: v.inflow,
      outflow: zero(v.outflow),
      net: v.inflow + v.outflow,
      transactionCount: v.count,
    }))
    .sort((a, b) => b.inflow - b.outflow - (a.inflow - a.outflow) || byName(a.category, b.category));

  const seasonality = seasonalityOf(monthSpans, monthNet);
  let latestClosingBalance: number | null = null;
  for (const p of periods) if (p.closingBalance !== null) latestClosingBalance = p.closingBalance;
  const averageDailyOutflow = zero(-totals.outflow / days);
  const daysCashOnHand =
    latestClosingBalance === null || averageDailyOutflow === 0
      ? null
      : Math.max(0, latestClosingBalance) / averageDailyOutflow;

  return {
    currency,
    from: input.from,
    to: input.to,
    granularity,
    periods,
    totals,
    days,
    months,
    averageMonthlyNet,
    averageMonthlyNetOperatingCashFlow,
    burnRate,
    volatility,
    topCounterparties,
    categoryBreakdown,
    seasonality,
    latestClosingBalance,
    averageDailyOutflow,
    daysCashOnHand,
  };
}

/** Equal to no booking date, so the first transaction's date is always parsed (and validated). */
const NOT_A_DATE = Symbol('no date yet');
const zero = (x: number) => (x === 0 ? 0 : x); // no −0 in results
function isoOf(day: number): IsoDate {
  const { year, month, day: d } = fromDayNumber(day);
  return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Averages the nets of complete calendar months by month of the year. */
function seasonalityOf(monthSpans: readonly [number, number][], monthNet: Float64Array): SeasonalityMonth[] {
  const sums = new Array<number>(12).fill(0);
  const obs = new Array<number>(12).fill(0);
  let total = 0;
  let complete = 0;
  monthSpans.forEach(([s, e], k) => {
    const d = fromDayNumber(s);
    if (d.day !== 1 || e - s + 1 !== daysInMonth(d.year, d.month)) return; // partial month
    sums[d.month - 1]! += monthNet[k]!;
    obs[d.month - 1]!++;
    total += monthNet[k]!;
    complete++;
  });
  const mean = complete === 0 ? 0 : total / complete;
  return sums.map((sum, m) => {
    const n = obs[m]!;
    if (n === 0)
      return { month: m + 1, observations: 0, averageNet: null, deviationFromMean: null, ratioToMean: null };
    const average = sum / n;
    return {
      month: m + 1,
      observations: n,
      averageNet: zero(halfEven(average)),
      deviationFromMean: zero(halfEven(average - mean)),
      ratioToMean: mean === 0 ? null : average / mean,
    };
  });
}
