/**
 * Score bands. A ≥ 80 marks a company whose scope 1+2 intensity is at or better than its sector's,
 * falling at least at the 1.5 °C pace, with a credible target and good data; the lower thresholds
 * are 15 points apart (one band ≈ half the carbon-intensity component).
 */
import { assertInRange } from '../errors.js';
import type { GreenScoreBand } from './types.js';

/** Lowest score of each band, best first; E is everything below D. */
export const GREEN_SCORE_BAND_THRESHOLDS: readonly { readonly band: GreenScoreBand; readonly min: number }[] =
  [
    { band: 'A', min: 80 },
    { band: 'B', min: 65 },
    { band: 'C', min: 50 },
    { band: 'D', min: 35 },
    { band: 'E', min: 0 },
  ];

/**
 * The band of a 0–100 score.
 *
 * @example greenScoreBand(82.4) // 'A'
 * @example greenScoreBand(79.9) // 'B'
 */
export function greenScoreBand(score: number): GreenScoreBand {
  if (!(score >= 0 && score <= 100)) assertInRange(score, 'score', { min: 0, max: 100 });
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  return 'E';
}
