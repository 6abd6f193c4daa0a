/**
 * The schedule() implementation as it stood before the row loop was specialised for speed (commit
 * b0726d1), frozen as a test oracle: the optimised schedule() must return exactly what this does,
 * field for field, for every input. Do not optimise or "fix" this copy; change it only together
 * with a deliberate, documented change of schedule()'s results.
 */
import { DAY_COUNTS } from '../../day-count.js';
import { isLeapYear, toDayNumber } from '../../dates.js';
import { ErrorCode, GreenfinError, assertInRange, invariant } from '../../errors.js';
import { assertCurrency, assertMinorUnits, isCurrency } from '../../money.js';
import { ROUNDING_MODES, halfEven, halfUp, type RoundingMode } from '../../rounding.js';
import { levelPaymentConstant } from '../annuity.js';
import { checkOneOf } from '../checks.js';
import { FREQUENCIES } from '../frequency.js';
import {
  DAYS_BEFORE_MONTH,
  MONTH_DAY,
  MONTH_LENGTH,
  isUniform30360,
  periodTable,
  planDates,
  yearText,
} from '../payment-dates.js';
import { civilYearFraction } from '../period-fraction.js';
import { REPAYMENT_METHODS, type Installment, type Schedule, type ScheduleInput } from '../schedule.js';

// rounding.ts treats values within max(1e-9, 1e-15·|x|) of a half as ties; outside the wider band
// 1e-8·max(1, |x|) every mode rounds to the nearest integer, so the hot path skips the tie logic.
const NEAR_TIE = 1e-8;

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

/**
 * The rounding function of `mode` (amounts in minor units) with a fast path: identical results to
 * `rounder(mode)` except that −0 becomes 0 (a property test checks it), but values clearly away
 * from a .5 tie round to nearest inline.
 *
 * @example amountRounder('half-even')(2.5) // 2
 */
function amountRounder(mode: RoundingMode, path = 'rounding'): (x: number) => number {
  checkOneOf(mode, ROUNDING_MODES, path);
  const modeRound = mode === 'half-up' ? halfUp : halfEven;
  return (x) => {
    const floor = Math.floor(x);
    const gap = x - floor - 0.5;
    const band = NEAR_TIE * (x > 1 ? x : x < -1 ? -x : 1);
    if (gap > band) return floor + 1;
    if (gap < -band) return floor + 0; // + 0 turns −0 into 0, as rounding.ts does
    return modeRound(x);
  };
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
export function referenceSchedule(input: ScheduleInput): Schedule {
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
  const round = amountRounder(rounding, 'rounding');

  const plan = planDates(startDate, payments, frequency, firstPaymentDate);
  const n = plan.payments;
  const last = n - 1;

  // A regular 30/360 schedule on days 1–28: every period is exactly `step` 30-day months, the same
  // fraction civilYearFraction would return, known without computing it.
  const uniformFraction = dayCount === '30/360' && isUniform30360(plan) ? (30 * plan.step) / 360 : 0;

  // The annuity's level payment needs every period's rate before the first row.
  let level = 0;
  if (method === 'annuity') {
    if (uniformFraction > 0) {
      level = levelPaymentConstant(principal, periodicRate(annualRate, uniformFraction, 0), n); // Excel's PMT
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
    level = round(level);
  }
  // Linear: equal principal parts, one extra minor unit on each of the first `remainder` rows.
  const part = Math.floor(principal / n);
  const remainder = principal - part * n;

  // One pass: step the due date (as periodTable does, inlined to avoid intermediate arrays), accrue
  // the period's interest, split the instalment.
  const { anchorIndex, anchorDay, offset, step } = plan;
  const installments = new Array<Installment>(n);
  let balance = principal;
  let peakBalance = principal;
  let totalInterest = 0;
  let totalPayment = 0;
  let totalPrincipal = 0;
  let py = plan.start.year;
  let pm = plan.start.month;
  let pd = plan.start.day;
  let pn = plan.startDay;
  let year = -1; // per-year values below are refreshed once a year at most
  let yearPrefix = '';
  let yearStart = 0;
  let leap = false;
  for (let k = 0; k < n; k++) {
    const index = anchorIndex + (offset + k) * step;
    const y = Math.floor(index / 12);
    const m = index - y * 12 + 1;
    if (y !== year) {
      year = y;
      leap = isLeapYear(y);
      yearStart = toDayNumber({ year: y, month: 1, day: 1 });
      yearPrefix = yearText(y);
    }
    const monthLength = m === 2 && leap ? 29 : MONTH_LENGTH[m]!;
    const d = anchorDay < monthLength ? anchorDay : monthLength;
    const dn = yearStart + DAYS_BEFORE_MONTH[m]! + (leap && m > 2 ? 1 : 0) + d - 1;
    const fraction =
      uniformFraction > 0 ? uniformFraction : civilYearFraction(py, pm, pd, pn, y, m, d, dn, dayCount);

    const interest = round(balance * periodicRate(annualRate, fraction, k));
    let repaid: number;
    if (k === last)
      repaid = balance; // the last instalment clears the balance, absorbing all rounding
    else if (method === 'annuity') {
      // Capped at the balance: a level payment rounded up can only overshoot when the principal is
      // tiny next to the number of payments; the loan then ends early with zero rows, never a refund.
      repaid = level - interest;
      if (repaid > balance) repaid = balance;
    } else if (method === 'linear') repaid = k < remainder ? part + 1 : part;
    else if (method === 'bullet')
      repaid = -interest; // nothing paid: the interest is capitalised
    else repaid = 0; // interest-only
    const payment = interest + repaid;
    balance -= repaid;
    if (balance > peakBalance) peakBalance = balance; // bullet, or negative amortisation (methodology)
    totalInterest += interest;
    totalPayment += payment;
    totalPrincipal += repaid;
    installments[k] = {
      number: k + 1,
      date: yearPrefix + MONTH_DAY[m * 32 + d]!,
      days: dn - pn,
      payment,
      interest,
      principal: repaid,
      balance,
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
