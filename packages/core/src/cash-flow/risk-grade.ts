/**
 * Cash-flow risk grades CF1 (strongest) … CF5 (refer/decline) from the debt service coverage
 * ratio, moved down a notch for each adverse cash-flow signal, each with a credit spread. A bank
 * overrides any threshold or spread, as it does the green-discount policy.
 *
 * Default DSCR thresholds (docs/methodology/cash-flow.md, "Risk grades"):
 * - 1.15x — the minimum DSCR of US SBA SOP 50 10 7.1 (effective 15 November 2023) for standard
 *   7(a) loans, on a historical and/or projected basis; below it → CF5;
 * - 1.25x — the minimum most commercial banks set in policy and covenants for term loans (market
 *   practice, not a regulation); CF4 is 1.15x–1.25x: eligible under SBA, below bank covenant;
 * - 1.50x and 2.00x — Greenfin's steps for comfortable and strong coverage (policy choices).
 * The default spreads are illustrative, not market quotes; calibrate them to the portfolio.
 */
import { ErrorCode, assertFinite, assertInRange, invariant } from '../errors.js';
import { addRates } from '../pricing/rates.js';

/** Cash-flow risk grades, best first. */
export type CashFlowGrade = 'CF1' | 'CF2' | 'CF3' | 'CF4' | 'CF5';
/**
 * The grades, best first.
 *
 * @example CASH_FLOW_GRADES.indexOf('CF3') // 2
 */
export const CASH_FLOW_GRADES: readonly CashFlowGrade[] = ['CF1', 'CF2', 'CF3', 'CF4', 'CF5'];
/** The grades with a minimum DSCR; CF5 takes everything below CF4's minimum. */
type ThresholdGrade = Exclude<CashFlowGrade, 'CF5'>;
const THRESHOLD_GRADES: readonly ThresholdGrade[] = ['CF1', 'CF2', 'CF3', 'CF4'];

export interface CashFlowRiskPolicy {
  /** Minimum DSCR of each grade (descending). */
  readonly minDscr: Readonly<Record<ThresholdGrade, number>>;
  /** Credit spread over the base rate for each grade, as a fraction. */
  readonly creditSpreads: Readonly<Record<CashFlowGrade, number>>;
  /** Fewer days of cash on hand than this → one notch down. */
  readonly minDaysCashOnHand: number;
  /** A coefficient of variation of period nets above this → one notch down. */
  readonly maxCoefficientOfVariation: number;
  /** Fewer months of transactions than this → one notch down (thin history). */
  readonly minMonthsOfHistory: number;
}

/**
 * Default policy: CF1 ≥ 2.00x, CF2 ≥ 1.50x, CF3 ≥ 1.25x (bank covenant), CF4 ≥ 1.15x (SBA SOP 50 10
 * 7.1 minimum), CF5 below; spreads 1.50 / 2.00 / 2.75 / 3.75 / 5.00 %; notch down under 30 days of
 * cash, a CV above 1.0 or under 12 months of history (Greenfin defaults).
 *
 * @example DEFAULT_CASH_FLOW_RISK_POLICY.minDscr.CF4 // 1.15
 */
export const DEFAULT_CASH_FLOW_RISK_POLICY: CashFlowRiskPolicy = Object.freeze({
  minDscr: Object.freeze({ CF1: 2.0, CF2: 1.5, CF3: 1.25, CF4: 1.15 }),
  creditSpreads: Object.freeze({ CF1: 0.015, CF2: 0.02, CF3: 0.0275, CF4: 0.0375, CF5: 0.05 }),
  minDaysCashOnHand: 30,
  maxCoefficientOfVariation: 1.0,
  minMonthsOfHistory: 12,
});

/** Any part of the policy. */
export interface CashFlowRiskPolicyOverride {
  readonly minDscr?: Partial<Record<ThresholdGrade, number>>;
  readonly creditSpreads?: Partial<Record<CashFlowGrade, number>>;
  readonly minDaysCashOnHand?: number;
  readonly maxCoefficientOfVariation?: number;
  readonly minMonthsOfHistory?: number;
}

/**
 * Merges an override into the default policy and validates it (thresholds must descend).
 *
 * @example resolveCashFlowRiskPolicy({ minDscr: { CF3: 1.2 } }).minDscr.CF3 // 1.2
 */
export function resolveCashFlowRiskPolicy(
  override: CashFlowRiskPolicyOverride = {},
  path = 'policy',
): CashFlowRiskPolicy {
  const d = DEFAULT_CASH_FLOW_RISK_POLICY;
  const minDscr = { ...d.minDscr, ...override.minDscr };
  const creditSpreads = { ...d.creditSpreads, ...override.creditSpreads };
  for (const key of Object.keys(minDscr)) {
    invariant(
      (THRESHOLD_GRADES as readonly string[]).includes(key),
      ErrorCode.InvalidOption,
      `${path}.minDscr.${key}`,
      'is not a graded threshold (CF1–CF4)',
    );
  }
  for (const key of Object.keys(creditSpreads)) {
    invariant(
      (CASH_FLOW_GRADES as readonly string[]).includes(key),
      ErrorCode.InvalidOption,
      `${path}.creditSpreads.${key}`,
      'is not a grade (CF1–CF5)',
    );
  }
  THRESHOLD_GRADES.forEach((g, i) => {
    assertFinite(minDscr[g], `${path}.minDscr.${g}`);
    const better = THRESHOLD_GRADES[i - 1];
    if (better) {
      invariant(
        minDscr[g] < minDscr[better],
        ErrorCode.OutOfRange,
        `${path}.minDscr.${g}`,
        `must be below ${better}'s ${minDscr[better]}, got ${minDscr[g]}`,
      );
    }
  });
  for (const g of CASH_FLOW_GRADES)
    assertInRange(creditSpreads[g], `${path}.creditSpreads.${g}`, { min: -1, max: 1 });
  const policy = {
    minDscr,
    creditSpreads,
    minDaysCashOnHand: override.minDaysCashOnHand ?? d.minDaysCashOnHand,
    maxCoefficientOfVariation: override.maxCoefficientOfVariation ?? d.maxCoefficientOfVariation,
    minMonthsOfHistory: override.minMonthsOfHistory ?? d.minMonthsOfHistory,
  };
  assertInRange(policy.minDaysCashOnHand, `${path}.minDaysCashOnHand`, { min: 0 });
  assertInRange(policy.maxCoefficientOfVariation, `${path}.maxCoefficientOfVariation`, { min: 0 });
  assertInRange(policy.minMonthsOfHistory, `${path}.minMonthsOfHistory`, { min: 0 });
  return policy;
}

/** Cash-flow signals besides DSCR (a {@link cashFlowAnalytics} result supplies all three). */
export interface CashFlowRiskExtras {
  /** null = unknown, which never counts as good: it notches down like a shortfall. */
  readonly daysCashOnHand?: number | null;
  readonly coefficientOfVariation?: number | null;
  readonly monthsOfHistory?: number;
}

/** Why a grade was moved down a notch. */
export type CashFlowNotch = 'low-cash-on-hand' | 'unknown-cash-on-hand' | 'volatile' | 'thin-history';

export interface CashFlowRiskGrade {
  readonly grade: CashFlowGrade;
  /** The grade from DSCR alone. */
  readonly dscrGrade: CashFlowGrade;
  readonly dscr: number;
  readonly creditSpread: number;
  /** Each signal that moved the grade down one notch, in order. */
  readonly notches: readonly CashFlowNotch[];
  /** CF5: below the SBA minimum (by default) — refer to an underwriter rather than price. */
  readonly referToUnderwriter: boolean;
  readonly explanation: string;
}

/**
 * Grades a DSCR, then moves the grade down one notch (to at most CF5) for each of: days of cash on
 * hand below `minDaysCashOnHand` (or stated as unknown, null), a coefficient of variation above
 * `maxCoefficientOfVariation`, history shorter than `minMonthsOfHistory`. Signals not given are not
 * tested.
 *
 * @example
 * cashFlowRiskGrade(1.3).grade // 'CF3' (≥ 1.25x)
 * cashFlowRiskGrade(1.3, { daysCashOnHand: 12 }).grade // 'CF4'
 */
export function cashFlowRiskGrade(
  dscr: number,
  extras: CashFlowRiskExtras = {},
  policy: CashFlowRiskPolicyOverride | CashFlowRiskPolicy = {},
): CashFlowRiskGrade {
  assertFinite(dscr, 'dscr');
  const p = resolveCashFlowRiskPolicy(policy);
  const index = THRESHOLD_GRADES.findIndex((g) => dscr >= p.minDscr[g]);
  const dscrIndex = index === -1 ? CASH_FLOW_GRADES.length - 1 : index;
  const notches: CashFlowNotch[] = [];
  const reasons: string[] = [];
  const { daysCashOnHand, coefficientOfVariation, monthsOfHistory } = extras;
  if (daysCashOnHand === null) {
    notches.push('unknown-cash-on-hand');
    reasons.push('the cash balance is unknown');
  } else if (daysCashOnHand !== undefined) {
    assertInRange(daysCashOnHand, 'extras.daysCashOnHand', { min: 0 });
    if (daysCashOnHand < p.minDaysCashOnHand) {
      notches.push('low-cash-on-hand');
      reasons.push(`${daysCashOnHand.toFixed(0)} days of cash on hand is below ${p.minDaysCashOnHand}`);
    }
  }
  if (coefficientOfVariation !== undefined && coefficientOfVariation !== null) {
    assertInRange(coefficientOfVariation, 'extras.coefficientOfVariation', { min: 0 });
    if (coefficientOfVariation > p.maxCoefficientOfVariation) {
      notches.push('volatile');
      reasons.push(
        `net cash flow varies by ${coefficientOfVariation.toFixed(2)}× its mean (limit ${p.maxCoefficientOfVariation})`,
      );
    }
  }
  if (monthsOfHistory !== undefined) {
    assertInRange(monthsOfHistory, 'extras.monthsOfHistory', { min: 0 });
    if (monthsOfHistory < p.minMonthsOfHistory) {
      notches.push('thin-history');
      reasons.push(`${monthsOfHistory.toFixed(1)} months of history is under ${p.minMonthsOfHistory}`);
    }
  }
  const dscrGrade = CASH_FLOW_GRADES[dscrIndex]!;
  const grade = CASH_FLOW_GRADES[Math.min(CASH_FLOW_GRADES.length - 1, dscrIndex + notches.length)]!;
  const creditSpread = addRates(p.creditSpreads[grade]);
  const band =
    dscrIndex === CASH_FLOW_GRADES.length - 1
      ? `below the ${p.minDscr.CF4.toFixed(2)}x minimum`
      : `at or above ${p.minDscr[dscrGrade as ThresholdGrade].toFixed(2)}x`;
  const explanation =
    `DSCR ${dscr.toFixed(2)}x is ${band}: ${dscrGrade}` +
    (notches.length
      ? `; down ${notches.length} notch${notches.length > 1 ? 'es' : ''} because ${reasons.join(', and ')}: ${grade}`
      : '') +
    `; credit spread ${(creditSpread * 100).toFixed(2)} %` +
    (grade === 'CF5' ? '; refer to an underwriter.' : '.');
  return { grade, dscrGrade, dscr, creditSpread, notches, referToUnderwriter: grade === 'CF5', explanation };
}
