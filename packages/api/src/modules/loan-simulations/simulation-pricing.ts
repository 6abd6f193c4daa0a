/**
 * The pure part of creating a loan simulation: core's pricing, CO2 savings and financed emissions
 * for terms the service has already resolved, turned into what is stored (each JSON column's text)
 * and what is answered (the reply's JSON text, projected through its schema). No database, no
 * request: it runs in the request's thread or on a pricing thread (pricing-pool.ts) and gives
 * the same bytes either way.
 */
import {
  type AprMethod,
  co2Savings,
  type CompanyValue,
  type Co2SavingsResult,
  financedEmissions,
  GreenfinError,
  type Installment,
  type Money,
  type PcafDataQualityScore,
  type PricedLoan,
  type PriceLoanInput,
  priceLoan,
  toScheduleColumns,
  yearEndOutstanding,
} from '@greenfin/core';
import { jsonText } from '../../http/projection.js';
import type { LatestEmissions } from '../green-score/green-score.service.js';
import type { LoanSimulation } from './loan-simulation.entity.js';
import type {
  Co2SavingsRecord,
  FinancedEmissionsRecord,
  PricingRecord,
  ProjectRecord,
  SimulationWarning,
} from './loan-simulation.records.js';
import { type CreateLoanSimulationInput, LoanSimulationSchema } from './loan-simulations.schemas.js';
import { toSimulationJson } from './loan-simulations.views.js';

/** The columns a simulation's pricing computes. */
type ComputedField =
  'project' | 'finalRate' | 'apr' | 'pricing' | 'schedule' | 'co2Savings' | 'financedEmissions';

/**
 * A simulation before pricing: every field the service resolved from the request (terms with
 * their defaults, fees in minor units, the cash-flow block, who and when). Its `greenScore` needs
 * only the headline fields (score, band, confidence, methodology, time); the stored snapshot's
 * text comes from the service.
 */
export type SimulationDraft = Omit<LoanSimulation, ComputedField>;

/** Everything {@link priceSimulation} reads: plain data, so it can cross to a pricing thread. */
export interface PricingJob {
  draft: SimulationDraft;
  /** Kept on the pricing record; the simulation has no column of its own for it. */
  aprMethod: AprMethod;
  project: CreateLoanSimulationInput['project'] | undefined;
  companyValue: CompanyValue | null;
  emissions: LatestEmissions | null;
}

/** A priced simulation as stored and answered; strings and numbers only. */
export interface PricedSimulation {
  finalRate: number;
  apr: number;
  /** Each computed JSON column's text (null: SQL NULL), and `warnings`, which pricing extends. */
  columns: {
    project: string | null;
    pricing: string;
    schedule: string;
    co2Savings: string | null;
    financedEmissions: string | null;
    warnings: string;
  };
  /** The 201 reply's body: `toSimulationJson` of the stored row, projected by `LoanSimulationSchema`. */
  reply: string;
}

/**
 * Prices a resolved simulation: `priceLoan` with the score snapshot, the project's CO2 savings,
 * PCAF financed emissions over the schedule (or a warning saying why not).
 *
 * @throws {GreenfinError} when core rejects a value; its path names the request field.
 */
export function priceSimulation(job: PricingJob): PricedSimulation {
  const { draft } = job;
  const warnings: SimulationWarning[] = [...draft.warnings];
  const priced = priceLoan({
    principal: draft.principalAmount,
    currency: draft.currency as Money['currency'],
    termMonths: draft.termMonths,
    method: draft.method as PriceLoanInput['method'],
    frequency: draft.frequency as PriceLoanInput['frequency'],
    dayCount: draft.dayCount as PriceLoanInput['dayCount'],
    startDate: draft.startDate,
    baseRate: draft.baseRate,
    creditSpread: draft.creditSpread,
    aprMethod: job.aprMethod,
    greenScore: draft.greenScore,
    fees: { upfront: draft.upfrontFee, perPayment: draft.perPaymentFee },
  });
  const project = job.project ? projectRecord(job.project) : null;
  const co2 = project ? co2Record(underPath('project', () => co2Savings(project))) : null;
  const financed = financedEmissionsRecord(
    job.companyValue,
    job.emissions,
    { amount: draft.principalAmount, currency: draft.currency as Money['currency'] },
    draft.startDate,
    priced.schedule.installments,
    warnings,
  );
  const pricing = pricingRecord(priced);
  const simulation: LoanSimulation = {
    ...draft,
    project,
    finalRate: priced.finalRate,
    apr: priced.apr,
    pricing,
    schedule: priced.schedule.installments as Installment[],
    co2Savings: co2,
    financedEmissions: financed,
    warnings,
  };
  return {
    finalRate: priced.finalRate,
    apr: priced.apr,
    columns: {
      project: project && JSON.stringify(project),
      pricing: JSON.stringify(pricing),
      // As the column's ScheduleType stores it: one array per field.
      schedule: JSON.stringify(toScheduleColumns(priced.schedule.installments)),
      co2Savings: co2 && JSON.stringify(co2),
      financedEmissions: financed && JSON.stringify(financed),
      warnings: JSON.stringify(warnings),
    },
    reply: jsonText(LoanSimulationSchema, toSimulationJson(simulation)),
  };
}

/** Re-roots core's error paths under a request field (`energySaved[0]` → `project.energySaved[0]`). */
export function underPath<T>(prefix: string, compute: () => T): T {
  try {
    return compute();
  } catch (error: unknown) {
    if (!(error instanceof GreenfinError)) throw error;
    const message = error.path ? error.message.slice(error.path.length + 2) : error.message;
    throw new GreenfinError(error.code, error.path ? `${prefix}.${error.path}` : prefix, message);
  }
}

function projectRecord(project: NonNullable<CreateLoanSimulationInput['project']>): ProjectRecord {
  const energySaved = project.energySaved ?? [
    { source: project.energySource ?? 'electricity', mwhPerYear: project.energySavedMwhPerYear ?? 0 },
  ];
  return { energySaved: energySaved.map((l) => ({ ...l })), lifetimeYears: project.lifetimeYears };
}

function co2Record(r: Co2SavingsResult): Co2SavingsRecord {
  return {
    factorYear: r.factorYear,
    lifetimeYears: r.lifetimeYears,
    tco2ePerYear: r.tco2ePerYear,
    totalTco2e: r.totalTco2e,
    breakdown: r.breakdown.map((line) => ({
      source: line.source,
      mwhPerYear: line.mwhPerYear,
      kgCo2ePerKwh: line.kgCo2ePerKwh,
      tco2ePerYear: line.tco2ePerYear,
      totalTco2e: line.totalTco2e,
      factors: line.factors.map((f) => ({ value: f.value, unit: f.unit, source: f.source })),
    })),
    assumptions: [...r.assumptions],
  };
}

function pricingRecord(p: PricedLoan): PricingRecord {
  return {
    rateBeforeDiscount: p.rateBeforeDiscount,
    greenDiscount: { ...p.greenDiscount, limitedBy: [...p.greenDiscount.limitedBy] },
    finalRate: p.finalRate,
    apr: p.apr,
    aprMethod: p.aprMethod,
    regularPayment: p.regularPayment,
    totalInterest: p.totalInterest,
    totalPayment: p.totalPayment,
    totalFees: p.totalFees,
    totalCostOfCredit: p.totalCostOfCredit,
    interestSaved: p.interestSaved,
    withoutDiscount: { ...p.withoutDiscount },
    policy: { ...p.policy, discounts: { ...p.policy.discounts } },
  };
}

function denominator(value: CompanyValue): Money {
  if (value.basis === 'evic') return value.evic;
  if ('total' in value) return value.total;
  return { amount: Math.max(0, value.equity.amount) + value.debt.amount, currency: value.equity.currency };
}

/**
 * PCAF financed emissions over the schedule, or null with a warning when the company's balance
 * sheet or its scope 1+2 emissions are missing (or the balance sheet is in another currency).
 */
function financedEmissionsRecord(
  value: CompanyValue | null,
  latest: LatestEmissions | null,
  principal: Money,
  startDate: string,
  installments: readonly Installment[],
  warnings: SimulationWarning[],
): FinancedEmissionsRecord | null {
  if (!value) {
    warnings.push({
      code: 'no_balance_sheet',
      message:
        'Financed emissions need the company’s balance sheet (equity + debt, or EVIC): set `balanceSheet` on the company.',
    });
    return null;
  }
  const companyValueMoney = denominator(value);
  if (companyValueMoney.currency !== principal.currency) {
    warnings.push({
      code: 'balance_sheet_currency',
      message: `The balance sheet is in ${companyValueMoney.currency} and the loan in ${principal.currency}; financed emissions are not computed across currencies.`,
    });
    return null;
  }
  if (!latest) {
    warnings.push({
      code: 'no_emissions',
      message: 'Financed emissions need a reporting year with scope 1 and scope 2 emissions.',
    });
    return null;
  }
  let dataQuality = latest.pcafDataQuality as PcafDataQualityScore | null | undefined;
  if (dataQuality == null) {
    dataQuality = 5;
    warnings.push({
      code: 'pcaf_quality_assumed',
      message: `No PCAF data-quality score is recorded for ${latest.year}; the lowest quality (5) is reported until one is.`,
    });
  }
  const emissions = {
    scope1Tco2e: latest.scope1Tco2e,
    scope2Tco2e: latest.scope2Tco2e,
    ...(latest.scope3Tco2e !== null ? { scope3Tco2e: latest.scope3Tco2e } : {}),
    dataQuality,
  };
  const balances = yearEndOutstanding({ principal, startDate, installments });
  const result = financedEmissions({ balances, companyValue: value, emissions });
  return {
    method: result.method,
    companyValueBasis: value.basis,
    companyValue: companyValueMoney.amount,
    emissionsYear: latest.year,
    scope1Tco2e: emissions.scope1Tco2e,
    scope2Tco2e: emissions.scope2Tco2e,
    scope3Tco2e: latest.scope3Tco2e,
    dataQuality,
    yearEndOutstanding: balances.map((b) => ({
      year: b.year,
      date: b.date,
      outstanding: b.outstanding.amount,
    })),
    years: result.years.map((y) => ({
      year: y.year,
      outstanding: y.outstanding.amount,
      attributionFactor: y.attributionFactor,
      attributionCapped: y.attributionCapped,
      financedScope1: y.financedScope1,
      financedScope2: y.financedScope2,
      financedScope1And2: y.financedScope1And2,
      financedScope3: y.financedScope3,
    })),
    totals: { ...result.totals },
    weightedDataQuality: { ...result.weightedDataQuality },
    warnings: [...result.warnings],
  };
}
