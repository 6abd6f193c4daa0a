/**
 * What a loan-simulation report is rendered from: plain, JSON-serialisable data in core's units
 * (money as integer minor units of the loan's currency, rates as fractions, tonnes of CO2e, ISO
 * dates). Each part is the subset of a core result the report reads, so core's own results
 * (`GreenScoreResult`, `PricedLoan`, `Schedule`, `Co2SavingsResult`, `FinancedEmissionsResult`)
 * fit as they are, and so do leaner stored copies of them.
 */
import {
  isCurrency,
  type AppliedFactor,
  type Co2SavingsLine,
  type Co2SavingsResult,
  type FinancedEmissionsResult,
  type FinancedEmissionsYear,
  type GreenDiscount,
  type GreenScoreComponent,
  type GreenScoreResult,
  type GreenScoreWarning,
  type Installment,
  type PcafDataQuality,
  type PricedLoan,
  type Schedule,
} from '@greenfin/core';
import { ReportDataError } from './errors.js';

/** The borrower as the report's title block shows it. */
export interface ReportCompany {
  readonly name: string;
  readonly companyNumber: string;
  /** Registry jurisdiction, e.g. `gb`. */
  readonly jurisdiction: string;
  /** SIC 2007 codes, main activity first. */
  readonly sicCodes: readonly string[];
  /** The main activity in words, e.g. "Manufacture of central heating radiators and boilers". */
  readonly sector?: string | null;
  readonly region?: string | null;
  readonly locality?: string | null;
}

/** One score component with its justification. */
export type ReportScoreComponent = Pick<
  GreenScoreComponent,
  'label' | 'points' | 'maxPoints' | 'explanation' | 'benchmark'
> &
  Partial<Pick<GreenScoreComponent, 'id' | 'value' | 'unit'>>;

/** The green score the price used (a `GreenScoreResult` fits). */
export interface ReportGreenScore extends Pick<GreenScoreResult, 'score' | 'band' | 'confidence'> {
  readonly methodologyVersion: string;
  readonly components: readonly ReportScoreComponent[];
  readonly warnings: readonly Pick<GreenScoreWarning, 'message'>[];
}

/** The price and its build-up (a `PricedLoan` fits). */
export interface ReportPricing extends Pick<
  PricedLoan,
  | 'principal'
  | 'currency'
  | 'termMonths'
  | 'baseRate'
  | 'creditSpread'
  | 'finalRate'
  | 'apr'
  | 'aprMethod'
  | 'regularPayment'
  | 'totalInterest'
  | 'interestSaved'
  | 'totalFees'
  | 'withoutDiscount'
> {
  readonly greenDiscount: Pick<GreenDiscount, 'applied' | 'explanation' | 'limitedBy'> &
    Partial<Pick<GreenDiscount, 'band' | 'tableDiscount'>>;
  /** Base + spread; computed from them when absent. */
  readonly rateBeforeDiscount?: number;
  /** The discount policy applied; printed in the appendix when given. */
  readonly policy?: PricedLoan['policy'];
}

/** One schedule row. */
export type ReportInstallment = Pick<
  Installment,
  'number' | 'date' | 'payment' | 'interest' | 'principal' | 'balance'
>;

/** The repayment schedule at the final rate (a core `Schedule` fits). */
export interface ReportSchedule
  extends Pick<Schedule, 'startDate'>, Partial<Pick<Schedule, 'method' | 'frequency' | 'dayCount'>> {
  readonly installments: readonly ReportInstallment[];
}

/** CO2 the financed project saves (a `Co2SavingsResult` fits). */
export interface ReportCo2Savings extends Pick<
  Co2SavingsResult,
  'lifetimeYears' | 'tco2ePerYear' | 'totalTco2e' | 'assumptions'
> {
  /** DESNZ factor set used. */
  readonly factorYear: number;
  readonly breakdown: readonly (Pick<
    Co2SavingsLine,
    'source' | 'mwhPerYear' | 'kgCo2ePerKwh' | 'tco2ePerYear' | 'totalTco2e'
  > & {
    readonly factors: readonly (Pick<AppliedFactor, 'value' | 'source'> & { readonly unit: string })[];
  })[];
}

/** One reporting year of financed emissions (a `FinancedEmissionsYear` fits). */
export type ReportFinancedEmissionsYear = Pick<
  FinancedEmissionsYear,
  | 'year'
  | 'outstanding'
  | 'attributionFactor'
  | 'attributionCapped'
  | 'financedScope1'
  | 'financedScope2'
  | 'financedScope1And2'
  | 'financedScope3'
> &
  Partial<Pick<FinancedEmissionsYear, 'companyValue' | 'companyValueBasis'>> & {
    readonly dataQuality: Pick<PcafDataQuality, 'score' | 'options' | 'description'>;
  };

/** PCAF financed emissions of the loan (a `FinancedEmissionsResult` fits). */
export interface ReportFinancedEmissions extends Pick<
  FinancedEmissionsResult,
  'method' | 'totals' | 'weightedDataQuality' | 'warnings'
> {
  readonly years: readonly ReportFinancedEmissionsYear[];
}

/**
 * Cash-flow underwriting of the loan, as the simulation stored it (the API's `CashFlowRecord`):
 * DSCR, grade, spread and why. Money in minor units of the loan's currency.
 */
export interface ReportCashFlow {
  readonly spreadSource: 'cash-flow' | 'caller';
  readonly spreadApplied: number;
  readonly gradeSpread: number;
  readonly dscr: number;
  readonly grade: string;
  readonly dscrGrade: string;
  readonly notches: readonly string[];
  readonly referToUnderwriter: boolean;
  readonly window: { readonly from: string; readonly to: string; readonly months: number };
  readonly averageMonthlyNetOperatingCashFlow: number;
  readonly monthlyDebtService: number;
  /** The borrower's other debt service inside `monthlyDebtService` (absent or 0: none). */
  readonly existingDebtService?: number;
  readonly daysCashOnHand: number | null;
  readonly coefficientOfVariation: number | null;
  readonly thresholds: readonly {
    readonly grade: string;
    readonly minDscr: number | null;
    readonly creditSpread: number;
  }[];
  readonly explanation: string;
}

/** Everything one loan-simulation report shows. Pure data: the renderer reads no clock. */
export interface LoanReportData {
  /** The bank or organisation the report is produced for (the tenant). */
  readonly organizationName: string;
  readonly simulationId: string;
  /** When the simulation was made (ISO 8601 date-time). */
  readonly createdAt: string;
  /** When this report is generated (ISO 8601 date-time), passed in so renders are reproducible. */
  readonly generatedAt: string;
  readonly company: ReportCompany;
  /** What the loan finances, in a sentence (optional). */
  readonly loanPurpose?: string | null;
  readonly greenScore: ReportGreenScore;
  readonly pricing: ReportPricing;
  readonly schedule: ReportSchedule;
  /** Null when no project savings were given. */
  readonly co2Savings: ReportCo2Savings | null;
  /** Null when the company's emissions or balance sheet were not available. */
  readonly financedEmissions: ReportFinancedEmissions | null;
  /** Cash-flow risk grade behind the credit spread; absent or null when none was computed. */
  readonly cashFlow?: ReportCashFlow | null;
  /** Things the reader should know about the simulation as a whole (figures left out…). */
  readonly warnings?: readonly { readonly code?: string; readonly message: string }[];
}

type Path = string;

function fail(path: Path, message: string): never {
  throw new ReportDataError(path, message);
}
function obj(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}
function text(value: unknown, path: Path, { optional = false } = {}): void {
  if (optional && (value === undefined || value === null)) return;
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
}
function num(value: unknown, path: Path): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(path, `must be a finite number, got ${String(value)}`);
}
function minor(value: unknown, path: Path): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    fail(path, `must be an integer amount of minor units, got ${String(value)}`);
}
function arr(value: unknown, path: Path, { nonEmpty = false } = {}): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  if (nonEmpty && value.length === 0) fail(path, 'must not be empty');
  return value;
}
function isoDateTime(value: unknown, path: Path): void {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
    fail(path, `must be an ISO 8601 date-time, got ${JSON.stringify(value)}`);
}
function isoDate(value: unknown, path: Path): void {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    fail(path, `must be an ISO date YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

/**
 * Checks that `data` has everything the report prints, with the types it prints them as. Data
 * crosses a process boundary (an activity input, a database row) before it gets here, so it is
 * checked rather than trusted; the first problem is thrown as a {@link ReportDataError} naming
 * the field (`schedule.installments[3].balance`).
 */
export function assertLoanReportData(data: unknown): asserts data is LoanReportData {
  const d = obj(data, '');
  text(d.organizationName, 'organizationName');
  text(d.simulationId, 'simulationId');
  isoDateTime(d.createdAt, 'createdAt');
  isoDateTime(d.generatedAt, 'generatedAt');
  text(d.loanPurpose, 'loanPurpose', { optional: true });

  const c = obj(d.company, 'company');
  text(c.name, 'company.name');
  text(c.companyNumber, 'company.companyNumber');
  text(c.jurisdiction, 'company.jurisdiction');
  arr(c.sicCodes, 'company.sicCodes').forEach((s, i) => text(s, `company.sicCodes[${i}]`));
  for (const k of ['sector', 'region', 'locality']) text(c[k], `company.${k}`, { optional: true });

  const g = obj(d.greenScore, 'greenScore');
  num(g.score, 'greenScore.score');
  if (!['A', 'B', 'C', 'D', 'E'].includes(g.band as string))
    fail('greenScore.band', `must be one of A, B, C, D, E, got ${JSON.stringify(g.band)}`);
  num(g.confidence, 'greenScore.confidence');
  text(g.methodologyVersion, 'greenScore.methodologyVersion');
  arr(g.components, 'greenScore.components', { nonEmpty: true }).forEach((raw, i) => {
    const p = `greenScore.components[${i}]`;
    const comp = obj(raw, p);
    text(comp.label, `${p}.label`);
    num(comp.points, `${p}.points`);
    num(comp.maxPoints, `${p}.maxPoints`);
    if ((comp.maxPoints as number) <= 0) fail(`${p}.maxPoints`, 'must be > 0');
    text(comp.explanation, `${p}.explanation`);
    if (comp.benchmark !== null && comp.benchmark !== undefined) {
      const b = obj(comp.benchmark, `${p}.benchmark`);
      num(b.value, `${p}.benchmark.value`);
      text(b.unit, `${p}.benchmark.unit`);
      text(b.source, `${p}.benchmark.source`);
    }
  });
  arr(g.warnings, 'greenScore.warnings').forEach((w, i) =>
    text(obj(w, `greenScore.warnings[${i}]`).message, `greenScore.warnings[${i}].message`),
  );

  const pr = obj(d.pricing, 'pricing');
  if (!isCurrency(pr.currency))
    fail('pricing.currency', `must be an ISO 4217 code, got ${JSON.stringify(pr.currency)}`);
  for (const k of ['principal', 'regularPayment', 'totalInterest', 'interestSaved', 'totalFees'])
    minor(pr[k], `pricing.${k}`);
  if (!Number.isInteger(pr.termMonths) || (pr.termMonths as number) < 1)
    fail('pricing.termMonths', `must be a whole number of months ≥ 1, got ${String(pr.termMonths)}`);
  for (const k of ['baseRate', 'creditSpread', 'finalRate', 'apr']) num(pr[k], `pricing.${k}`);
  if (pr.rateBeforeDiscount !== undefined) num(pr.rateBeforeDiscount, 'pricing.rateBeforeDiscount');
  if (pr.aprMethod !== 'eu' && pr.aprMethod !== 'us-actuarial')
    fail('pricing.aprMethod', `must be 'eu' or 'us-actuarial', got ${JSON.stringify(pr.aprMethod)}`);
  const gd = obj(pr.greenDiscount, 'pricing.greenDiscount');
  num(gd.applied, 'pricing.greenDiscount.applied');
  text(gd.explanation, 'pricing.greenDiscount.explanation');
  arr(gd.limitedBy, 'pricing.greenDiscount.limitedBy');
  const wd = obj(pr.withoutDiscount, 'pricing.withoutDiscount');
  num(wd.rate, 'pricing.withoutDiscount.rate');
  num(wd.apr, 'pricing.withoutDiscount.apr');
  minor(wd.regularPayment, 'pricing.withoutDiscount.regularPayment');
  minor(wd.totalInterest, 'pricing.withoutDiscount.totalInterest');

  const s = obj(d.schedule, 'schedule');
  isoDate(s.startDate, 'schedule.startDate');
  let previous = s.startDate as string;
  arr(s.installments, 'schedule.installments', { nonEmpty: true }).forEach((raw, i) => {
    const p = `schedule.installments[${i}]`;
    const row = obj(raw, p);
    if (!Number.isInteger(row.number)) fail(`${p}.number`, 'must be an integer');
    isoDate(row.date, `${p}.date`);
    if ((row.date as string) < previous) fail(`${p}.date`, `must not be before ${previous}`);
    previous = row.date as string;
    for (const k of ['payment', 'interest', 'principal', 'balance']) minor(row[k], `${p}.${k}`);
  });

  if (d.co2Savings !== null) {
    const co = obj(d.co2Savings, 'co2Savings');
    num(co.factorYear, 'co2Savings.factorYear');
    if (!Number.isInteger(co.lifetimeYears) || (co.lifetimeYears as number) < 1)
      fail('co2Savings.lifetimeYears', 'must be a whole number of years ≥ 1');
    num(co.tco2ePerYear, 'co2Savings.tco2ePerYear');
    num(co.totalTco2e, 'co2Savings.totalTco2e');
    arr(co.assumptions, 'co2Savings.assumptions').forEach((a, i) => text(a, `co2Savings.assumptions[${i}]`));
    arr(co.breakdown, 'co2Savings.breakdown', { nonEmpty: true }).forEach((raw, i) => {
      const p = `co2Savings.breakdown[${i}]`;
      const line = obj(raw, p);
      text(line.source, `${p}.source`);
      for (const k of ['mwhPerYear', 'kgCo2ePerKwh', 'tco2ePerYear', 'totalTco2e']) num(line[k], `${p}.${k}`);
      arr(line.factors, `${p}.factors`).forEach((f, j) => {
        const fo = obj(f, `${p}.factors[${j}]`);
        num(fo.value, `${p}.factors[${j}].value`);
        text(fo.source, `${p}.factors[${j}].source`);
      });
    });
  }

  if (d.financedEmissions !== null) {
    const fe = obj(d.financedEmissions, 'financedEmissions');
    text(fe.method, 'financedEmissions.method');
    arr(fe.warnings, 'financedEmissions.warnings');
    const totals = obj(fe.totals, 'financedEmissions.totals');
    num(totals.financedScope1And2, 'financedEmissions.totals.financedScope1And2');
    obj(fe.weightedDataQuality, 'financedEmissions.weightedDataQuality');
    arr(fe.years, 'financedEmissions.years', { nonEmpty: true }).forEach((raw, i) => {
      const p = `financedEmissions.years[${i}]`;
      const y = obj(raw, p);
      if (!Number.isInteger(y.year)) fail(`${p}.year`, 'must be an integer year');
      const out = obj(y.outstanding, `${p}.outstanding`);
      minor(out.amount, `${p}.outstanding.amount`);
      if (out.currency !== pr.currency)
        fail(
          `${p}.outstanding.currency`,
          `must be the loan currency ${String(pr.currency)}, got ${String(out.currency)}`,
        );
      for (const k of ['attributionFactor', 'financedScope1', 'financedScope2', 'financedScope1And2'])
        num(y[k], `${p}.${k}`);
      if (y.financedScope3 !== null) num(y.financedScope3, `${p}.financedScope3`);
      const dq = obj(y.dataQuality, `${p}.dataQuality`);
      if (![1, 2, 3, 4, 5].includes(dq.score as number))
        fail(`${p}.dataQuality.score`, `must be a PCAF score 1–5, got ${String(dq.score)}`);
      text(dq.description, `${p}.dataQuality.description`);
    });
  }

  if (d.cashFlow !== undefined && d.cashFlow !== null) {
    const cf = obj(d.cashFlow, 'cashFlow');
    num(cf.dscr, 'cashFlow.dscr');
    num(cf.spreadApplied, 'cashFlow.spreadApplied');
    num(cf.gradeSpread, 'cashFlow.gradeSpread');
    text(cf.grade, 'cashFlow.grade');
    text(cf.dscrGrade, 'cashFlow.dscrGrade');
    text(cf.explanation, 'cashFlow.explanation');
    minor(cf.averageMonthlyNetOperatingCashFlow, 'cashFlow.averageMonthlyNetOperatingCashFlow');
    num(cf.monthlyDebtService, 'cashFlow.monthlyDebtService');
    if (cf.existingDebtService !== undefined) minor(cf.existingDebtService, 'cashFlow.existingDebtService');
    const w = obj(cf.window, 'cashFlow.window');
    isoDate(w.from, 'cashFlow.window.from');
    isoDate(w.to, 'cashFlow.window.to');
    arr(cf.notches, 'cashFlow.notches');
    arr(cf.thresholds, 'cashFlow.thresholds', { nonEmpty: true }).forEach((raw, i) => {
      const t = obj(raw, `cashFlow.thresholds[${i}]`);
      text(t.grade, `cashFlow.thresholds[${i}].grade`);
      num(t.creditSpread, `cashFlow.thresholds[${i}].creditSpread`);
    });
  }
  if (d.warnings !== undefined)
    arr(d.warnings, 'warnings').forEach((w, i) =>
      text(obj(w, `warnings[${i}]`).message, `warnings[${i}].message`),
    );
}
