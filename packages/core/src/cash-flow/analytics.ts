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
import { validateTransaction, type Transaction } from './transaction.js';

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

interface AccountLedger {
  days: number[];
  amounts: number[];
  balances: (number | undefined)[];
}

/**
 * Balance of one account at the end of each day in `ends` (ascending day numbers), from the
 * nearest stated `balanceAfter`: the last one on or before the day plus the amounts booked since,
 * or else the first one after it minus the amounts booked in between. Null without any.
 */
function accountBalances(ledger: AccountLedger, ends: readonly number[]): (number | null)[] {
  const n = ledger.days.length;
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) sorted = ledger.days[k - 1]! <= ledger.days[k]!;
  let { days, amounts, balances } = ledger;
  if (!sorted) {
    // Stable: within a day, the bank's order (which balanceAfter follows) is kept.
    const order = days.map((_, k) => k).sort((a, b) => days[a]! - days[b]!);
    days = order.map((k) => ledger.days[k]!);
    amounts = order.map((k) => ledger.amounts[k]!);
    balances = order.map((k) => ledger.balances[k]);
  }
  const prefix = new Float64Array(n + 1); // prefix[k] = Σ amounts[0..k−1]
  const lastAnchor = new Int32Array(n + 1).fill(-1); // last anchor index < k
  for (let k = 0; k < n; k++) {
    prefix[k + 1] = prefix[k]! + amounts[k]!;
    lastAnchor[k + 1] = balances[k] !== undefined ? k : lastAnchor[k]!;
  }
  const nextAnchor = new Int32Array(n + 1).fill(-1); // first anchor index ≥ k
  for (let k = n - 1; k >= 0; k--) nextAnchor[k] = balances[k] !== undefined ? k : nextAnchor[k + 1]!;
  let pos = 0; // transactions booked on or before the current end
  return ends.map((end) => {
    while (pos < n && days[pos]! <= end) pos++;
    const before = lastAnchor[pos]!;
    if (before >= 0) return balances[before]! + prefix[pos]! - prefix[before + 1]!;
    const after = nextAnchor[pos]!;
    if (after >= 0) return balances[after]! - (prefix[after + 1]! - prefix[pos]!);
    return null;
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
  const ledgers = new Map<string, AccountLedger>();
  const needLedgers = input.openingBalance === undefined;
  let currency = input.currency;
  let nonOperatingNet = 0;

  for (let i = 0; i < transactions.length; i++) {
    const t = validateTransaction(transactions[i], `transactions[${i}]`);
    if (currency === undefined) currency = t.currency;
    else if (t.currency !== currency) {
      throw new GreenfinError(
        ErrorCode.CurrencyMismatch,
        `transactions[${i}].currency`,
        `is ${t.currency} but the window is in ${currency}; convert it first`,
      );
    }
    const date = tryParseDate(t.bookingDate)!;
    const day = toDayNumber(date);
    const amount = t.amount;
    if (needLedgers) {
      let ledger = ledgers.get(t.accountRef);
      if (!ledger) ledgers.set(t.accountRef, (ledger = { days: [], amounts: [], balances: [] }));
      ledger.days.push(day);
      ledger.amounts.push(amount);
      ledger.balances.push(t.balanceAfter);
    }
    if (day < fromDay || day > toDay) continue;
    const p = periodNumber(granularity, date, day) - firstPeriod;
    if (amount > 0) inflow[p]! += amount;
    else outflow[p]! += amount;
    counts[p]!++;
    monthNet[date.year * 12 + date.month - 1 - firstMonth]! += amount;
    const category = t.category ?? null;
    if (category !== null && nonOperating.has(category)) nonOperatingNet += amount;
    let c = categories.get(category);
    if (!c) categories.set(category, (c = { inflow: 0, outflow: 0, count: 0 }));
    if (amount > 0) c.inflow += amount;
    else c.outflow += amount;
    c.count++;
    if (t.counterparty !== undefined && t.counterparty.trim() !== '') {
      const name = t.counterparty.trim();
      let cp = counterparties.get(name);
      if (!cp) counterparties.set(name, (cp = { inflow: 0, outflow: 0, count: 0 }));
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
  if (!needLedgers) {
    let running = input.openingBalance!;
    closing = spans.map((_, p) => (running += inflow[p]! + outflow[p]!));
  } else if (ledgers.size === 0) {
    closing = spans.map(() => null);
  } else {
    closing = spans.map(() => 0);
    for (const ledger of ledgers.values()) {
      const balances = accountBalances(ledger, ends);
      balances.forEach((b, p) => {
        closing[p] = b === null || closing[p] === null ? null : closing[p]! + b;
      });
    }
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

  const topCounterparties = [...counterparties]
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
