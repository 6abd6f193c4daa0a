/**
 * `greenScore`: an explainable 0–100 score of a company's environmental performance under
 * methodology `gs-2026.1` (docs/methodology/green-score.md). Pure and deterministic: the same
 * input always gives the same result, with no clock, I/O or randomness.
 */
import { scoreCarbonIntensity } from './carbon-intensity.js';
import type { ScoredComponent, ScoringContext } from './component.js';
import { warn } from './component.js';
import { scoreConfidence } from './confidence.js';
import { scoreDataQuality, scoreScope3Disclosure, scoreVerification } from './disclosure.js';
import { scoreEmissionsTrendCagr, scoreEmissionsTrendYoy } from './emissions-trend.js';
import { scoreEnergyIntensityTrend, scoreRenewableShare } from './energy.js';
import { DEFAULT_FX_RATES } from './fx.js';
import {
  validateInput,
  validateOptions,
  type GreenScoreInput,
  type GreenScoreOptions,
  type MetricsRow,
} from './input.js';
import { METHODOLOGY_VERSION, TREND_WINDOW_YEARS } from './methodology.js';
import { findSectorBenchmark } from './sector-benchmarks.js';
import { scoreTargetAmbition } from './target-ambition.js';
import { greenScoreBand } from './bands.js';
import type { GreenScoreResult } from './types.js';

function rowOfYear(rows: readonly MetricsRow[], latestIndex: number, year: number): MetricsRow | null {
  for (let i = latestIndex - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (row.year === year) return row;
    if (row.year < year) return null;
  }
  return null;
}

/**
 * Scores a company: carbon intensity vs sector peers (30 points), emissions trend year on year
 * and over two years vs the 1.5 °C path (10 + 10), renewable share (8), energy-intensity trend
 * (7), target ambition (15) and disclosure quality (PCAF 10, verification 6, scope 3 4).
 *
 * Each component's points are rounded half-even to 0.1 and the score is their exact sum; the band
 * follows from the score (A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E). Missing data never throws and never
 * scores as good: the component gets 0, confidence drops, and a warning names it. Invalid data
 * throws one `GreenfinError` with the field's path (`metrics[2].renewableShare`).
 *
 * @example
 * const r = greenScore({
 *   sicCodes: ecotechExample.company.sicCodes,
 *   metrics: ecotechExample.metrics,
 *   target: ecotechExample.target,
 * });
 * r.score // 85
 * r.band // 'A'
 */
export function greenScore(input: GreenScoreInput, options?: GreenScoreOptions): GreenScoreResult {
  const asOfYear = validateOptions(options);
  const { sic, rows, ignoredYears, target } = validateInput(input, asOfYear);
  const fx = options?.fxRates ?? DEFAULT_FX_RATES;

  const latestIndex = rows.length - 1;
  const latest = latestIndex >= 0 ? rows[latestIndex]! : null;
  const ctx: ScoringContext = {
    latest,
    prior: latest === null ? null : rowOfYear(rows, latestIndex, latest.year - 1),
    base: latest === null ? null : rowOfYear(rows, latestIndex, latest.year - TREND_WINDOW_YEARS),
    sic,
    benchmark:
      sic === null
        ? null
        : findSectorBenchmark(sic, options?.benchmarks, options?.useDefaultBenchmarks ?? true),
    fx,
    target,
    referenceYear: asOfYear ?? latest?.year ?? null,
    warnings: [],
  };

  if (ignoredYears.length > 0) {
    warn(
      ctx,
      'metrics_after_as_of_year',
      `Reporting years ${ignoredYears.join(', ')} are after ${asOfYear} and were ignored.`,
    );
  }
  if (latest === null)
    warn(ctx, 'no_metrics', 'No reporting year to score: only the target can earn points.');
  const yearsStale = latest !== null && asOfYear !== null ? asOfYear - 1 - latest.year : 0;
  if (yearsStale > 0) {
    warn(
      ctx,
      'stale_metrics',
      `The latest reporting year ${latest!.year} is ${yearsStale + 1} years before ${asOfYear}.`,
    );
  }

  const scoredComponents: ScoredComponent[] = [
    scoreCarbonIntensity(ctx),
    scoreEmissionsTrendYoy(ctx),
    scoreEmissionsTrendCagr(ctx),
    scoreRenewableShare(ctx),
    scoreEnergyIntensityTrend(ctx),
    scoreTargetAmbition(ctx),
    scoreDataQuality(ctx),
    scoreVerification(ctx),
    scoreScope3Disclosure(ctx),
  ];

  let tenths = 0;
  for (const c of scoredComponents) tenths += c.tenths;
  const score = tenths / 10;
  return {
    score,
    band: greenScoreBand(score),
    components: scoredComponents.map((c) => c.component),
    confidence: scoreConfidence(scoredComponents, latest?.pcaf ?? null, yearsStale),
    warnings: ctx.warnings,
    methodologyVersion: METHODOLOGY_VERSION,
    inputs: {
      sicCode: sic?.code ?? null,
      section: sic?.section ?? null,
      division: sic?.division ?? null,
      latestYear: latest?.year ?? null,
      priorYear: ctx.prior?.year ?? null,
      baseYear: ctx.base?.year ?? null,
      yearsIgnored: ignoredYears,
      asOfYear,
      currency: latest?.currency ?? null,
      fxRates: { base: fx.base, year: fx.year, source: fx.source },
      target: target ?? null,
    },
  };
}
