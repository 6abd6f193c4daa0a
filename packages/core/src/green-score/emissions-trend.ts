/**
 * Emissions trend vs a 1.5 °C-aligned path: the year-on-year change of absolute scope 1+2
 * (latest year vs the year before) and the compound annual change over the last two years
 * (latest vs two years before), each compared with the SBTi absolute-contraction path of a 4.2 %
 * linear annual reduction over the same span:
 *
 *   change      = (E_T / E_{T−n})^(1/n) − 1
 *   path rate   = 1 − (1 − 0.042 n)^(1/n)          (n = 1: 4.2 %; n = 2: 4.29 %)
 *   fraction    = clamp(−change / path rate, 0, 1)  (flat or rising: 0; on the path or faster: 1)
 *
 * Zero latest emissions earn full points (nothing is left to reduce); emissions rising from zero
 * earn none.
 */
import {
  COMPONENT_MAX_POINTS,
  SBTI_1_5C_ANNUAL_LINEAR_REDUCTION,
  TREND_WINDOW_YEARS,
} from './methodology.js';
import {
  change,
  clamp01,
  fixed,
  missingScopes,
  percent,
  rowLabel,
  scope12,
  scored,
  unmeasured,
  warn,
  type ScoredComponent,
  type ScoringContext,
} from './component.js';
import type { MetricsRow } from './input.js';
import type { ComponentBenchmark } from './types.js';

const UNIT = 'fraction per year (change of scope 1+2 tCO2e)';

const SBTI_SOURCE =
  'SBTi Corporate Net-Zero Standard v1.0 (2021) and Near-Term Criteria v5: 1.5 °C absolute contraction, 4.2 % linear annual reduction of scope 1+2';

/**
 * Annual reduction rate of a path that cuts 4.2 % of the starting level each year, over `years`,
 * expressed as a compound rate so it compares with a compound change.
 *
 * @example onePointFivePathRate(1) // 0.042
 * @example onePointFivePathRate(2) // ≈ 0.042923 (= 1 − √0.916)
 */
export function onePointFivePathRate(years: number): number {
  if (years === 1) return SBTI_1_5C_ANNUAL_LINEAR_REDUCTION; // exact, without float noise
  return 1 - (1 - SBTI_1_5C_ANNUAL_LINEAR_REDUCTION * years) ** (1 / years);
}

/**
 * Compound annual change from `from` to `to` over `years`, or `null` when emissions rose from zero
 * (an unbounded increase).
 *
 * @example annualChange(127.1, 91.8, 2) // ≈ −0.1501
 */
export function annualChange(from: number, to: number, years: number): number | null {
  if (to === 0) return from === 0 ? 0 : -1;
  if (from === 0) return null;
  return (to / from) ** (1 / years) - 1;
}

/**
 * Fraction (0–1) of a trend component's points for a compound annual change over `years`.
 * `latestIsZero`: the latest year's emissions are zero (full points).
 *
 * @example trendFraction(-0.021, 1) // 0.5 (half the 1.5 °C pace)
 */
export function trendFraction(annual: number | null, years: number, latestIsZero = false): number {
  if (latestIsZero) return 1;
  if (annual === null) return 0;
  return clamp01(-annual / onePointFivePathRate(years));
}

function pathBenchmark(years: number): ComponentBenchmark {
  const pathRate = onePointFivePathRate(years);
  return {
    value: -pathRate,
    unit: UNIT,
    source: SBTI_SOURCE,
    derivation: `1 − (1 − 0.042 × ${years})^(1/${years}) = ${pathRate.toFixed(6)}`,
  };
}

// Constant per window length: built once, shared by every result (results are read-only).
const YOY_BENCHMARK = Object.freeze(pathBenchmark(1));
const CAGR_BENCHMARK = Object.freeze(pathBenchmark(TREND_WINDOW_YEARS));

function trendComponent(
  ctx: ScoringContext,
  id: 'emissions-trend-yoy' | 'emissions-trend-cagr',
  earlier: MetricsRow | null,
  years: number,
): ScoredComponent {
  const latest = ctx.latest;
  const pathRate = onePointFivePathRate(years);
  const benchmark = years === 1 ? YOY_BENCHMARK : CAGR_BENCHMARK;
  if (latest === null) return unmeasured(id, UNIT, benchmark, 'No reporting year');
  const span = years === 1 ? 'year on year' : `over ${years} years`;
  if (earlier === null) {
    const year = latest.year - years;
    warn(
      ctx,
      years === 1 ? 'missing_prior_year' : 'missing_base_year',
      `No reporting year ${year}: the trend ${span} cannot be measured.`,
      id,
    );
    return unmeasured(id, UNIT, benchmark, `No ${year} data for the trend ${span}`);
  }
  const to = scope12(latest);
  const from = scope12(earlier);
  if (to === null || from === null) {
    const row = to === null ? latest : earlier;
    warn(ctx, 'missing_emissions', `${rowLabel(row)}: ${missingScopes(row)} missing.`, id);
    return unmeasured(id, UNIT, benchmark, `${row.year} scope 1+2 not reported`);
  }
  const annual = annualChange(from, to, years);
  const fraction = trendFraction(annual, years, to === 0);
  const max = COMPONENT_MAX_POINTS[id];
  const what = `Scope 1+2 went from ${fixed(from, 1)} tCO2e in ${earlier.year} to ${fixed(to, 1)} in ${latest.year}`;
  let explanation: string;
  if (to === 0) explanation = `${what}: zero emissions, full points.`;
  else if (annual === null) explanation = `${what}: a rise from zero, no points.`;
  else {
    explanation =
      `${what}, ${change(annual)} ${span}; the 1.5 °C path requires −${percent(pathRate)}/yr. ` +
      `Points = ${max} × clamp(${fixed(-annual, 4)} / ${fixed(pathRate, 4)}) = ${fixed(max * fraction, 2)}.`;
  }
  return scored(id, fraction, annual, UNIT, benchmark, explanation, true);
}

/**
 * Scores the year-on-year trend (10 points): latest year vs the year before.
 *
 * @example scoreEmissionsTrendYoy(ctx).component.value // −0.15 for EcoTech 2023 → 2024
 */
export function scoreEmissionsTrendYoy(ctx: ScoringContext): ScoredComponent {
  return trendComponent(ctx, 'emissions-trend-yoy', ctx.prior, 1);
}

/**
 * Scores the multi-year trend (10 points): latest year vs two years before.
 *
 * @example scoreEmissionsTrendCagr(ctx).component.points // 10 for EcoTech 2022 → 2024
 */
export function scoreEmissionsTrendCagr(ctx: ScoringContext): ScoredComponent {
  return trendComponent(ctx, 'emissions-trend-cagr', ctx.base, TREND_WINDOW_YEARS);
}
