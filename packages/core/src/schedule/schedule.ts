/**
 * Repayment schedules: annuity, linear, bullet and interest-only loans, with the interest of each
 * period accrued under a day-count convention, rounded to minor units, and the last instalment
 * absorbing every rounding so the principal repaid equals the principal lent to the minor unit.
 * Methodology and sources: docs/methodology/schedules.md.
 */
import { DAY_COUNTS, type DayCount } from '../day-count.js';
import type { IsoDate } from '../dates.js';
import { ErrorCode, GreenfinError, assertInRange, invariant } from '../errors.js';
import { assertCurrency, assertMinorUnits, isCurrency, type CurrencyCode } from '../money.js';
import { ROUNDING_MODES, halfEven, halfUp, type RoundingMode } from '../rounding.js';
import { levelPaymentConstant } from './annuity.js';
import { checkOneOf } from './checks.js';
import { FREQUENCIES, type Frequency } from './frequency.js';
import {
  cachedIsoDate,
  DAYS_BEFORE_MONTH,
  MONTH_DAY,
  MONTH_LENGTH,
  isUniform30360,
  periodTable,
  planDates,
  yearInfo,
} from './payment-dates.js';
import { civilYearFraction } from './period-fraction.js';

/** How the principal is repaid. */
export type RepaymentMethod = 'annuity' | 'linear' | 'bullet' | 'interest-only';
export const REPAYMENT_METHODS: readonly RepaymentMethod[] = ['annuity', 'linear', 'bullet', 'interest-only'];

/** What a schedule is built from. Amounts in minor units, rates as annual fractions. */
export interface ScheduleInput {
  /** Principal lent, minor units, integer > 0. */
  principal: number;
  currency: CurrencyCode;
  /** Annual nominal rate as a fraction (0.07 = 7 %); may be 0 or negative, must be > −1. */
  annualRate: number;
  /** Number of instalments, integer ≥ 1. */
  payments: number;
  /** Default `'monthly'`. */
  frequency?: Frequency;
  /** Default `'annuity'`. */
  method?: RepaymentMethod;
  /** Default `'30/360'`. */
  dayCount?: DayCount;
  /** Disbursement date. */
  startDate: IsoDate;
  /** Default one period after `startDate`; any other date makes the first period odd (short or long). */
  firstPaymentDate?: IsoDate;
  /** Rounding of each period's interest and of the level payment. Default `'half-even'`. */
  rounding?: RoundingMode;
}

/** One instalment. Amounts in minor units; `payment === interest + principal`. */
export interface Installment {
  /** 1-based instalment number. */
  readonly number: number;
  /** Due date. */
  readonly date: IsoDate;
  /** Actual days since the previous due date (the start date for the first). */
  readonly days: number;
  readonly payment: number;
  /** Interest accrued over the period (for a bullet loan, capitalised until maturity). */
  readonly interest: number;
  /** Principal repaid; negative when unpaid interest is capitalised (bullet; see the methodology). */
  readonly principal: number;
  /** Outstanding balance after this instalment. */
  readonly balance: number;
}

/** A complete repayment schedule with its totals (each the exact sum of the rows). */
export interface Schedule {
  readonly currency: CurrencyCode;
  readonly principal: number;
  readonly annualRate: number;
  readonly method: RepaymentMethod;
  readonly frequency: Frequency;
  readonly dayCount: DayCount;
  readonly rounding: RoundingMode;
  readonly startDate: IsoDate;
  /** Due date of the last instalment. */
  readonly maturityDate: IsoDate;
  installments: Installment[];
  /**
   * The instalment a borrower plans for: annuity — the rounded level payment (every row but the
   * last, which absorbs rounding); linear and interest-only — the first instalment; bullet — the
   * single payment at maturity.
   */
  readonly regularPayment: number;
  /** Payment of the last instalment. */
  readonly finalPayment: number;
  readonly totalInterest: number;
  readonly totalPayment: number;
  /** Always equals `principal`. */
  readonly totalPrincipal: number;
}

// rounding.ts treats values within max(1e-9, 1e-15·|x|) of a half as ties; outside the wider band
// 1e-8·max(1, |x|) every mode rounds to the nearest integer, so the hot path skips the tie logic.
const NEAR_TIE = 1e-8;

/** 2^31 − 1: the largest amount a row of the uniform annuity loop holds as a small integer. */
const INT32_MAX = 0x7fffffff;

// RepaymentMethod codes for the row loop (interest-only is 0).
const ANNUITY = 1;
const LINEAR = 2;
const BULLET = 3;

/** `annualRate × fraction`, rejecting a period whose rate would reach −100 % (1-based period in the message). */
function periodicRate(annualRate: number, fraction: number, k: number): number {
  const rate = annualRate * fraction;
  // Only a rate near −100 % over a period longer than a year can fail this.
  if (!(1 + rate > 0)) {
    throw new GreenfinError(
      ErrorCode.OutOfRange,
      'annualRate',
      `gives a periodic rate ≤ −100 % in period ${k + 1}`,
    );
  }
  return rate;
}

// 1.5 × 2^52. For |x| < 2^51, x + ROUND_SHIFT falls where doubles are exactly 1 apart, so the
// addition itself rounds x to the nearest integer, and subtracting the shift back is exact.
const ROUND_SHIFT = 6_755_399_441_055_744;

/**
 * `x` rounded to an integer under `halfEven`, or `halfUp` when `up`; never −0.
 *
 * The nearest integer comes first, from two additions — no `Math.floor` (a rounding loop built on
 * it measured over twice as slow on Node 20) and no branch on whether `x` rounds up or down (a coin
 * toss per row, which a branch would mispredict half the time, on the balance → interest → balance
 * dependency chain).
 * Only when `x` lies within `band` = 1e-8·max(1, |x|) of a .5 tie — where the modes differ, or
 * float noise could — does rounding.ts decide. Everywhere else the nearest integer is the answer of
 * both modes: `x − nearest` is exact, `x` is at least `band` from a half (far beyond the few ulps of
 * error of the tie test) and `band` exceeds rounding.ts's tie tolerance. From |x| ≥ 5e7 (including
 * |x| ≥ 2^51, NaN and ±∞) the band covers every value, so rounding.ts decides them all.
 * A plain module function, not a per-call closure, so the optimiser inlines it into the row loop.
 */
function roundAmount(x: number, up: boolean): number {
  const nearest = x + ROUND_SHIFT - ROUND_SHIFT; // never −0: a difference of equal doubles is +0
  // |x − nearest| ≤ 0.5 wherever the shift rounds correctly, so this is |(|x − nearest|) − 0.5|
  // there; elsewhere (|x| ≥ 2^51, NaN, ±∞) it is negative or NaN and rounding.ts decides.
  const distanceFromHalf = 0.5 - Math.abs(x - nearest);
  // distanceFromHalf > band, with band = 1e-8·max(1, |x|) as two plain comparisons.
  if (distanceFromHalf > NEAR_TIE && distanceFromHalf > NEAR_TIE * Math.abs(x)) return nearest;
  return up ? halfUp(x) : halfEven(x);
}

/**
 * The rounding function of `mode` (amounts in minor units) with a fast path: identical results to
 * `rounder(mode)` except that −0 becomes 0 (a property test checks it), but values clearly away
 * from a .5 tie round to nearest inline.
 *
 * @example amountRounder('half-even')(2.5) // 2
 */
export function amountRounder(mode: RoundingMode, path = 'rounding'): (x: number) => number {
  checkOneOf(mode, ROUNDING_MODES, path);
  const up = mode === 'half-up';
  return (x) => roundAmount(x, up);
}

/**
 * The rows of a regular 30/360 annuity paid on day 1–28 — the common case: every period has the
 * same rate, no day is clamped to a month end — written into `rows` (one per payment, ≥ 1). Due
 * dates step `step` months from month index `firstIndex` (year × 12 + month − 1) on `day`, the
 * first period's days counted from `startDay` (the start date's day number); the ISO strings come
 * from the per-year table of {@link yearInfo}. Returns the total interest, or NaN as
 * soon as a row falls outside what this loop handles (the level payment capped at the balance, or
 * below the interest), leaving the schedule to the general loop, which rebuilds every row.
 *
 * The caller guarantees `principal` and `level` ≤ 2^31 − 1. Every row that passes the check then has
 * all four amounts within ±(2^31 − 1) (`0 ≤ balance − next ≤ balance ≤ principal`, `interest` between
 * `level − balance` and `level`), so every operation below is exact and each row is the general
 * loop's: `payment` is `level` itself (`interest + (level − interest)`), the balance steps as
 * `balance − level + interest` (one subtraction off the rounding's dependency chain), and the
 * amounts enter the row through `| 0`, as int32 — small integers (Smis) without Math.round's
 * rounding and checked conversion per field. (The last row, whose payment can exceed the level,
 * goes through Math.round, as in the general loop.)
 *
 * A module function of plain values that never sees the caller's input object, so its optimised
 * code does not depend on the input's shape: `schedule()` deoptimising on a new shape (priceLoan's
 * spread `{ ...terms, annualRate }`) leaves this loop's code in place (before, the re-optimised
 * schedule ran about 1.5× slower).
 */
function uniformAnnuityRows(
  rows: Installment[],
  principal: number,
  level: number,
  rate: number,
  up: boolean,
  firstIndex: number,
  step: number,
  day: number,
  startDay: number,
): number {
  const last = rows.length - 1;
  const monthDays = MONTH_DAY;
  let y = Math.floor(firstIndex / 12);
  let m = firstIndex - y * 12 + 1;
  let info = yearInfo(y);
  let monthStart = info.monthStart;
  let dates = info.dates;
  let prefix = info.prefix;
  let previousDay = startDay;
  let balance = principal;
  let totalInterest = 0;
  let k = 0;
  for (; k < last; k++) {
    const interest = roundAmount(balance * rate, up);
    const next = balance - level + interest;
    if (!(next >= 0 && next <= balance)) return Number.NaN;
    totalInterest += interest;
    const dayNumber = monthStart[m]! + day - 1;
    const i = m * 32 + day;
    let date = dates[i]!;
    if (date.length === 0) date = dates[i] = prefix + monthDays[i]!;
    rows[k] = {
      number: k + 1,
      date,
      days: dayNumber - previousDay,
      payment: level | 0,
      interest: interest | 0,
      principal: (level - interest) | 0,
      balance: next | 0,
    };
    balance = next;
    previousDay = dayNumber;
    m += step;
    if (m > 12) {
      m -= 12;
      y++;
      info = yearInfo(y);
      monthStart = info.monthStart;
      dates = info.dates;
      prefix = info.prefix;
    }
  }
  // The last instalment clears the balance, absorbing all rounding.
  const interest = roundAmount(balance * rate, up);
  totalInterest += interest;
  rows[k] = {
    number: k + 1,
    date: cachedIsoDate(y, m, day),
    days: monthStart[m]! + day - 1 - previousDay,
    payment: Math.round(interest + balance),
    interest: Math.round(interest),
    principal: Math.round(balance),
    balance: 0,
  };
  return totalInterest;
}

/**
 * Builds the repayment schedule of a loan.
 *
 * Each period's interest is `round(balance × annualRate × yearFraction(previous date, date))`
 * under `dayCount`, rounded with `rounding`. Methods: `annuity` — equal instalments, the level
 * payment solved so the loan amortises over the actual period lengths; `linear` — equal principal
 * parts (the remainder spread one minor unit at a time over the first instalments) plus interest;
 * `interest-only` — interest each period, all principal with the last; `bullet` — nothing paid
 * until maturity, each period's interest capitalised (compounded at the payment frequency), one
 * payment of principal plus accrued interest at the end. The last instalment repays the whole
 * outstanding balance, so `Σ principal === principal` and the final balance is 0.
 *
 * Throws one {@link GreenfinError} naming the field for bad input.
 *
 * @example
 * const s = schedule({ principal: 10_000, currency: 'USD', annualRate: 0.094822, payments: 6, startDate: '2024-01-01' });
 * s.regularPayment // 1713 ($17.13)
 * s.installments[0] // { number: 1, date: '2024-02-01', days: 31, payment: 1713, interest: 79, principal: 1634, balance: 8366 }
 */
export function schedule(input: ScheduleInput): Schedule {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'schedule input must be an object',
  );
  const { principal, currency, annualRate, payments, startDate, firstPaymentDate } = input;
  // Cheap checks first; the errors.ts helpers (which build messages eagerly) run only on failure.
  if (!(Number.isSafeInteger(principal) && principal > 0)) {
    assertMinorUnits(principal, 'principal');
    throw new GreenfinError(ErrorCode.OutOfRange, 'principal', `must be > 0, got ${principal}`);
  }
  if (!isCurrency(currency)) assertCurrency(currency, 'currency');
  if (!(typeof annualRate === 'number' && annualRate > -1 && annualRate < Infinity)) {
    assertInRange(annualRate, 'annualRate', { min: -1, minExclusive: true });
  }
  const frequency = input.frequency === undefined ? 'monthly' : input.frequency;
  checkOneOf(frequency, FREQUENCIES, 'frequency');
  const method = input.method === undefined ? 'annuity' : input.method;
  checkOneOf(method, REPAYMENT_METHODS, 'method');
  const dayCount = input.dayCount === undefined ? '30/360' : input.dayCount;
  checkOneOf(dayCount, DAY_COUNTS, 'dayCount');
  const rounding = input.rounding === undefined ? 'half-even' : input.rounding;
  checkOneOf(rounding, ROUNDING_MODES, 'rounding');
  const up = rounding === 'half-up';

  const plan = planDates(startDate, payments, frequency, firstPaymentDate);
  // An int32 however it was passed (60 may arrive as the double 60 / 1, e.g. from priceLoan), so
  // the row loop counts and compares in integers: validated as a safe integer ≤ 1200 above.
  const n = plan.payments | 0;
  const last = n - 1;

  // A regular 30/360 schedule on days 1–28: every period is exactly `step` 30-day months, the same
  // fraction civilYearFraction would return, known without computing it — and so is the rate.
  const uniformFraction = dayCount === '30/360' && isUniform30360(plan) ? (30 * plan.step) / 360 : 0;
  const uniformRate = uniformFraction > 0 ? periodicRate(annualRate, uniformFraction, 0) : 0;

  // The annuity's level payment needs every period's rate before the first row.
  let level = 0;
  if (method === 'annuity') {
    if (uniformFraction > 0) {
      level = levelPaymentConstant(principal, uniformRate, n); // Excel's PMT
    } else {
      const { fractions } = periodTable(plan, dayCount, false);
      const firstRate = periodicRate(annualRate, fractions[0]!, 0);
      let uniform = true;
      let discount = 1;
      let annuityFactor = 0; // Σ_k Π_{j≤k} 1/(1 + r_j), as in levelPaymentVarying
      for (let k = 0; k < n; k++) {
        const rate = periodicRate(annualRate, fractions[k]!, k);
        if (rate !== firstRate) uniform = false;
        discount /= 1 + rate;
        annuityFactor += discount;
      }
      level = uniform ? levelPaymentConstant(principal, firstRate, n) : principal / annuityFactor;
    }
    level = roundAmount(level, up);
  }
  // Linear: equal principal parts, one extra minor unit on each of the first `remainder` rows.
  const part = Math.floor(principal / n);
  const remainder = principal - part * n;
  // The method as a small integer, so the row loop compares numbers, not strings.
  const kind =
    method === 'annuity' ? ANNUITY : method === 'linear' ? LINEAR : method === 'bullet' ? BULLET : 0;

  // The common case, a regular 30/360 annuity on days 1–28 with amounts below 2^31, is built by
  // uniformAnnuityRows; everything else (or anything it hands back) by the general loop below.
  //
  // The general loop makes one pass over the rows: step the due date (periodTable's walk, inlined
  // to avoid intermediate arrays), accrue the period's interest, split the instalment, write the
  // row. What the API asks for — one row object per instalment — is the floor of this loop's cost,
  // so everything else is kept cheap:
  //  - month and year advance incrementally (`step` ≤ 12 months, so at most one year carry) instead
  //    of dividing the month index by 12; per-year values (leap flag, day number of 1 January,
  //    "YYYY" prefix) are refreshed only when the year changes;
  //  - a date is read from the year's shared table of ISO strings (yearInfo), built on first
  //    use from that prefix plus a precomputed "-MM-DD" (MONTH_DAY): no new string per row once a
  //    date has been seen (this halved the loop's time: a 10-character concatenation is a fresh
  //    flat string every time);
  //  - a regular 30/360 schedule on days 1–28 uses `uniformRate` (computed once above: the same
  //    float periodicRate would return for every period); otherwise each period's fraction is
  //    computed from the civil dates already at hand;
  //  - roundAmount inlines; the level payment, method code and rounding mode are fixed beforehand;
  //  - rows are one object literal with fixed keys, so they share one hidden class (a class with
  //    a constructor measured no faster and would give rows a non-Object prototype);
  //  - the four amounts go into the row through Math.round, which returns an integer-valued
  //    double unchanged (−0, NaN and ±∞ included) but as a small integer (Smi) in the interpreter.
  //    The first rows, built before the loop is optimised, thereby give the shared row shape small-
  //    integer amount fields, and the optimised loop then stores each amount in place instead of
  //    allocating a boxed double per amount per row (four heap numbers a row otherwise). An amount
  //    outside ±2^31 only widens the shape back to boxed doubles: the values never change.
  const { anchorDay, step } = plan;
  const monthLengths = MONTH_LENGTH;
  const daysBefore = DAYS_BEFORE_MONTH;
  const monthDays = MONTH_DAY;
  const firstIndex = plan.anchorIndex + plan.offset * step;
  let y = Math.floor(firstIndex / 12);
  let m = firstIndex - y * 12 + 1 - step; // the loop steps first
  const installments = new Array<Installment>(n);
  let balance = principal;
  let peakBalance = principal;
  let totalInterest = Number.NaN; // set by the fast path when it builds the rows
  let totalPayment = 0;
  let totalPrincipal = 0;
  let py = plan.start.year;
  let pm = plan.start.month;
  let pd = plan.start.day;
  let pn = plan.startDay;
  let year = -1;
  let yearPrefix = '';
  let yearDates: string[] = [];
  let yearStart = 0;
  let leap = false;
  let k = 0;
  if (kind === ANNUITY && uniformFraction > 0 && principal <= INT32_MAX && level <= INT32_MAX) {
    totalInterest = uniformAnnuityRows(
      installments,
      principal,
      level,
      uniformRate,
      up,
      firstIndex,
      step,
      anchorDay,
      plan.startDay,
    );
  }
  if (!Number.isNaN(totalInterest)) {
    // The fast path built every row: it repays exactly, and the balance never rose.
    totalPrincipal = principal;
    totalPayment = totalInterest + principal;
    k = n;
  } else totalInterest = 0;
  for (; k < n; k++) {
    m += step;
    if (m > 12) {
      m -= 12;
      y++;
    }
    if (y !== year) {
      year = y;
      const info = yearInfo(y);
      leap = info.leap;
      yearStart = info.start;
      yearPrefix = info.prefix;
      yearDates = info.dates;
    }
    const monthLength = m === 2 && leap ? 29 : monthLengths[m]!;
    const d = anchorDay < monthLength ? anchorDay : monthLength;
    const dn = yearStart + daysBefore[m]! + (leap && m > 2 ? 1 : 0) + d - 1;
    const rate =
      uniformFraction > 0
        ? uniformRate
        : periodicRate(annualRate, civilYearFraction(py, pm, pd, pn, y, m, d, dn, dayCount), k);

    const interest = roundAmount(balance * rate, up);
    let repaid: number;
    if (k === last)
      repaid = balance; // the last instalment clears the balance, absorbing all rounding
    else if (kind === ANNUITY) {
      // Capped at the balance: a level payment rounded up can only overshoot when the principal is
      // tiny next to the number of payments; the loan then ends early with zero rows, never a refund.
      repaid = level - interest;
      if (repaid > balance) repaid = balance;
    } else if (kind === LINEAR) repaid = k < remainder ? part + 1 : part;
    else if (kind === BULLET)
      repaid = -interest; // nothing paid: the interest is capitalised
    else repaid = 0; // interest-only
    const payment = interest + repaid;
    balance -= repaid;
    if (balance > peakBalance) peakBalance = balance; // bullet, or negative amortisation (methodology)
    totalInterest += interest;
    totalPayment += payment;
    totalPrincipal += repaid;
    // One literal, always the same keys in the same order: every row shares one hidden class.
    const dateIndex = m * 32 + d;
    let date = yearDates[dateIndex]!;
    if (date === '') date = yearDates[dateIndex] = yearPrefix + monthDays[dateIndex]!;
    installments[k] = {
      number: k + 1,
      date,
      days: dn - pn,
      payment: Math.round(payment),
      interest: Math.round(interest),
      principal: Math.round(repaid),
      balance: Math.round(balance),
    };
    py = y;
    pm = m;
    pd = d;
    pn = dn;
  }
  const finalPayment = installments[last]!.payment;
  const regularPayment =
    method === 'annuity' ? level : method === 'bullet' ? finalPayment : installments[0]!.payment;

  invariant(
    Number.isSafeInteger(totalPayment) &&
      Number.isSafeInteger(totalInterest) &&
      peakBalance <= Number.MAX_SAFE_INTEGER,
    ErrorCode.OutOfRange,
    'principal',
    'the schedule’s amounts exceed 2^53 − 1 minor units (principal, rate and term too large together)',
  );

  return {
    currency,
    principal,
    annualRate,
    method,
    frequency,
    dayCount,
    rounding,
    startDate,
    maturityDate: installments[last]!.date,
    installments,
    regularPayment,
    finalPayment,
    totalInterest,
    totalPayment,
    totalPrincipal,
  };
}
