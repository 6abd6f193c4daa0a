/**
 * Sustainability-linked loans: the margin steps down when the borrower meets its sustainability
 * performance targets (SPTs) and up when it misses them, tested once a year, as the LMA/APLMA/LSTA
 * Sustainability-Linked Loan Principles (2023) describe. This module simulates that ratchet year
 * by year over a repayment schedule, from KPI outcomes (actual or projected).
 */
import { ErrorCode, assertInRange, assertInteger, assertOneOf, invariant } from '../errors.js';
import { parseDate } from '../dates.js';
import { periodsPerYear, schedule, type Installment, type ScheduleInput } from '../schedule/index.js';
import { addRates } from './rates.js';

export interface SustainabilityKpi {
  readonly id: string;
  readonly label?: string;
  /** Which way is better: emissions `decrease`, renewable share `increase`. */
  readonly direction: 'decrease' | 'increase';
  /** The sustainability performance target for each reporting (calendar) year. */
  readonly targets: readonly { readonly year: number; readonly value: number }[];
  /** Reported (or projected) outcomes per reporting year; a year with no outcome counts as missed. */
  readonly observed: readonly { readonly year: number; readonly value: number }[];
}

export interface MarginRatchetInput {
  /** The loan at its starting rate (after any green discount). */
  readonly loan: ScheduleInput;
  readonly kpis: readonly SustainabilityKpi[];
  /** Margin change per KPI met (down) or missed (up), as a rate fraction. Default 0.00025 (2.5 bp). */
  readonly stepPerKpi?: number;
  /** Largest total adjustment either way. Default 0.001 (10 bp). */
  readonly maxAdjustment?: number;
}

export interface KpiTest {
  readonly id: string;
  readonly target: number | null;
  readonly observed: number | null;
  readonly outcome: 'met' | 'missed' | 'not-reported' | 'no-target';
}

export interface RatchetYear {
  /** 1 for the first twelve months of the loan. */
  readonly loanYear: number;
  /** The reporting year whose KPI outcomes set this loan year's margin (null in year 1). */
  readonly testedYear: number | null;
  readonly tests: readonly KpiTest[];
  /** Margin adjustment applied this loan year (negative = step down). */
  readonly adjustment: number;
  readonly rate: number;
  readonly interest: number;
  readonly installments: readonly Installment[];
}

export interface MarginRatchetResult {
  readonly years: readonly RatchetYear[];
  readonly installments: readonly Installment[];
  readonly totalInterest: number;
  /** Total interest of the same loan with no ratchet. */
  readonly totalInterestWithoutRatchet: number;
  /** Without − with: positive when the borrower's performance saved interest. */
  readonly interestSaved: number;
}

function testKpi(kpi: SustainabilityKpi, year: number): KpiTest {
  const target = kpi.targets.find((t) => t.year === year)?.value ?? null;
  const observed = kpi.observed.find((o) => o.year === year)?.value ?? null;
  if (target === null) return { id: kpi.id, target, observed, outcome: 'no-target' };
  if (observed === null) return { id: kpi.id, target, observed, outcome: 'not-reported' };
  const met = kpi.direction === 'decrease' ? observed <= target : observed >= target;
  return { id: kpi.id, target, observed, outcome: met ? 'met' : 'missed' };
}

/**
 * Simulates a sustainability-linked margin ratchet: loan year 1 runs at the starting rate; each
 * later loan year k runs at the starting rate plus an adjustment set by the KPI outcomes of
 * reporting year (start year + k − 2) — the last full calendar year before that anniversary.
 * Each KPI met steps the margin down by `stepPerKpi`, each missed or not reported steps it up,
 * the total bounded by ±`maxAdjustment`. The outstanding balance is re-amortised over the
 * remaining instalments at each new rate, so principal repaid still equals principal lent.
 *
 * @example
 * simulateMarginRatchet({ loan, kpis: [{ id: 'scope12', direction: 'decrease',
 *   targets: [{ year: 2025, value: 80 }], observed: [{ year: 2025, value: 78 }] }] })
 *   .years[1].adjustment // -0.00025
 */
export function simulateMarginRatchet(input: MarginRatchetInput): MarginRatchetResult {
  const step = input.stepPerKpi ?? 0.00025;
  const cap = input.maxAdjustment ?? 0.001;
  assertInRange(step, 'sustainabilityLinked.stepPerKpi', { min: 0, max: 0.05 });
  assertInRange(cap, 'sustainabilityLinked.maxAdjustment', { min: 0, max: 0.05 });
  invariant(input.kpis.length > 0, ErrorCode.Required, 'sustainabilityLinked.kpis', 'needs at least one KPI');
  input.kpis.forEach((kpi, i) => {
    const path = `sustainabilityLinked.kpis[${i}]`;
    assertOneOf(kpi.direction, ['decrease', 'increase'], `${path}.direction`);
    kpi.targets.forEach((t, j) => {
      assertInteger(t.year, `${path}.targets[${j}].year`);
      assertInRange(t.value, `${path}.targets[${j}].value`, {});
    });
    kpi.observed.forEach((o, j) => {
      assertInteger(o.year, `${path}.observed[${j}].year`);
      assertInRange(o.value, `${path}.observed[${j}].value`, {});
    });
  });

  const flat = schedule(input.loan);
  const perYear = periodsPerYear(input.loan.frequency ?? 'monthly');
  const startYear = parseDate(input.loan.startDate, 'startDate').year;
  const total = flat.installments.length;
  const years: RatchetYear[] = [];
  const rows: Installment[] = [];
  let balance = input.loan.principal;
  let segmentStart = input.loan.startDate;

  for (let loanYear = 1, done = 0; done < total; loanYear++) {
    const testedYear = loanYear === 1 ? null : startYear + loanYear - 2;
    const tests = testedYear === null ? [] : input.kpis.map((kpi) => testKpi(kpi, testedYear));
    const raw = tests.reduce(
      (sum, t) => (t.outcome === 'met' ? sum - step : t.outcome === 'no-target' ? sum : sum + step),
      0,
    );
    const adjustment = addRates(Math.max(-cap, Math.min(cap, raw)));
    const rate = addRates(input.loan.annualRate, adjustment);
    invariant(
      rate > -1,
      ErrorCode.OutOfRange,
      'sustainabilityLinked',
      'the adjusted rate must stay above −100 %',
    );
    const remaining = schedule({
      ...input.loan,
      principal: balance,
      payments: total - done,
      annualRate: rate,
      startDate: segmentStart,
      firstPaymentDate: done === 0 ? input.loan.firstPaymentDate : undefined,
    });
    const kept = remaining.installments.slice(0, perYear).map((row, i) => ({ ...row, number: done + i + 1 }));
    done += kept.length;
    const last = kept[kept.length - 1]!;
    balance = last.balance;
    segmentStart = last.date;
    rows.push(...kept);
    years.push({
      loanYear,
      testedYear,
      tests,
      adjustment,
      rate,
      interest: kept.reduce((s, r) => s + r.interest, 0),
      installments: kept,
    });
  }
  const totalInterest = rows.reduce((s, r) => s + r.interest, 0);
  return {
    years,
    installments: rows,
    totalInterest,
    totalInterestWithoutRatchet: flat.totalInterest,
    interestSaved: flat.totalInterest - totalInterest,
  };
}
