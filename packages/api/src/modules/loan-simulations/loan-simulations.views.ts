/**
 * How a stored simulation is shown: its JSON, its schedule (JSON or CSV) and its report. Money
 * goes out as `{ amount: "500000.00", currency }` via core's `toDecimalString`.
 */
import { type CurrencyCode, type Installment, type Money, toDecimalString } from '@greenfin/core';
import type { Company } from '../companies/company.entity.js';
import type { LoanSimulation } from './loan-simulation.entity.js';
import type { ScoreSnapshotRecord } from './loan-simulation.records.js';
import type { LoanSimulationJson, ReportJson, ScheduleJson } from './loan-simulations.schemas.js';

type MoneyJson = { amount: string; currency: CurrencyCode };

function moneyIn(currency: CurrencyCode) {
  return (amount: number): MoneyJson => ({ amount: toDecimalString({ amount, currency }), currency });
}

export const simulationPath = (id: string) => `/v1/loan-simulations/${id}`;

export function toSimulationJson(s: LoanSimulation): LoanSimulationJson {
  const currency = s.currency as CurrencyCode;
  const m = moneyIn(currency);
  const p = s.pricing;
  const fe = s.financedEmissions;
  const self = simulationPath(s.id);
  return {
    id: s.id,
    companyId: s.company,
    principal: m(s.principalAmount),
    termMonths: s.termMonths,
    method: s.method as LoanSimulationJson['method'],
    frequency: s.frequency as LoanSimulationJson['frequency'],
    dayCount: s.dayCount as LoanSimulationJson['dayCount'],
    startDate: s.startDate,
    baseRate: s.baseRate,
    creditSpread: s.creditSpread,
    fees: { upfront: m(s.upfrontFee), perPayment: m(s.perPaymentFee) },
    aprMethod: p.aprMethod as LoanSimulationJson['aprMethod'],
    defaultsApplied: s.defaultsApplied,
    project: s.project ?? null,
    rateBeforeDiscount: p.rateBeforeDiscount,
    greenDiscount: p.greenDiscount,
    finalRate: p.finalRate,
    apr: p.apr,
    regularPayment: m(p.regularPayment),
    totalInterest: m(p.totalInterest),
    totalPayment: m(p.totalPayment),
    totalFees: m(p.totalFees),
    totalCostOfCredit: m(p.totalCostOfCredit),
    interestSaved: m(p.interestSaved),
    withoutDiscount: {
      rate: p.withoutDiscount.rate,
      regularPayment: m(p.withoutDiscount.regularPayment),
      totalInterest: m(p.withoutDiscount.totalInterest),
      apr: p.withoutDiscount.apr,
    },
    policy: p.policy,
    co2Savings: s.co2Savings ?? null,
    financedEmissions: fe
      ? {
          method: fe.method,
          companyValueBasis: fe.companyValueBasis,
          companyValue: m(fe.companyValue),
          emissionsYear: fe.emissionsYear,
          emissions: {
            scope1Tco2e: fe.scope1Tco2e,
            scope2Tco2e: fe.scope2Tco2e,
            scope3Tco2e: fe.scope3Tco2e,
            pcafDataQuality: fe.dataQuality,
          },
          yearEndOutstanding: fe.yearEndOutstanding.map((b) => ({ ...b, outstanding: m(b.outstanding) })),
          years: fe.years.map((y) => ({ ...y, outstanding: m(y.outstanding) })),
          totals: fe.totals,
          weightedDataQuality: fe.weightedDataQuality,
          warnings: fe.warnings,
        }
      : null,
    greenScore: scoreSnapshotJson(s.greenScore),
    cashFlow: s.cashFlow
      ? {
          ...s.cashFlow,
          grade: s.cashFlow.grade as 'CF1',
          dscrGrade: s.cashFlow.dscrGrade as 'CF1',
          averageMonthlyNetOperatingCashFlow: m(s.cashFlow.averageMonthlyNetOperatingCashFlow),
          monthlyDebtService: m(Math.round(s.cashFlow.monthlyDebtService)),
          existingDebtService: m(s.cashFlow.existingDebtService ?? 0),
        }
      : null,
    sustainabilityLinked: (s.sustainabilityLinked as LoanSimulationJson['sustainabilityLinked']) ?? null,
    methodologyVersion: s.greenScore.methodologyVersion,
    warnings: s.warnings,
    createdBy: { kind: s.createdByKind as 'user' | 'api-key', id: s.createdById },
    idempotencyKey: s.idempotencyKey ?? null,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    links: { self, schedule: `${self}/schedule`, report: `${self}/report` },
  };
}

function sum(rows: readonly Installment[], field: 'payment' | 'interest' | 'principal'): number {
  let total = 0;
  for (const row of rows) total += row[field];
  return total;
}

export function toScheduleJson(s: LoanSimulation): ScheduleJson {
  const m = moneyIn(s.currency as CurrencyCode);
  const rows = s.schedule;
  return {
    simulationId: s.id,
    currency: s.currency,
    annualRate: s.finalRate,
    method: s.method as ScheduleJson['method'],
    frequency: s.frequency as ScheduleJson['frequency'],
    dayCount: s.dayCount as ScheduleJson['dayCount'],
    startDate: s.startDate,
    installments: rows.map((r) => ({
      number: r.number,
      date: r.date,
      days: r.days,
      payment: m(r.payment),
      interest: m(r.interest),
      principal: m(r.principal),
      balance: m(r.balance),
    })),
    totals: {
      payment: m(sum(rows, 'payment')),
      interest: m(sum(rows, 'interest')),
      principal: m(sum(rows, 'principal')),
    },
  };
}

/** The schedule as RFC 4180 CSV (CRLF line ends, a header row); amounts as decimal strings. */
export function toScheduleCsv(s: LoanSimulation): string {
  const currency = s.currency as CurrencyCode;
  const decimal = (amount: number) => toDecimalString({ amount, currency });
  const lines = ['number,date,days,payment,interest,principal,balance,currency'];
  for (const r of s.schedule) {
    lines.push(
      [
        r.number,
        r.date,
        r.days,
        decimal(r.payment),
        decimal(r.interest),
        decimal(r.principal),
        decimal(r.balance),
        currency,
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

function formatMoney(money: Money): string {
  const [whole = '0', fraction] = toDecimalString(money).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.currency} ${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** The JSON report: the decision, its figures and a few sentences a credit committee can read. */
export function toReportJson(s: LoanSimulation, company: Company, generatedAt: Date): ReportJson {
  const currency = s.currency as CurrencyCode;
  const m = moneyIn(currency);
  const money = (amount: number) => formatMoney({ amount, currency });
  const p = s.pricing;
  const score = s.greenScore;
  const co2 = s.co2Savings ?? null;
  const fe = s.financedEmissions ?? null;
  const summary = [
    `${company.name} (${company.jurisdiction.toUpperCase()} ${company.companyNumber}) has green score ${score.score} (band ${score.band}, confidence ${score.confidence.toFixed(2)}) under methodology ${score.methodologyVersion}.`,
    `A ${money(s.principalAmount)} ${s.method} loan over ${s.termMonths} months from ${s.startDate}: ${percent(s.baseRate)} base + ${percent(s.creditSpread)} spread − ${percent(p.greenDiscount.applied)} green discount = ${percent(p.finalRate)} (APR ${percent(p.apr)}).`,
    `Each ${s.frequency} payment is ${money(p.regularPayment)}; total interest ${money(p.totalInterest)}, of which the green discount saves ${money(p.interestSaved)}.`,
    p.greenDiscount.explanation,
  ];
  if (s.cashFlow) summary.push(`Cash-flow risk: ${s.cashFlow.explanation}`);
  if (co2) {
    summary.push(
      `The financed project saves ${co2.tco2ePerYear} tCO2e a year, ${co2.totalTco2e} tCO2e over ${co2.lifetimeYears} years (DESNZ ${co2.factorYear} factors).`,
    );
  }
  if (fe) {
    const first = fe.years[0];
    summary.push(
      `Financed scope 1+2 emissions (PCAF §5.2, data quality ${fe.dataQuality}): ${first ? `${first.financedScope1And2} tCO2e in ${first.year}, ` : ''}${fe.totals.financedScope1And2} tCO2e over the loan.`,
    );
  }
  return {
    simulationId: s.id,
    generatedAt: generatedAt.toISOString(),
    company: {
      id: company.id,
      name: company.name,
      jurisdiction: company.jurisdiction,
      companyNumber: company.companyNumber,
      sector: company.sector ?? null,
    },
    loan: {
      principal: m(s.principalAmount),
      termMonths: s.termMonths,
      method: s.method as ReportJson['loan']['method'],
      frequency: s.frequency as ReportJson['loan']['frequency'],
      startDate: s.startDate,
      baseRate: s.baseRate,
      creditSpread: s.creditSpread,
      finalRate: p.finalRate,
      apr: p.apr,
      regularPayment: m(p.regularPayment),
      totalInterest: m(p.totalInterest),
      totalCostOfCredit: m(p.totalCostOfCredit),
    },
    greenScore: scoreSnapshotJson(score),
    greenDiscount: { ...p.greenDiscount, interestSaved: m(p.interestSaved) },
    environmentalImpact: {
      co2SavedTco2ePerYear: co2?.tco2ePerYear ?? null,
      co2SavedTotalTco2e: co2?.totalTco2e ?? null,
      financedScope1And2Tco2e: fe?.totals.financedScope1And2 ?? null,
      pcafDataQuality: fe?.dataQuality ?? null,
    },
    summary,
    warnings: s.warnings,
  };
}

/**
 * The score snapshot as simulations show it — its headline; the components are for the PDF
 * report. Also what a pricing job carries of the score (simulation-pricing.ts).
 */
export function scoreSnapshotJson(snapshot: ScoreSnapshotRecord) {
  const { score, band, confidence, methodologyVersion, computedAt } = snapshot;
  return { score, band, confidence, methodologyVersion, computedAt };
}
