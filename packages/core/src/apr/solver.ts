/**
 * Root finder for the APR equations: the rate r (> −100 %) at which the discounted advances equal
 * the discounted repayments and charges,
 *
 *   Σ cⱼ · (1 + r)^(−tⱼ) · (1 + fⱼ·r)^(−1) = 0,
 *
 * with cⱼ > 0 for advances and < 0 for repayments; fⱼ (Appendix J's simple-interest fraction of a
 * unit-period) is 0 for the EU equation.
 *
 * It works in y = ln(1 + r), where the whole admissible range r > −1 is the real line and
 * astronomically high rates (a one-day loan) stay finite. It scans out from y = 0 for the first sign
 * change — the positive root nearest zero, else the negative root nearest zero (the rule MCOB
 * 10.3.1B R(2) states for several roots) — then refines it by Newton's method kept inside the
 * bracket, falling back to bisection whenever a Newton step would leave it.
 */
import { ErrorCode, GreenfinError } from '../errors.js';

/** The equation's terms, precomputed once so each iteration is one pass over flat arrays. */
export interface DiscountTerms {
  /** Signed amounts: + advances, − repayments and charges. */
  readonly amounts: Float64Array;
  /** Exponent of (1 + r): years (EU) or whole unit-periods (US). */
  readonly whole: Float64Array;
  /** Simple-interest fraction of a unit-period (US); `null` when there is none (EU). */
  readonly fraction: Float64Array | null;
}

export interface Root {
  /** The rate per unit of time (a year for EU, a unit-period for US), as a fraction. */
  readonly rate: number;
  /** Newton/bisection iterations after bracketing. */
  readonly iterations: number;
}

/** Largest y scanned: r = e^700 − 1 ≈ 1e304, still finite. */
const Y_MAX = 700;
/** Smallest y scanned: r = e^−36 − 1 ≈ −1 + 2e−16, the last rate above −100 % a double can hold. */
const Y_MIN = -36;
const MAX_ITERATIONS = 200;

/**
 * The equation's value and slope at y, scaled by e^(y·τ) so no term overflows (τ = 0 for y ≥ 0,
 * τ = the latest time for y < 0); scaling by a positive factor keeps the roots.
 */
function evaluate(
  terms: DiscountTerms,
  y: number,
  tau: number,
): { value: number; slope: number; size: number } {
  const { amounts, whole, fraction } = terms;
  const em1 = Math.expm1(y);
  const growth = em1 + 1;
  let value = 0;
  let slope = 0;
  let size = 0;
  for (let j = 0; j < amounts.length; j++) {
    const lead = whole[j]! - tau;
    let exponent = -y * lead;
    let dExponent = -lead;
    const f = fraction ? fraction[j]! : 0;
    if (f !== 0) {
      const g = 1 + f * em1;
      exponent -= Math.log1p(f * em1);
      dExponent -= (f * growth) / g;
    }
    const term = amounts[j]! * Math.exp(exponent);
    value += term;
    slope += term * dExponent;
    size += Math.abs(term);
  }
  return { value, slope, size };
}

function refine(terms: DiscountTerms, lo: number, hi: number, fLo: number, fHi: number, tau: number): Root {
  // Start where the chord between the bracket's ends crosses zero (false position).
  const chord = lo - (fLo * (hi - lo)) / (fHi - fLo);
  let y = chord > lo && chord < hi ? chord : 0.5 * (lo + hi);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const { value, slope, size } = evaluate(terms, y, tau);
    // At the rounding noise of the sum no step can do better.
    if (Math.abs(value) <= 8 * Number.EPSILON * size) return { rate: Math.expm1(y), iterations: iteration };
    if (value > 0 === fLo > 0) lo = y;
    else hi = y;
    const newton = y - value / slope;
    // A Newton step this small has converged (quadratically: the error left is far smaller still).
    if (Math.abs(newton - y) <= 1e-13 * Math.abs(y))
      return { rate: Math.expm1(newton), iterations: iteration };
    y = newton >= lo && newton <= hi ? newton : 0.5 * (lo + hi);
    if (hi - lo <= 4 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi))) {
      return { rate: Math.expm1(y), iterations: iteration };
    }
  }
  return { rate: Math.expm1(y), iterations: MAX_ITERATIONS };
}

/** Scans from y = 0 towards `limit`, returning the first bracket with a sign change, or null. */
function scan(terms: DiscountTerms, f0: number, limit: number, tau: number): Root | null {
  let previous = 0;
  let fPrevious = f0;
  for (let step = 1 / 1024; ; step *= 2) {
    const y = Math.abs(step) >= Math.abs(limit) ? limit : Math.sign(limit) * step;
    const { value } = evaluate(terms, y, tau);
    if (value === 0) return { rate: Math.expm1(y), iterations: 0 };
    if (value > 0 !== fPrevious > 0) {
      return y > previous
        ? refine(terms, previous, y, fPrevious, value, tau)
        : refine(terms, y, previous, value, fPrevious, tau);
    }
    if (y === limit) return null;
    previous = y;
    fPrevious = value;
  }
}

/**
 * Solves Σ cⱼ (1+r)^(−tⱼ) (1+fⱼ r)^(−1) = 0 for r. Throws `no_solution` when no rate above −100 %
 * balances the flows (every repayment on the drawdown day, for instance).
 *
 * @example solveRate({ amounts: Float64Array.of(1000, -1100), whole: Float64Array.of(0, 1), fraction: null }).rate // 0.1
 */
export function solveRate(terms: DiscountTerms): Root {
  let f0 = 0;
  let latest = 0;
  for (let j = 0; j < terms.amounts.length; j++) {
    f0 += terms.amounts[j]!;
    latest = Math.max(latest, terms.whole[j]! + (terms.fraction ? terms.fraction[j]! : 0));
  }
  if (f0 === 0) return { rate: 0, iterations: 0 };
  const root = scan(terms, f0, Y_MAX, 0) ?? scan(terms, f0, Y_MIN, latest);
  if (!root || !Number.isFinite(root.rate) || root.rate <= -1) {
    throw new GreenfinError(
      ErrorCode.NoSolution,
      'payments',
      'no rate above −100 % makes the repayments and charges worth the advances (check amounts and dates)',
    );
  }
  return root;
}
