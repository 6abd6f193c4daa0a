/**
 * The level instalment of an annuity loan, as an exact float (callers round it).
 */
import { ErrorCode, assertFinite, assertInRange, assertInteger, invariant } from '../errors.js';

/**
 * Unchecked level payment for a constant periodic rate (the schedule's hot path; inputs already
 * validated). Same unit as `principal`.
 *
 * @example levelPaymentConstant(10_000, 0.01, 3) // 3400.22…
 */
export function levelPaymentConstant(principal: number, periodicRate: number, n: number): number {
  if (periodicRate === 0) return principal / n;
  // P·r / (1 − (1 + r)^−n), with expm1/log1p so tiny rates keep their precision.
  return (principal * periodicRate) / -Math.expm1(-n * Math.log1p(periodicRate));
}

/**
 * Unchecked level payment for per-period rates, `P / Σ_k Π_{j≤k} 1/(1 + r_j)` (inputs already
 * validated). Same unit as `principal`.
 *
 * @example levelPaymentVarying(10_000, [0.015, 0.01]) // 5100.25…
 */
export function levelPaymentVarying(principal: number, periodicRates: ArrayLike<number>): number {
  let discount = 1;
  let annuityFactor = 0;
  for (let k = 0; k < periodicRates.length; k++) {
    discount /= 1 + periodicRates[k]!;
    annuityFactor += discount;
  }
  return principal / annuityFactor;
}

/**
 * Level payment that repays `principal` in `n` equal instalments at a constant `periodicRate`
 * (payments in arrears): `P·r / (1 − (1 + r)^−n)`, or `P / n` when the rate is 0. The same value as
 * Excel's and formulajs's `-PMT(r, n, P)`, unrounded, in the unit of `principal`.
 *
 * @example annuityPayment(10_000, 0.094822 / 12, 6) // 1713.063… (minor units; rounds to 1713)
 * @example annuityPayment(1_000, 0, 4) // 250
 */
export function annuityPayment(principal: number, periodicRate: number, n: number): number {
  assertFinite(principal, 'principal');
  assertInRange(periodicRate, 'periodicRate', { min: -1, minExclusive: true });
  assertInteger(n, 'payments', 1);
  return levelPaymentConstant(principal, periodicRate, n);
}

/**
 * Level payment that repays `principal` when period k carries its own rate r_k (periods of
 * different lengths under an actual day count, or an odd first period):
 * `P / Σ_k Π_{j≤k} 1/(1 + r_j)`. With all rates equal this is {@link annuityPayment}. Apache
 * Fineract's progressive EMI calculator uses the same equation. Unrounded, in the unit of
 * `principal`.
 *
 * @example annuityPaymentForRates(10_000, [0.0075, 0.0075]) // = annuityPayment(10_000, 0.0075, 2)
 */
export function annuityPaymentForRates(principal: number, periodicRates: readonly number[]): number {
  assertFinite(principal, 'principal');
  invariant(periodicRates.length > 0, ErrorCode.Required, 'periodicRates', 'must have at least one rate');
  periodicRates.forEach((r, i) => assertInRange(r, `periodicRates[${i}]`, { min: -1, minExclusive: true }));
  return levelPaymentVarying(principal, periodicRates);
}
