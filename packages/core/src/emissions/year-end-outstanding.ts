/**
 * Year-end outstanding balances of a loan from its repayment schedule — the numerator PCAF uses.
 * PCAF Part A §5.2: the outstanding amount of a business loan is "the value of the debt that the
 * borrower owes to the lender (i.e., disbursed debt minus any repayments)", and financial
 * institutions "should either use the calendar or financial year-end outstanding amount, provided
 * the approach is communicated and used consistently". Accrued interest is excluded (PCAF
 * glossary, "Debt": the principal amount owed, excluding interest; §5.3 footnote 119), so a
 * schedule balance that has grown by capitalised interest (a bullet loan) counts only up to the
 * principal disbursed.
 */
import { ErrorCode, invariant } from '../errors.js';
import { compareDates, formatDate, parseDate, tryParseDate, type IsoDate } from '../dates.js';
import { assertCurrency, assertMinorUnits, money, type CurrencyCode, type Money } from '../money.js';

/** One schedule row: the principal still owed just after the instalment paid on `date`. */
export interface InstallmentBalance {
  readonly date: IsoDate;
  /** Outstanding principal after this instalment, minor units of the loan's currency, ≥ 0. */
  readonly balance: number;
}

export interface YearEndOutstandingInput {
  /** Amount drawn on `startDate` (outstanding until the first instalment). */
  readonly principal: Money;
  /** Drawdown date. */
  readonly startDate: IsoDate;
  /** Schedule rows in date order (a `schedule()` result's instalments fit). */
  readonly installments: readonly InstallmentBalance[];
  /**
   * The lender's financial year-end as `MM-DD` (default `12-31`, the calendar year). A balance is
   * labelled with the calendar year its year-end falls in. 29 February is not allowed.
   */
  readonly yearEnd?: string;
}

/** The balance PCAF attributes on one reporting date. */
export interface YearEndBalance {
  readonly year: number;
  /** The reporting date (the year-end) the balance is read at. */
  readonly date: IsoDate;
  readonly outstanding: Money;
}

/**
 * Outstanding principal at each year-end from drawdown until the year-end on or after the last
 * instalment (where it is normally 0, so PCAF attribution declines to 0), ready for
 * `financedEmissions({ balances })`. Balances above the principal (capitalised interest) count as
 * the principal: PCAF's outstanding amount excludes interest.
 *
 * @example
 * yearEndOutstanding({
 *   principal: money(300_000, 'GBP'), startDate: '2025-01-15',
 *   installments: [
 *     { date: '2026-01-15', balance: 200_000 },
 *     { date: '2027-01-15', balance: 100_000 },
 *     { date: '2028-01-15', balance: 0 },
 *   ],
 * }).map((b) => [b.year, b.outstanding.amount]);
 * // [[2025, 300000], [2026, 200000], [2027, 100000], [2028, 0]]
 */
export function yearEndOutstanding(input: YearEndOutstandingInput): YearEndBalance[] {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'input must be an object',
  );
  invariant(
    typeof input.principal === 'object' && input.principal !== null,
    ErrorCode.Required,
    'principal',
    'must be a money value { amount, currency }',
  );
  assertMinorUnits(input.principal.amount, 'principal.amount');
  invariant(input.principal.amount > 0, ErrorCode.OutOfRange, 'principal.amount', 'must be > 0');
  assertCurrency(input.principal.currency, 'principal.currency');
  const currency: CurrencyCode = input.principal.currency;
  const start = parseDate(input.startDate, 'startDate');

  const yearEnd = input.yearEnd ?? '12-31';
  invariant(
    typeof yearEnd === 'string' && /^\d{2}-\d{2}$/.test(yearEnd) && yearEnd !== '02-29',
    ErrorCode.InvalidDate,
    'yearEnd',
    `must be a month-day MM-DD other than 02-29, got ${JSON.stringify(yearEnd)}`,
  );
  parseDate(`2001-${yearEnd}`, 'yearEnd');
  const yearEndOf = (year: number): IsoDate => `${String(year).padStart(4, '0')}-${yearEnd}`;

  invariant(Array.isArray(input.installments), ErrorCode.InvalidType, 'installments', 'must be an array');
  invariant(
    input.installments.length > 0,
    ErrorCode.Required,
    'installments',
    'must list at least one instalment',
  );
  let previous: IsoDate = formatDate(start);
  // A plain loop with paths and messages built only on failure: this runs for every instalment.
  const rows = input.installments;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row !== 'object' || row === null) {
      invariant(false, ErrorCode.InvalidType, `installments[${i}]`, 'must be an object');
    }
    if (tryParseDate(row.date) === null) parseDate(row.date, `installments[${i}].date`);
    if (compareDates(row.date, previous) < 0) {
      invariant(
        false,
        ErrorCode.DatesOutOfOrder,
        `installments[${i}].date`,
        `must not be before ${i === 0 ? 'the start date' : 'the previous instalment'} ${previous}`,
      );
    }
    previous = row.date;
    if (!(Number.isSafeInteger(row.balance) && row.balance >= 0)) {
      assertMinorUnits(row.balance, `installments[${i}].balance`);
      invariant(false, ErrorCode.OutOfRange, `installments[${i}].balance`, 'must be ≥ 0');
    }
  }

  let year = compareDates(yearEndOf(start.year), formatDate(start)) >= 0 ? start.year : start.year + 1;
  const lastDate = previous;
  const balances: YearEndBalance[] = [];
  let next = 0; // index of the first instalment after the current year-end
  let balance = input.principal.amount;
  for (;;) {
    const date = yearEndOf(year);
    while (next < input.installments.length && compareDates(input.installments[next]!.date, date) <= 0) {
      balance = input.installments[next]!.balance;
      next++;
    }
    // Capitalised interest is not outstanding principal: count at most what was disbursed.
    balances.push({ year, date, outstanding: money(Math.min(balance, input.principal.amount), currency) });
    if (compareDates(date, lastDate) >= 0) break;
    year++;
  }
  return balances;
}
