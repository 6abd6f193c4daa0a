/**
 * Energy: the latest year's renewable share (points in proportion), and the compound annual
 * change of energy intensity (MWh per million of revenue) over the last two years against the
 * 4 %/yr efficiency improvement of the COP28 pledge:
 *
 *   renewable fraction = share
 *   intensity change   = (EI_T / EI_{T−2})^(1/2) − 1,  EI = MWh / revenue (millions, one currency)
 *   trend fraction     = clamp(−change / 0.04, 0, 1)
 *
 * No energy benchmark per sector can be derived from the open datasets used here, so energy
 * intensity is scored on its trend, not its level.
 */
import { fxRate } from './fx.js';
import { ENERGY_INTENSITY_ANNUAL_IMPROVEMENT, TREND_WINDOW_YEARS } from './methodology.js';
import {
  change,
  clamp01,
  fixed,
  percent,
  rowLabel,
  scored,
  unmeasured,
  warn,
  type ScoredComponent,
  type ScoringContext,
} from './component.js';
import type { ComponentBenchmark } from './types.js';

const SHARE_ID = 'renewable-share';
const TREND_ID = 'energy-intensity-trend';
const SHARE_UNIT = 'fraction of energy from renewable sources';
const TREND_UNIT = 'fraction per year (change of MWh per million revenue)';

const EFFICIENCY_BENCHMARK: ComponentBenchmark = Object.freeze({
  value: -ENERGY_INTENSITY_ANNUAL_IMPROVEMENT,
  unit: TREND_UNIT,
  source:
    'COP28 Global Renewables and Energy Efficiency Pledge (2023): double the global annual energy-intensity improvement to over 4 % a year to 2030 (IEA Net Zero Emissions scenario)',
});

/**
 * Scores the renewable share (8 points): points in proportion to the latest year's share.
 *
 * @example scoreRenewableShare(ctx).component.points // 3.4 for a 42 % share
 */
export function scoreRenewableShare(ctx: ScoringContext): ScoredComponent {
  const latest = ctx.latest;
  if (latest === null) return unmeasured(SHARE_ID, SHARE_UNIT, null, 'No reporting year');
  if (latest.renewableShare === null) {
    warn(ctx, 'missing_renewable_share', `${rowLabel(latest)}: renewable share is missing.`, SHARE_ID);
    return unmeasured(SHARE_ID, SHARE_UNIT, null, `${latest.year} renewable share not reported`);
  }
  const share = latest.renewableShare;
  return scored(
    SHARE_ID,
    share,
    share,
    SHARE_UNIT,
    null,
    `${percent(share)} of ${latest.year} energy came from renewable sources. Points = 8 × ${fixed(share, 3)} = ${fixed(8 * share, 2)}.`,
    true,
  );
}

/**
 * Fraction (0–1) of the energy-intensity-trend points for a compound annual change of intensity;
 * `null` (a rise from zero) earns none, a latest intensity of zero all.
 *
 * @example energyTrendFraction(-0.02) // 0.5
 */
export function energyTrendFraction(annual: number | null, latestIsZero = false): number {
  if (latestIsZero) return 1;
  if (annual === null) return 0;
  return clamp01(-annual / ENERGY_INTENSITY_ANNUAL_IMPROVEMENT);
}

/**
 * Scores the energy-intensity trend (7 points): MWh per million revenue, latest year vs two years before.
 *
 * @example scoreEnergyIntensityTrend(ctx).component.value // ≈ −0.213 for EcoTech 2022 → 2024
 */
export function scoreEnergyIntensityTrend(ctx: ScoringContext): ScoredComponent {
  const { latest, base } = ctx;
  if (latest === null) return unmeasured(TREND_ID, TREND_UNIT, EFFICIENCY_BENCHMARK, 'No reporting year');
  if (base === null) {
    const year = latest.year - TREND_WINDOW_YEARS;
    warn(
      ctx,
      'missing_base_year',
      `No reporting year ${year}: the energy-intensity trend cannot be measured.`,
      TREND_ID,
    );
    return unmeasured(TREND_ID, TREND_UNIT, EFFICIENCY_BENCHMARK, `No ${year} data for the energy trend`);
  }
  for (const row of [base, latest]) {
    if (row.energyMwh === null) {
      warn(ctx, 'missing_energy', `${rowLabel(row)}: energy use is missing.`, TREND_ID);
      return unmeasured(TREND_ID, TREND_UNIT, EFFICIENCY_BENCHMARK, `${row.year} energy not reported`);
    }
    if (row.revenueMillions === null) {
      warn(ctx, 'missing_revenue', `${rowLabel(row)}: revenue is missing.`, TREND_ID);
      return unmeasured(TREND_ID, TREND_UNIT, EFFICIENCY_BENCHMARK, `${row.year} revenue not reported`);
    }
    if (row.revenueMillions === 0) {
      warn(
        ctx,
        'zero_revenue',
        `${rowLabel(row)}: revenue is zero, so energy intensity is unbounded.`,
        TREND_ID,
      );
      return scored(
        TREND_ID,
        0,
        null,
        TREND_UNIT,
        EFFICIENCY_BENCHMARK,
        `Revenue of ${row.year} is zero: 0 of 7 points.`,
        true,
      );
    }
  }
  const latestEnergy = latest.energyMwh!;
  const baseEnergy = base.energyMwh!;
  // Express the base year's revenue in the latest year's currency when they differ.
  const rate = fxRate(base.currency!, latest.currency!, ctx.fx);
  if (rate === null) {
    warn(
      ctx,
      'fx_rate_unavailable',
      `No ${base.currency}/${latest.currency} rate in "${ctx.fx.source}".`,
      TREND_ID,
    );
    return unmeasured(
      TREND_ID,
      TREND_UNIT,
      EFFICIENCY_BENCHMARK,
      `No exchange rate ${base.currency}→${latest.currency}`,
    );
  }
  const latestIntensity = latestEnergy / latest.revenueMillions!;
  const baseIntensity = baseEnergy / (base.revenueMillions! * rate);
  let annual: number | null;
  if (latestIntensity === 0) annual = baseIntensity === 0 ? 0 : -1;
  else
    annual = baseIntensity === 0 ? null : (latestIntensity / baseIntensity) ** (1 / TREND_WINDOW_YEARS) - 1;
  const fraction = energyTrendFraction(annual, latestIntensity === 0);
  const cur = latest.currency!;
  const what =
    `Energy intensity went from ${fixed(baseIntensity, 2)} MWh per ${cur} million in ${base.year} ` +
    `to ${fixed(latestIntensity, 2)} in ${latest.year}`;
  const explanation =
    annual === null
      ? `${what}: a rise from zero, no points.`
      : `${what}, ${change(annual)}; the COP28 efficiency pace is −4.0 %/yr. ` +
        `Points = 7 × clamp(${fixed(-annual, 4)} / 0.04) = ${fixed(7 * fraction, 2)}.`;
  return scored(TREND_ID, fraction, annual, TREND_UNIT, EFFICIENCY_BENCHMARK, explanation, true);
}
