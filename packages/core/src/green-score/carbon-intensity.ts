/**
 * Carbon intensity vs sector peers: the latest year's scope 1+2 tCO2e per million of revenue,
 * compared on a log scale with the sector's typical scope 1+2 intensity.
 *
 *   ratio    = intensity / benchmark (both in the company's currency)
 *   fraction = clamp(½ − log₂(ratio) / (2 × 3), 0, 1)
 *
 * so the benchmark earns half the points, 8× cleaner all of them, 8× dirtier none; each halving of
 * intensity is worth 1/6 of the component. Strictly non-increasing in emissions.
 */
import { fxRate } from './fx.js';
import { INTENSITY_HALF_RANGE_DOUBLINGS } from './methodology.js';
import {
  clamp01,
  fixed,
  missingScopes,
  rowLabel,
  scope12,
  scored,
  unmeasured,
  warn,
  type ScoredComponent,
  type ScoringContext,
} from './component.js';
import type { ComponentBenchmark } from './types.js';

const ID = 'carbon-intensity';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Fraction (0–1) of the carbon-intensity points for an intensity-to-benchmark ratio.
 *
 * @example carbonIntensityFraction(1) // 0.5 (at the sector benchmark)
 * @example carbonIntensityFraction(0.125) // 1 (8× cleaner)
 */
export function carbonIntensityFraction(ratio: number): number {
  if (ratio <= 0) return 1;
  return clamp01(0.5 - Math.log2(ratio) / (2 * INTENSITY_HALF_RANGE_DOUBLINGS));
}

/**
 * Scores the carbon-intensity component (30 points) from the scoring context.
 *
 * @example scoreCarbonIntensity(ctx).component.points // 19.6 for EcoTech 2024
 */
export function scoreCarbonIntensity(ctx: ScoringContext): ScoredComponent {
  const { latest, sic, benchmark: match } = ctx;
  const unitFor = (currency: string) => `tCO2e per ${currency} million revenue`;
  if (latest === null) return unmeasured(ID, unitFor('revenue currency'), null, 'No reporting year');
  const currencyLabel = latest.currency ?? '';
  const unit = unitFor(currencyLabel || 'revenue currency');
  if (sic === null) {
    warn(ctx, 'missing_sic_code', 'No SIC code: the sector benchmark cannot be chosen.', ID);
    return unmeasured(ID, unit, null, 'No SIC code, so no sector benchmark');
  }
  const b = match?.benchmark;
  if (match === null || b === undefined || b.scope12PerMillionRevenue === null) {
    const why = b?.derivation ? ` (${b.derivation})` : '';
    warn(ctx, 'no_sector_benchmark', `No carbon-intensity benchmark for SIC ${sic.code}${why}.`, ID);
    return unmeasured(ID, unit, null, `No sector benchmark for SIC ${sic.code}`);
  }
  const emissions = scope12(latest);
  if (emissions === null) {
    warn(ctx, 'missing_emissions', `${rowLabel(latest)}: ${missingScopes(latest)} missing.`, ID);
    return unmeasured(ID, unit, null, `${latest.year} scope 1+2 not reported`);
  }
  if (latest.revenueMillions === null || latest.currency === null) {
    warn(ctx, 'missing_revenue', `${rowLabel(latest)}: revenue is missing.`, ID);
    return unmeasured(ID, unit, null, `${latest.year} revenue not reported`);
  }
  const rate = fxRate(b.currency, latest.currency, ctx.fx);
  if (rate === null) {
    warn(
      ctx,
      'fx_rate_unavailable',
      `No ${b.currency}/${latest.currency} rate in "${ctx.fx.source}" to compare revenue with the benchmark.`,
      ID,
    );
    return unmeasured(ID, unit, null, `No exchange rate from ${b.currency} to ${latest.currency}`);
  }
  // Benchmark per million of benchmark currency → per million of the company's currency.
  const benchmarkValue = b.scope12PerMillionRevenue / rate;
  const sector: NonNullable<ComponentBenchmark['sector']> =
    b.title === undefined
      ? { sic: match.matchedKey, level: match.level, fromCaller: match.fromCaller }
      : { sic: match.matchedKey, level: match.level, title: b.title, fromCaller: match.fromCaller };
  const benchmark: Mutable<ComponentBenchmark> = { value: benchmarkValue, unit, source: b.source, sector };
  if (b.derivation !== undefined) benchmark.derivation = b.derivation;
  if (b.currency !== latest.currency) {
    benchmark.original = { value: b.scope12PerMillionRevenue, unit: unitFor(`${b.currency} ${b.year}`) };
    benchmark.fx = { from: b.currency, to: latest.currency, rate, year: ctx.fx.year, source: ctx.fx.source };
  }
  if (latest.revenueMillions === 0) {
    warn(ctx, 'zero_revenue', `${rowLabel(latest)}: revenue is zero, so intensity is unbounded.`, ID);
    return scored(ID, 0, null, unit, benchmark, `Revenue of ${latest.year} is zero: 0 of 30 points.`, true);
  }
  const intensity = emissions / latest.revenueMillions;
  const ratio = intensity / benchmarkValue;
  const fraction = carbonIntensityFraction(ratio);
  const sectorText = `SIC ${match.matchedKey}${b.title ? ` (${b.title})` : ''}`;
  const explanation =
    `Scope 1+2 of ${fixed(emissions, 1)} tCO2e on ${currencyLabel} ${fixed(latest.revenueMillions, 2)}m revenue in ${latest.year} ` +
    `is ${fixed(intensity, 2)} ${unit}, ${fixed(ratio, 2)}× the typical scope 1+2 intensity of ${sectorText}, ` +
    `${fixed(benchmarkValue, 2)}. Points = 30 × clamp(½ − log₂(${fixed(ratio, 3)})/6) = ${fixed(30 * fraction, 2)}.`;
  return scored(ID, fraction, intensity, unit, benchmark, explanation, true);
}
