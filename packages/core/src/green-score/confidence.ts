/**
 * Confidence (0–1) in a green score: how much of the methodology's input was present, discounted
 * for the data quality of the latest year and for staleness.
 *
 *   coverage   = Σ maxPoints of components whose inputs were present / 100
 *   quality    = PCAF factor of the latest year (1: 1.0, 2: 0.9, 3: 0.8, 4: 0.7, 5 or missing: 0.6)
 *   freshness  = max(0, 1 − 0.2 × years the latest year lags behind asOfYear − 1)   (1 without asOfYear)
 *   confidence = round(coverage × quality × freshness, 2)
 */
import { halfEven } from '../rounding.js';
import type { ScoredComponent } from './component.js';
import type { PcafScore } from './input.js';
import { PCAF_CONFIDENCE_FACTOR, STALENESS_CONFIDENCE_PENALTY_PER_YEAR } from './methodology.js';

/**
 * The confidence of a score from its components, the latest year's PCAF score and staleness.
 *
 * @example scoreConfidence(components, 2, 0) // 0.9 when every input is present
 */
export function scoreConfidence(
  components: readonly ScoredComponent[],
  latestPcaf: PcafScore | null,
  yearsStale: number,
): number {
  let present = 0;
  for (const c of components) if (c.available) present += c.component.maxPoints;
  const coverage = present / 100;
  const quality = PCAF_CONFIDENCE_FACTOR[latestPcaf ?? 5];
  const freshness = Math.max(0, 1 - STALENESS_CONFIDENCE_PENALTY_PER_YEAR * Math.max(0, yearsStale));
  return halfEven(coverage * quality * freshness * 100) / 100;
}
