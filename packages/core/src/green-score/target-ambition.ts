/**
 * Target ambition: the target's linear annual reduction against the SBTi 1.5 °C minimum of 4.2 %
 * a year, weighted by validation and scope coverage:
 *
 *   annual rate = reduction / (targetYear − baseYear)
 *   fraction    = min(1, annual rate / 0.042) × (validated ? 1 : 0.6) × (covers scope 1+2 ? 1 : 0.5)
 *
 * A target whose year has passed (before `asOfYear`, or the latest reporting year) scores nothing.
 */
import {
  PARTIAL_SCOPE_TARGET_FACTOR,
  SBTI_1_5C_ANNUAL_LINEAR_REDUCTION,
  UNVALIDATED_TARGET_FACTOR,
} from './methodology.js';
import {
  fixed,
  percent,
  scored,
  unmeasured,
  warn,
  type ScoredComponent,
  type ScoringContext,
} from './component.js';
import type { EmissionsTarget } from './input.js';
import type { ComponentBenchmark } from './types.js';

const ID = 'target-ambition';
const UNIT = 'fraction of base-year emissions cut per year (linear)';

const BENCHMARK: ComponentBenchmark = Object.freeze({
  value: SBTI_1_5C_ANNUAL_LINEAR_REDUCTION,
  unit: UNIT,
  source:
    'SBTi Corporate Net-Zero Standard v1.0 (2021) and Near-Term Criteria v5: minimum 4.2 % linear annual reduction of scope 1+2 for 1.5 °C',
});

/**
 * Fraction (0–1) of the target-ambition points for a target (expiry aside).
 *
 * @example targetAmbitionFraction({ baseYear: 2022, targetYear: 2030, reduction: 0.42, scopes: 'scope1+2', validated: true }) // 1
 */
export function targetAmbitionFraction(target: EmissionsTarget): number {
  const annual = target.reduction / (target.targetYear - target.baseYear);
  const ambition = Math.min(1, annual / SBTI_1_5C_ANNUAL_LINEAR_REDUCTION);
  const validation = target.validated ? 1 : UNVALIDATED_TARGET_FACTOR;
  const coverage = target.scopes === 'scope1' || target.scopes === 'scope2' ? PARTIAL_SCOPE_TARGET_FACTOR : 1;
  return ambition * validation * coverage;
}

/**
 * Scores the target-ambition component (15 points).
 *
 * @example scoreTargetAmbition(ctx).component.points // 15 for a validated −42 % 2022→2030 target
 */
export function scoreTargetAmbition(ctx: ScoringContext): ScoredComponent {
  const target = ctx.target;
  if (target === undefined) {
    warn(ctx, 'missing_target', 'Whether the company has an emissions target is not known.', ID);
    return unmeasured(ID, UNIT, BENCHMARK, 'Target not known');
  }
  if (target === null) {
    warn(ctx, 'no_target', 'The company has no emissions-reduction target.', ID);
    return scored(ID, 0, null, UNIT, BENCHMARK, 'No emissions-reduction target: 0 of 15 points.', true);
  }
  const annual = target.reduction / (target.targetYear - target.baseYear);
  const span = `−${percent(target.reduction)} of ${target.scopes} from ${target.baseYear} to ${target.targetYear}`;
  if (ctx.referenceYear !== null && target.targetYear < ctx.referenceYear) {
    warn(ctx, 'target_expired', `The target year ${target.targetYear} is before ${ctx.referenceYear}.`, ID);
    return scored(ID, 0, annual, UNIT, BENCHMARK, `Target ${span} has expired: 0 of 15 points.`, true);
  }
  const partial = target.scopes === 'scope1' || target.scopes === 'scope2';
  if (partial) {
    warn(ctx, 'target_partial_scope', `The target covers ${target.scopes} only, not scope 1+2.`, ID);
  }
  const fraction = targetAmbitionFraction(target);
  const explanation =
    `Target ${span} is ${percent(annual)}/yr linear against the 1.5 °C minimum of 4.2 %/yr` +
    `${target.validated ? ', validated' : ', not validated (×0.6)'}${partial ? ', partial scope (×0.5)' : ''}. ` +
    `Points = 15 × ${fixed(fraction, 3)} = ${fixed(15 * fraction, 2)}.`;
  return scored(ID, fraction, annual, UNIT, BENCHMARK, explanation, true);
}
