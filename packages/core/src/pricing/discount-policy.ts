/**
 * The green-discount policy: how much a band takes off the rate, capped, above a floor, and only
 * when the score is trustworthy enough. A bank overrides any part of it.
 */
import { ErrorCode, assertInRange, invariant } from '../errors.js';
import { GREEN_SCORE_BAND_THRESHOLDS } from '../green-score/bands.js';
import type { GreenScoreBand } from '../green-score/types.js';
import { addRates } from './rates.js';

type Band = GreenScoreBand;
/** Green score bands, best first. */
const BANDS: readonly Band[] = GREEN_SCORE_BAND_THRESHOLDS.map((t) => t.band);

/** What pricing needs from a green score (a full `GreenScoreResult` fits). */
export interface GreenScoreSnapshot {
  readonly score: number;
  readonly band: Band;
  /** 0–1: how much of the methodology's input was present. */
  readonly confidence?: number;
  readonly methodologyVersion?: string;
}

export interface GreenDiscountPolicy {
  /** Discount per band as a rate fraction (0.005 = 0.50 percentage points). */
  readonly discounts: Readonly<Record<Band, number>>;
  /** The most any loan is discounted, whatever its band. */
  readonly cap: number;
  /** The final rate never goes below this. */
  readonly rateFloor: number;
  /** Below this score confidence no discount is granted (thin data must not earn a discount). */
  readonly minConfidence: number;
}

/**
 * Default policy: A −0.50 pp, B −0.35 pp, C −0.20 pp, D and E none; capped at 0.50 pp; rate
 * floor 0 %; no discount when the score's confidence is below 0.6. The band discounts sit in the
 * range UK and EU banks publish for green SME loans (see docs/methodology.md, "Pricing").
 */
export const DEFAULT_GREEN_DISCOUNT_POLICY: GreenDiscountPolicy = Object.freeze({
  discounts: Object.freeze({ A: 0.005, B: 0.0035, C: 0.002, D: 0, E: 0 }),
  cap: 0.005,
  rateFloor: 0,
  minConfidence: 0.6,
});

/** A policy override: any field, and any subset of the band discounts. */
export interface GreenDiscountPolicyOverride {
  readonly discounts?: Partial<Record<Band, number>>;
  readonly cap?: number;
  readonly rateFloor?: number;
  readonly minConfidence?: number;
}

/** Merges an override into the default policy and validates every number. */
export function resolvePolicy(
  override: GreenDiscountPolicyOverride = {},
  path = 'policy',
): GreenDiscountPolicy {
  const discounts = { ...DEFAULT_GREEN_DISCOUNT_POLICY.discounts, ...override.discounts };
  for (const band of BANDS) assertInRange(discounts[band], `${path}.discounts.${band}`, { min: 0, max: 1 });
  for (const key of Object.keys(discounts)) {
    invariant(
      (BANDS as readonly string[]).includes(key),
      ErrorCode.InvalidOption,
      `${path}.discounts.${key}`,
      'is not a band (A–E)',
    );
  }
  const policy = {
    discounts,
    cap: override.cap ?? DEFAULT_GREEN_DISCOUNT_POLICY.cap,
    rateFloor: override.rateFloor ?? DEFAULT_GREEN_DISCOUNT_POLICY.rateFloor,
    minConfidence: override.minConfidence ?? DEFAULT_GREEN_DISCOUNT_POLICY.minConfidence,
  };
  assertInRange(policy.cap, `${path}.cap`, { min: 0, max: 1 });
  assertInRange(policy.rateFloor, `${path}.rateFloor`, { min: -1, max: 1, minExclusive: true });
  assertInRange(policy.minConfidence, `${path}.minConfidence`, { min: 0, max: 1 });
  return policy;
}

/** Why the applied discount differs from the band's table value. */
export type DiscountLimit = 'no-score' | 'low-confidence' | 'cap' | 'rate-floor';

export interface GreenDiscount {
  /** The band the discount was looked up by, or null with no score. */
  readonly band: Band | null;
  /** The policy table's discount for that band. */
  readonly tableDiscount: number;
  /** The discount actually taken off the rate, after confidence, cap and floor. */
  readonly applied: number;
  /** Each rule that reduced the discount, in the order applied. */
  readonly limitedBy: readonly DiscountLimit[];
  /** One sentence a credit committee can read. */
  readonly explanation: string;
}

const fmtPp = (rate: number) => `${(rate * 100).toFixed(2)} pp`;

/**
 * Decides the green discount for a loan priced at `rateBeforeDiscount` (base + spread).
 *
 * @example
 * greenDiscount({ score: 84, band: 'A', confidence: 1 }, 0.07).applied // 0.005
 */
export function greenDiscount(
  score: GreenScoreSnapshot | undefined,
  rateBeforeDiscount: number,
  policy: GreenDiscountPolicy = DEFAULT_GREEN_DISCOUNT_POLICY,
): GreenDiscount {
  if (!score) {
    return {
      band: null,
      tableDiscount: 0,
      applied: 0,
      limitedBy: ['no-score'],
      explanation: 'No green score was supplied, so no green discount applies.',
    };
  }
  const tableDiscount = policy.discounts[score.band];
  const limitedBy: DiscountLimit[] = [];
  let applied = tableDiscount;
  const confidence = score.confidence ?? 1;
  if (applied > 0 && confidence < policy.minConfidence) {
    limitedBy.push('low-confidence');
    applied = 0;
  }
  if (applied > policy.cap) {
    limitedBy.push('cap');
    applied = policy.cap;
  }
  const headroom = Math.max(0, addRates(rateBeforeDiscount, -policy.rateFloor));
  if (applied > headroom) {
    limitedBy.push('rate-floor');
    applied = headroom;
  }
  applied = addRates(applied);
  const base = `Band ${score.band} (score ${score.score}) earns ${fmtPp(tableDiscount)} under the policy`;
  const reasons: Record<DiscountLimit, string> = {
    'no-score': '',
    'low-confidence': `withheld because the score's confidence ${confidence.toFixed(2)} is below ${policy.minConfidence}`,
    cap: `capped at ${fmtPp(policy.cap)}`,
    'rate-floor': `limited so the rate stays at or above the ${(policy.rateFloor * 100).toFixed(2)} % floor`,
  };
  const explanation =
    limitedBy.length === 0
      ? `${base}; ${fmtPp(applied)} applied.`
      : `${base}; ${limitedBy.map((l) => reasons[l]).join(', then ')}: ${fmtPp(applied)} applied.`;
  return { band: score.band, tableDiscount, applied, limitedBy, explanation };
}
