/**
 * Disclosure quality of the latest reporting year: the PCAF data-quality score (1 best – 5 worst,
 * PCAF Standard Part A, Table 5-7), third-party verification of scope 1+2, and whether scope 3 is
 * reported.
 *
 *   data-quality fraction = (5 − score) / 4      (1 → 1, 2 → 0.75, 3 → 0.5, 4 → 0.25, 5 → 0)
 *   verification fraction = verified ? 1 : 0
 *   scope 3 fraction      = reported ? 1 : 0
 */
import {
  fixed,
  rowLabel,
  scored,
  unmeasured,
  warn,
  type ScoredComponent,
  type ScoringContext,
} from './component.js';
import type { PcafScore } from './input.js';
import type { ComponentBenchmark } from './types.js';

const PCAF_UNIT = 'PCAF data-quality score (1 best – 5 worst)';
const PCAF_BENCHMARK: ComponentBenchmark = Object.freeze({
  value: 1,
  unit: PCAF_UNIT,
  source:
    'PCAF Global GHG Accounting and Reporting Standard Part A, 2nd ed. (2022), Table 5-7: score 1 = verified emissions reported by the company',
});

/**
 * Fraction (0–1) of the data-quality points for a PCAF score.
 *
 * @example pcafFraction(2) // 0.75
 */
export function pcafFraction(score: PcafScore): number {
  return (5 - score) / 4;
}

/**
 * Scores PCAF data quality (10 points) of the latest year.
 *
 * @example scoreDataQuality(ctx).component.points // 7.5 for a PCAF score of 2
 */
export function scoreDataQuality(ctx: ScoringContext): ScoredComponent {
  const id = 'data-quality';
  const latest = ctx.latest;
  if (latest === null) return unmeasured(id, PCAF_UNIT, PCAF_BENCHMARK, 'No reporting year');
  if (latest.pcaf === null) {
    warn(
      ctx,
      'missing_pcaf_score',
      `${rowLabel(latest)}: PCAF data-quality score is missing (taken as 5).`,
      id,
    );
    return unmeasured(id, PCAF_UNIT, PCAF_BENCHMARK, `${latest.year} PCAF score not given`);
  }
  const f = pcafFraction(latest.pcaf);
  return scored(
    id,
    f,
    latest.pcaf,
    PCAF_UNIT,
    PCAF_BENCHMARK,
    `PCAF data-quality score ${latest.pcaf} for ${latest.year}. Points = 10 × (5 − ${latest.pcaf})/4 = ${fixed(10 * f, 2)}.`,
    true,
  );
}

/**
 * Scores third-party verification of scope 1+2 (6 points) of the latest year.
 *
 * @example scoreVerification(ctx).component.points // 6 when verified
 */
export function scoreVerification(ctx: ScoringContext): ScoredComponent {
  const id = 'verification';
  const unit = '1 = scope 1+2 verified by a third party, 0 = not';
  const latest = ctx.latest;
  if (latest === null) return unmeasured(id, unit, null, 'No reporting year');
  if (latest.verified === null) {
    warn(
      ctx,
      'missing_verification',
      `${rowLabel(latest)}: whether emissions are verified is not known.`,
      id,
    );
    return unmeasured(id, unit, null, `${latest.year} verification status not given`);
  }
  const text = latest.verified
    ? `${latest.year} scope 1+2 emissions are third-party verified: 6 of 6 points.`
    : `${latest.year} scope 1+2 emissions are not verified: 0 of 6 points.`;
  return scored(id, latest.verified ? 1 : 0, latest.verified ? 1 : 0, unit, null, text, true);
}

/**
 * Scores scope 3 disclosure (4 points): reported in the latest year or not.
 *
 * @example scoreScope3Disclosure(ctx).component.points // 4 when scope 3 is reported
 */
export function scoreScope3Disclosure(ctx: ScoringContext): ScoredComponent {
  const id = 'scope3-disclosure';
  const unit = 'tCO2e scope 3 reported';
  const latest = ctx.latest;
  if (latest === null) return unmeasured(id, unit, null, 'No reporting year');
  if (latest.scope3 === null) {
    warn(ctx, 'scope3_not_reported', `${rowLabel(latest)}: scope 3 emissions are not reported.`, id);
    return unmeasured(id, unit, null, `${latest.year} scope 3 not reported`);
  }
  return scored(
    id,
    1,
    latest.scope3,
    unit,
    null,
    `${latest.year} scope 3 of ${fixed(latest.scope3, 1)} tCO2e is reported: 4 of 4 points.`,
    true,
  );
}
