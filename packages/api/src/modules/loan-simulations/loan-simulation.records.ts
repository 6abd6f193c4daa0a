/**
 * What a loan simulation stores of core's results (jsonb columns): plain data in core's units —
 * money as integer minor units of the simulation's currency, rates as fractions, tonnes of CO2e.
 */
import type {
  DiscountLimit,
  EnergySource,
  GreenDiscountPolicy,
  GreenScoreBand,
  PcafDataQualityScore,
} from '@greenfin/core';

export interface ProjectRecord {
  energySaved: { source: EnergySource; mwhPerYear: number }[];
  lifetimeYears: number;
}

/** The green score the price used, as it was at that moment. */
export interface ScoreSnapshotRecord {
  score: number;
  band: GreenScoreBand;
  confidence: number;
  methodologyVersion: string;
  computedAt: string;
  /**
   * Each component with its points and justification, and the score's warnings, as they were
   * (the PDF report prints them). Absent on simulations stored before 2026-12-01.
   */
  components?: GreenScoreComponentRecord[];
  warnings?: { code: string; message: string }[];
}

/** One green-score component as a simulation stores it. */
export interface GreenScoreComponentRecord {
  id: string;
  label: string;
  points: number;
  maxPoints: number;
  value: number | null;
  unit: string | null;
  explanation: string;
  benchmark: { value: number; unit: string; source: string } | null;
}

export interface PricingRecord {
  rateBeforeDiscount: number;
  greenDiscount: {
    band: GreenScoreBand | null;
    tableDiscount: number;
    applied: number;
    limitedBy: DiscountLimit[];
    explanation: string;
  };
  finalRate: number;
  apr: number;
  aprMethod: string;
  regularPayment: number;
  totalInterest: number;
  totalPayment: number;
  totalFees: number;
  totalCostOfCredit: number;
  interestSaved: number;
  withoutDiscount: { rate: number; regularPayment: number; totalInterest: number; apr: number };
  policy: GreenDiscountPolicy;
}

export interface Co2SavingsRecord {
  factorYear: number;
  lifetimeYears: number;
  tco2ePerYear: number;
  totalTco2e: number;
  breakdown: {
    source: EnergySource;
    mwhPerYear: number;
    kgCo2ePerKwh: number;
    tco2ePerYear: number;
    totalTco2e: number;
    factors: { value: number; unit: string; source: string }[];
  }[];
  assumptions: string[];
}

export interface FinancedEmissionsRecord {
  method: string;
  companyValueBasis: 'equity-plus-debt' | 'evic';
  /** The attribution denominator, minor units. */
  companyValue: number;
  /** The reporting year whose emissions were attributed. */
  emissionsYear: number;
  scope1Tco2e: number;
  scope2Tco2e: number;
  scope3Tco2e: number | null;
  dataQuality: PcafDataQualityScore;
  yearEndOutstanding: { year: number; date: string; outstanding: number }[];
  years: {
    year: number;
    outstanding: number;
    attributionFactor: number;
    attributionCapped: boolean;
    financedScope1: number;
    financedScope2: number;
    financedScope1And2: number;
    financedScope3: number | null;
  }[];
  totals: { financedScope1And2: number; financedScope3: number | null };
  weightedDataQuality: { scope1And2: number | null; scope3: number | null };
  warnings: string[];
}

/** Something the reader of a simulation should know (a figure left out, an assumption made). */
export interface SimulationWarning {
  code: string;
  message: string;
}

/**
 * What cash-flow underwriting concluded for the loan (core `creditSpreadFromCashFlow`), stored
 * with the simulation. Amounts are minor units of the loan's currency.
 */
export interface CashFlowRecord {
  /** `cash-flow`: the grade set the spread; `caller`: the request's explicit spread won. */
  spreadSource: 'cash-flow' | 'caller';
  /** The credit spread the price used. */
  spreadApplied: number;
  /** The grade's own spread (equal to `spreadApplied` unless the caller's won). */
  gradeSpread: number;
  dscr: number;
  grade: string;
  dscrGrade: string;
  notches: string[];
  referToUnderwriter: boolean;
  /** The 12 complete months read (fewer when the history is shorter). */
  window: { from: string; to: string; months: number };
  averageMonthlyNetOperatingCashFlow: number;
  /** This loan's payment plus `existingDebtService`, minor units a month. */
  monthlyDebtService: number;
  /** The borrower's other debt service the caller gave (minor units a month; 0 when none). */
  existingDebtService?: number;
  daysCashOnHand: number | null;
  coefficientOfVariation: number | null;
  nonOperatingCategories: string[];
  /** The policy's DSCR thresholds and spreads. */
  thresholds: { grade: string; minDscr: number | null; creditSpread: number }[];
  explanation: string;
}

/** A sustainability-linked loan's KPI targets, as the request gave them. */
export interface SustainabilityLinkedRecord {
  kpis: {
    id: string;
    metric: string;
    direction: 'decrease' | 'increase';
    targets: { year: number; value: number }[];
  }[];
}
