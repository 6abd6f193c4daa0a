/**
 * The constants of green-score methodology `gs-2026.1`: weights, reference rates and mapping
 * parameters. Every number here is justified, with its source, in docs/methodology/green-score.md;
 * changing any of them is a new methodology version.
 */

/** The methodology version every result carries. */
export const METHODOLOGY_VERSION = 'gs-2026.1';

/**
 * Minimum annual linear reduction of absolute scope 1+2 emissions for a 1.5 °C-aligned near-term
 * target under the SBTi absolute contraction approach (SBTi Corporate Near-Term Criteria v5,
 * C6; SBTi Foundations for Science-Based Net-Zero Target Setting, 2021: 42 % over 2020–2030).
 */
export const SBTI_1_5C_ANNUAL_LINEAR_REDUCTION = 0.042;

/**
 * Annual energy-intensity improvement the COP28 Global Renewables and Energy Efficiency Pledge
 * (2023) calls for: doubling the global average rate from about 2 % to over 4 % a year to 2030
 * (the IEA Net Zero Emissions scenario's rate).
 */
export const ENERGY_INTENSITY_ANNUAL_IMPROVEMENT = 0.04;

/**
 * Share of a sector's cradle-to-gate (supply-chain) emissions assumed to be the producer's own
 * scope 1+2: the midpoint, on a log scale, of the upstream-to-operational ratios CDP has published
 * (4× in 2018 to 11.4× in 2020, i.e. operational shares of 20 % to 8 %).
 */
export const OPERATIONAL_SHARE_OF_SUPPLY_CHAIN = 1 / 8;

/**
 * Doublings either side of the sector benchmark over which carbon-intensity points fall from full
 * to zero: 8× cleaner than the benchmark earns all points, the benchmark half, 8× dirtier none.
 */
export const INTENSITY_HALF_RANGE_DOUBLINGS = 3;

/** Years between the first and the latest year of the multi-year emissions trend (three reporting years). */
export const TREND_WINDOW_YEARS = 2;

/** Weight of a target that is not validated by the SBTi (or an equivalent body), relative to a validated one. */
export const UNVALIDATED_TARGET_FACTOR = 0.6;

/** Weight of a target covering only scope 1 or only scope 2, relative to one covering scope 1+2. */
export const PARTIAL_SCOPE_TARGET_FACTOR = 0.5;

/** Confidence multiplier by the latest year's PCAF data-quality score (missing counts as 5). */
export const PCAF_CONFIDENCE_FACTOR: Readonly<Record<1 | 2 | 3 | 4 | 5, number>> = {
  1: 1,
  2: 0.9,
  3: 0.8,
  4: 0.7,
  5: 0.6,
};

/** Confidence lost per year that the latest reported year lags behind `asOfYear − 1`. */
export const STALENESS_CONFIDENCE_PENALTY_PER_YEAR = 0.2;

/** The components of the score, in report order. */
export type GreenScoreComponentId =
  | 'carbon-intensity'
  | 'emissions-trend-yoy'
  | 'emissions-trend-cagr'
  | 'renewable-share'
  | 'energy-intensity-trend'
  | 'target-ambition'
  | 'data-quality'
  | 'verification'
  | 'scope3-disclosure';

/** The five methodology areas the components belong to. */
export type GreenScoreComponentGroup =
  'carbon-intensity' | 'emissions-trend' | 'energy' | 'target' | 'disclosure';

/** Maximum points per component; they sum to 100. */
export const COMPONENT_MAX_POINTS: Readonly<Record<GreenScoreComponentId, number>> = {
  'carbon-intensity': 30,
  'emissions-trend-yoy': 10,
  'emissions-trend-cagr': 10,
  'renewable-share': 8,
  'energy-intensity-trend': 7,
  'target-ambition': 15,
  'data-quality': 10,
  verification: 6,
  'scope3-disclosure': 4,
};

/** Component labels and groups, in report order. */
export const COMPONENTS: readonly {
  readonly id: GreenScoreComponentId;
  readonly group: GreenScoreComponentGroup;
  readonly label: string;
}[] = [
  { id: 'carbon-intensity', group: 'carbon-intensity', label: 'Carbon intensity vs sector peers' },
  { id: 'emissions-trend-yoy', group: 'emissions-trend', label: 'Emissions trend, year on year' },
  { id: 'emissions-trend-cagr', group: 'emissions-trend', label: 'Emissions trend, multi-year' },
  { id: 'renewable-share', group: 'energy', label: 'Renewable energy share' },
  { id: 'energy-intensity-trend', group: 'energy', label: 'Energy intensity trend' },
  { id: 'target-ambition', group: 'target', label: 'Emissions target ambition' },
  { id: 'data-quality', group: 'disclosure', label: 'PCAF data quality' },
  { id: 'verification', group: 'disclosure', label: 'Third-party verification' },
  { id: 'scope3-disclosure', group: 'disclosure', label: 'Scope 3 disclosure' },
];
