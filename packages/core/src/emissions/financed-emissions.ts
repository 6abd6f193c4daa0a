/**
 * Financed emissions of a business loan (or unlisted equity), year by year as the balance falls,
 * per the PCAF Global GHG Accounting and Reporting Standard Part A: Financed Emissions, 2nd
 * edition (December 2022), §5.2 "Business loans and unlisted equity":
 *
 *   attribution factor = outstanding amount / (total equity + debt)   private companies
 *                      = outstanding amount / EVIC                    listed companies
 *   financed emissions = attribution factor × company emissions
 *
 * The outstanding amount is what the borrower owes the lender (disbursed debt minus repayments,
 * no accrued interest), taken at the calendar or financial year-end and "adjusted annually ...
 * resulting in the attribution to decline to 0" when the loan is repaid (§5.2).
 */
import { ErrorCode, assertFinite, assertInRange, assertInteger, assertOneOf, invariant } from '../errors.js';
import {
  assertCurrency,
  assertMinorUnits,
  isNonNegativeMoneyIn,
  type CurrencyCode,
  type Money,
} from '../money.js';
import {
  PCAF_DATA_QUALITY,
  assertDataQualityScore,
  weightedDataQualityScore,
  type PcafDataQuality,
  type PcafDataQualityScore,
} from './pcaf-data-quality.js';
import { roundTonnes } from './precision.js';

/** Citation carried in every result. */
export const PCAF_METHOD =
  'PCAF Global GHG Accounting and Reporting Standard Part A: Financed Emissions, 2nd edition (December 2022), §5.2 Business loans and unlisted equity';

/**
 * The attribution denominator (PCAF §5.2 "Company value"):
 * - `evic` for listed companies: enterprise value including cash (market capitalisation of
 *   ordinary and preferred shares at fiscal year-end + book values of total debt and minorities'
 *   interests, no deduction of cash);
 * - `equity-plus-debt` for private companies, from the balance sheet: either `equity` and `debt`
 *   (negative equity is set to 0, PCAF §5.2 footnote 90) or their `total`.
 */
export type CompanyValue =
  | { readonly basis: 'evic'; readonly evic: Money }
  | { readonly basis: 'equity-plus-debt'; readonly equity: Money; readonly debt: Money }
  | { readonly basis: 'equity-plus-debt'; readonly total: Money };

/** The borrower's annual emissions, tCO2e, and how good the data is. */
export interface CompanyEmissions {
  readonly scope1Tco2e: number;
  readonly scope2Tco2e: number;
  /** Reported separately from scopes 1 and 2 (PCAF §5.2, Chapter 6). */
  readonly scope3Tco2e?: number;
  /** PCAF data-quality score of the scope 1+2 figures (Table 5-7). */
  readonly dataQuality: PcafDataQualityScore;
  /** Score of the scope 3 figure, when it differs (default: `dataQuality`). */
  readonly scope3DataQuality?: PcafDataQualityScore;
}

/** The loan's outstanding principal at one reporting date (year-end), optionally with that year's company data. */
export interface OutstandingBalance {
  /** Reporting year the balance belongs to. */
  readonly year: number;
  /** Principal owed at the year-end, excluding accrued interest. */
  readonly outstanding: Money;
  /** That year's company value, when it differs from the loan-level one. */
  readonly companyValue?: CompanyValue;
  /** That year's company emissions, when they differ from the loan-level ones. */
  readonly emissions?: CompanyEmissions;
}

export interface FinancedEmissionsInput {
  /** Year-end balances, years strictly increasing (see `yearEndOutstanding`). */
  readonly balances: readonly OutstandingBalance[];
  /** Company value used for every year without its own. */
  readonly companyValue: CompanyValue;
  /** Company emissions used for every year without their own. */
  readonly emissions: CompanyEmissions;
}

export interface FinancedEmissionsYear {
  readonly year: number;
  readonly outstanding: Money;
  /** The denominator used (after the negative-equity rule). */
  readonly companyValue: Money;
  readonly companyValueBasis: CompanyValue['basis'];
  /** outstanding / company value, in [0, 1]. */
  readonly attributionFactor: number;
  /** True when outstanding exceeded the company value and the factor was capped at 1. */
  readonly attributionCapped: boolean;
  readonly financedScope1: number;
  readonly financedScope2: number;
  readonly financedScope1And2: number;
  /** Null when no scope 3 figure was given for the year. */
  readonly financedScope3: number | null;
  readonly dataQuality: PcafDataQuality;
  readonly scope3DataQuality: PcafDataQuality | null;
}

export interface FinancedEmissionsResult {
  readonly method: string;
  readonly years: readonly FinancedEmissionsYear[];
  /** Sums over the years, tCO2e. */
  readonly totals: {
    readonly financedScope1And2: number;
    /** Sum over the years that have a scope 3 figure; null when none has. */
    readonly financedScope3: number | null;
  };
  /**
   * Outstanding-weighted average data-quality scores over the years (PCAF Chapter 6, Box 8);
   * scope 3 reported separately, as PCAF requires. Null when nothing is outstanding.
   */
  readonly weightedDataQuality: { readonly scope1And2: number | null; readonly scope3: number | null };
  /** Adjustments made (capped factors, negative equity set to 0, partial scope 3). */
  readonly warnings: readonly string[];
}

function assertMoney(value: unknown, path: string): asserts value is Money {
  invariant(
    typeof value === 'object' && value !== null,
    ErrorCode.Required,
    path,
    'must be a money value { amount, currency }',
  );
  const m = value as { amount: unknown; currency: unknown };
  assertMinorUnits(m.amount, `${path}.amount`);
  assertCurrency(m.currency, `${path}.currency`);
}

function sameCurrency(m: Money, currency: CurrencyCode, path: string, against: string): void {
  invariant(
    m.currency === currency,
    ErrorCode.CurrencyMismatch,
    `${path}.currency`,
    `${m.currency} does not match the ${against} currency ${currency}`,
  );
}

/** Resolves a company value to the denominator, applying PCAF's negative-equity rule. */
/** A company value's denominator, and whether negative equity was set to 0 in it. */
interface Denominator {
  readonly value: Money;
  readonly negativeEquity: boolean;
}

const negativeEquityWarning = (year: number): string =>
  `${year}: negative total equity set to 0 (PCAF §5.2 footnote 90); all emissions attributed to debt.`;

function denominatorOf(value: CompanyValue, path: string): Denominator {
  invariant(typeof value === 'object' && value !== null, ErrorCode.Required, path, 'is required');
  assertOneOf(value.basis, ['evic', 'equity-plus-debt'] as const, `${path}.basis`);
  let result: Money;
  let negativeEquity = false;
  if (value.basis === 'evic') {
    assertMoney(value.evic, `${path}.evic`);
    result = value.evic;
  } else if ('total' in value && value.total !== undefined) {
    invariant(
      !('equity' in value) && !('debt' in value),
      ErrorCode.InvalidOption,
      path,
      'give either total, or equity and debt, not both',
    );
    assertMoney(value.total, `${path}.total`);
    result = value.total;
  } else {
    const v = value as { equity?: unknown; debt?: unknown };
    assertMoney(v.equity, `${path}.equity`);
    assertMoney(v.debt, `${path}.debt`);
    sameCurrency(v.debt, v.equity.currency, `${path}.debt`, 'equity');
    invariant(v.debt.amount >= 0, ErrorCode.OutOfRange, `${path}.debt.amount`, 'must be ≥ 0');
    negativeEquity = v.equity.amount < 0;
    result = { amount: Math.max(0, v.equity.amount) + v.debt.amount, currency: v.equity.currency };
    assertMinorUnits(result.amount, path);
  }
  invariant(result.amount > 0, ErrorCode.OutOfRange, path, `company value must be > 0, got ${result.amount}`);
  return { value: result, negativeEquity };
}

/** Whether `b` is a valid balance after `previousYear` in `loanCurrency` (no message built). */
function isPlainBalance(b: OutstandingBalance, previousYear: number, loanCurrency: unknown): boolean {
  if (typeof b !== 'object' || b === null || !Number.isSafeInteger(b.year) || !(b.year > previousYear)) {
    return false;
  }
  return isNonNegativeMoneyIn(b.outstanding, loanCurrency);
}

/** Throws for the first invalid field of balance `i`. */
function checkBalance(b: OutstandingBalance, i: number, previousYear: number, loanCurrency: unknown): void {
  const path = `balances[${i}]`;
  invariant(typeof b === 'object' && b !== null, ErrorCode.InvalidType, path, 'must be an object');
  assertInteger(b.year, `${path}.year`);
  invariant(
    b.year > previousYear,
    ErrorCode.DatesOutOfOrder,
    `${path}.year`,
    `years must be strictly increasing, got ${b.year} after ${previousYear}`,
  );
  assertMoney(b.outstanding, `${path}.outstanding`);
  invariant(b.outstanding.amount >= 0, ErrorCode.OutOfRange, `${path}.outstanding.amount`, 'must be ≥ 0');
  invariant(
    b.outstanding.currency === loanCurrency,
    ErrorCode.CurrencyMismatch,
    `${path}.outstanding.currency`,
    `every balance must be in the loan's currency ${String(loanCurrency)}, got ${b.outstanding.currency}`,
  );
}

function checkEmissions(e: CompanyEmissions, path: string): void {
  invariant(typeof e === 'object' && e !== null, ErrorCode.Required, path, 'is required');
  assertInRange(e.scope1Tco2e, `${path}.scope1Tco2e`, { min: 0 });
  assertInRange(e.scope2Tco2e, `${path}.scope2Tco2e`, { min: 0 });
  if (e.scope3Tco2e !== undefined) assertInRange(e.scope3Tco2e, `${path}.scope3Tco2e`, { min: 0 });
  assertDataQualityScore(e.dataQuality, `${path}.dataQuality`);
  if (e.scope3DataQuality !== undefined)
    assertDataQualityScore(e.scope3DataQuality, `${path}.scope3DataQuality`);
}

/**
 * Financed emissions of one loan for each reporting year, as its outstanding balance falls (PCAF
 * Part A §5.2): attribution factor = outstanding / (total equity + debt) — or / EVIC for a listed
 * borrower — capped at 1; financed scope 1+2 (and, separately, scope 3) = factor × the company's
 * emissions. tCO2e to 6 decimals. The PCAF data-quality score is carried through with its meaning.
 *
 * @example
 * const r = financedEmissions({
 *   balances: [
 *     { year: 2025, outstanding: money(40_000_000, 'GBP') },
 *     { year: 2026, outstanding: money(30_000_000, 'GBP') },
 *   ],
 *   companyValue: { basis: 'equity-plus-debt', equity: money(210_000_000, 'GBP'), debt: money(90_000_000, 'GBP') },
 *   emissions: { scope1Tco2e: 42, scope2Tco2e: 49.8, dataQuality: 2 },
 * });
 * r.years[0].attributionFactor;   // 0.1333… (400,000 / 3,000,000)
 * r.years[0].financedScope1And2;  // 12.24 tCO2e
 */
export function financedEmissions(input: FinancedEmissionsInput): FinancedEmissionsResult {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'input must be an object',
  );
  invariant(Array.isArray(input.balances), ErrorCode.InvalidType, 'balances', 'must be an array');
  invariant(
    input.balances.length > 0,
    ErrorCode.Required,
    'balances',
    'must list at least one year-end balance',
  );
  checkEmissions(input.emissions, 'emissions');

  const warnings: string[] = [];
  // Exact (unrounded) products, summed then rounded once so totals carry no per-year rounding.
  let total12 = 0;
  let total3 = 0;
  let previousYear = -Infinity;
  const loanCurrency = (input.balances[0] as { outstanding?: { currency?: unknown } } | undefined)
    ?.outstanding?.currency;
  let sharedValue: Denominator | undefined;
  const years = input.balances.map((b, i): FinancedEmissionsYear => {
    // A valid balance (the common case) is checked without building its paths and messages;
    // any other goes through checkBalance, which names the first field at fault.
    if (!isPlainBalance(b, previousYear, loanCurrency)) checkBalance(b, i, previousYear, loanCurrency);
    previousYear = b.year;

    const own = b.companyValue !== undefined;
    const valuePath = own ? `balances[${i}].companyValue` : 'companyValue';
    const denominated = own
      ? denominatorOf(b.companyValue!, valuePath)
      : (sharedValue ??= denominatorOf(input.companyValue, valuePath));
    if (denominated.negativeEquity) warnings.push(negativeEquityWarning(b.year));
    const value = denominated.value;
    if (b.outstanding.currency !== value.currency) {
      sameCurrency(b.outstanding, value.currency, `balances[${i}].outstanding`, valuePath);
    }
    const emissions: CompanyEmissions = b.emissions ?? input.emissions;
    if (b.emissions !== undefined) checkEmissions(b.emissions, `balances[${i}].emissions`);

    const raw = b.outstanding.amount / value.amount;
    const attributionCapped = raw > 1;
    // PCAF attributes 100 % of a company's emissions across its equity and debt (§4.2), so one
    // lender's share cannot exceed 1; a larger ratio means stale or inconsistent balance-sheet data.
    if (attributionCapped) {
      warnings.push(`${b.year}: outstanding exceeds the company value; attribution factor capped at 1.`);
    }
    const attributionFactor = Math.min(1, raw);
    if (!Number.isFinite(attributionFactor)) assertFinite(attributionFactor, `balances[${i}].outstanding`);
    const scope3 = emissions.scope3Tco2e;
    total12 += attributionFactor * (emissions.scope1Tco2e + emissions.scope2Tco2e);
    total3 += attributionFactor * (scope3 ?? 0);
    return {
      year: b.year,
      outstanding: b.outstanding,
      companyValue: value,
      companyValueBasis: (b.companyValue ?? input.companyValue).basis,
      attributionFactor,
      attributionCapped,
      financedScope1: roundTonnes(attributionFactor * emissions.scope1Tco2e),
      financedScope2: roundTonnes(attributionFactor * emissions.scope2Tco2e),
      financedScope1And2: roundTonnes(attributionFactor * (emissions.scope1Tco2e + emissions.scope2Tco2e)),
      financedScope3: scope3 === undefined ? null : roundTonnes(attributionFactor * scope3),
      dataQuality: PCAF_DATA_QUALITY[emissions.dataQuality],
      scope3DataQuality:
        scope3 === undefined ? null : PCAF_DATA_QUALITY[emissions.scope3DataQuality ?? emissions.dataQuality],
    };
  });

  const withScope3 = years.filter((y) => y.financedScope3 !== null);
  if (withScope3.length > 0 && withScope3.length < years.length) {
    warnings.push(
      `Scope 3 given for ${withScope3.length} of ${years.length} years; its total covers those years only.`,
    );
  }
  return {
    method: PCAF_METHOD,
    years,
    totals: {
      financedScope1And2: roundTonnes(total12),
      financedScope3: withScope3.length > 0 ? roundTonnes(total3) : null,
    },
    weightedDataQuality: {
      scope1And2: weightedDataQualityScore(
        years.map((y) => ({ outstanding: y.outstanding, score: y.dataQuality.score })),
        'balances',
      ),
      scope3:
        withScope3.length > 0
          ? weightedDataQualityScore(
              withScope3.map((y) => ({ outstanding: y.outstanding, score: y.scope3DataQuality!.score })),
              'balances',
            )
          : null,
    },
    warnings,
  };
}
