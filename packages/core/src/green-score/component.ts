/**
 * What every component scorer shares: the scoring context (validated rows, benchmark, FX, target),
 * warnings, and turning a 0–1 fraction of a component's maximum into points rounded to 0.1.
 * Internal to the green-score folder.
 */
import { halfEven } from '../rounding.js';
import type { FxRates } from './fx.js';
import type { EmissionsTarget, MetricsRow } from './input.js';
import { COMPONENTS, COMPONENT_MAX_POINTS, type GreenScoreComponentId } from './methodology.js';
import type { SectorBenchmarkMatch } from './sector-benchmarks.js';
import type { SicCode } from './sic.js';
import type {
  ComponentBenchmark,
  GreenScoreComponent,
  GreenScoreWarning,
  GreenScoreWarningCode,
} from './types.js';

/** Everything a component scorer may read, plus the warnings list it appends to. */
export interface ScoringContext {
  /** Latest reporting year (≤ asOfYear), or null with no metrics. */
  readonly latest: MetricsRow | null;
  /** The reporting year just before the latest, when reported. */
  readonly prior: MetricsRow | null;
  /** The reporting year two years before the latest, when reported. */
  readonly base: MetricsRow | null;
  readonly sic: SicCode | null;
  readonly benchmark: SectorBenchmarkMatch | null;
  readonly fx: FxRates;
  readonly target: EmissionsTarget | null | undefined;
  /** `asOfYear` when given, else the latest reporting year. */
  readonly referenceYear: number | null;
  readonly warnings: GreenScoreWarning[];
}

/** A component with its points in tenths (summed exactly) and whether its inputs were present. */
export interface ScoredComponent {
  readonly component: GreenScoreComponent;
  readonly tenths: number;
  /** False when an input the component needs was missing (lowers confidence). */
  readonly available: boolean;
}

const META: ReadonlyMap<GreenScoreComponentId, (typeof COMPONENTS)[number]> = new Map(
  COMPONENTS.map((c) => [c.id, c]),
);

/**
 * Builds a component: points = maxPoints × fraction, rounded half-even to 0.1. Rounding is
 * monotone, so a larger fraction never yields fewer points.
 *
 * @example scored('renewable-share', 0.42, 0.42, 'fraction', null, '…', true).component.points // 3.4
 */
export function scored(
  id: GreenScoreComponentId,
  fraction: number,
  value: number | null,
  unit: string,
  benchmark: ComponentBenchmark | null,
  explanation: string,
  available: boolean,
): ScoredComponent {
  const maxPoints = COMPONENT_MAX_POINTS[id];
  // NaN never reaches here by construction; the guard keeps a bug from becoming a good score.
  const f = fraction > 0 ? (fraction < 1 ? fraction : 1) : 0;
  const tenths = halfEven(maxPoints * f * 10);
  const meta = META.get(id)!;
  return {
    component: {
      id,
      group: meta.group,
      label: meta.label,
      points: tenths / 10,
      maxPoints,
      value,
      unit,
      benchmark,
      explanation,
    },
    tenths,
    available,
  };
}

/**
 * A component that could not be measured: zero points, not available (lowers confidence).
 *
 * @example unmeasured('renewable-share', 'fraction', null, '2024 renewable share not reported').tenths // 0
 */
export function unmeasured(
  id: GreenScoreComponentId,
  unit: string,
  benchmark: ComponentBenchmark | null,
  reason: string,
): ScoredComponent {
  return scored(id, 0, null, unit, benchmark, `${reason}: 0 of ${COMPONENT_MAX_POINTS[id]} points.`, false);
}

/**
 * Appends a warning to the context's list.
 *
 * @example warn(ctx, 'missing_energy', 'metrics[0] (2022): energy use is missing.', 'energy-intensity-trend')
 */
export function warn(
  ctx: ScoringContext,
  code: GreenScoreWarningCode,
  message: string,
  component?: GreenScoreComponentId,
): void {
  ctx.warnings.push(component === undefined ? { code, message } : { code, message, component });
}

/**
 * Scope 1 + scope 2 of a row (t CO2e), or null when either is missing (never taken as zero).
 *
 * @example scope12(row) // 91.8 for EcoTech 2024
 */
export function scope12(row: MetricsRow): number | null {
  return row.scope1 === null || row.scope2 === null ? null : row.scope1 + row.scope2;
}

/**
 * Where a row came from, for messages.
 *
 * @example rowLabel(row) // 'metrics[2] (2024)'
 */
export function rowLabel(row: MetricsRow): string {
  return `metrics[${row.index}] (${row.year})`;
}

/**
 * Names the missing scopes of a row, for messages.
 *
 * @example missingScopes(row) // 'scope 2 is'
 */
export function missingScopes(row: MetricsRow): string {
  if (row.scope1 === null && row.scope2 === null) return 'scope 1 and scope 2 are';
  return row.scope1 === null ? 'scope 1 is' : 'scope 2 is';
}

const SCALE = [1, 10, 100, 1000, 10000, 100000, 1000000];

/**
 * Fixed-point text of a number, rounded half away from zero (no locale, so results read the same
 * everywhere). Integer formatting is several times faster than `toFixed`, which matters when
 * 100,000 scores are explained a second; very large or small values fall back to `toFixed`.
 *
 * @example fixed(19.125, 2) // '19.13'
 */
export function fixed(x: number, digits: number): string {
  const scale = SCALE[digits];
  const abs = x < 0 ? -x : x;
  if (scale === undefined || !(abs * scale < 9e15)) return x.toFixed(digits);
  const n = Math.round(abs * scale);
  if (digits === 0) return n === 0 || x >= 0 ? String(n) : `-${n}`;
  let s = String(n);
  while (s.length <= digits) s = `0${s}`;
  const sign = x < 0 && n !== 0 ? '-' : '';
  return `${sign}${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/**
 * A fraction as a percentage with one decimal.
 *
 * @example percent(0.153) // '15.3 %'
 */
export function percent(x: number): string {
  return `${fixed(x * 100, 1)} %`;
}

/**
 * A signed annual change.
 *
 * @example change(-0.15) // '−15.0 %/yr'
 */
export function change(x: number): string {
  return `${x < 0 ? '−' : '+'}${fixed(Math.abs(x * 100), 1)} %/yr`;
}

/**
 * Clamps to [0, 1]; NaN becomes 0.
 *
 * @example clamp01(1.7) // 1
 */
export function clamp01(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}
