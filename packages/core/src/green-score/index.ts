/**
 * Green score, methodology `gs-2026.1`: what consumers of @greenfin/core use.
 */
export { greenScore } from './green-score.js';
export type {
  EmissionsTarget,
  EnvironmentalMetrics,
  GreenScoreInput,
  GreenScoreOptions,
  PcafScore,
  TargetScopes,
} from './input.js';
export { TARGET_SCOPES } from './input.js';
export type {
  ComponentBenchmark,
  GreenScoreBand,
  GreenScoreComponent,
  GreenScoreInputsUsed,
  GreenScoreResult,
  GreenScoreWarning,
  GreenScoreWarningCode,
} from './types.js';
export { GREEN_SCORE_BAND_THRESHOLDS, greenScoreBand } from './bands.js';
export {
  COMPONENTS as GREEN_SCORE_COMPONENTS,
  COMPONENT_MAX_POINTS as GREEN_SCORE_MAX_POINTS,
  METHODOLOGY_VERSION as GREEN_SCORE_METHODOLOGY_VERSION,
  type GreenScoreComponentGroup,
  type GreenScoreComponentId,
} from './methodology.js';
export {
  DEFAULT_SECTOR_BENCHMARKS,
  SECTOR_BENCHMARK_PROVENANCE,
  findSectorBenchmark,
  type SectorBenchmark,
  type SectorBenchmarkMatch,
  type SectorFactorProvenance,
} from './sector-benchmarks.js';
export { DEFAULT_FX_RATES, fxRate, type FxRates, type FxRatesProvenance } from './fx.js';
export { ECB_FX_PROVENANCE } from './reference-fx-rates.generated.js';
export {
  SIC_SECTIONS,
  parseSicCode,
  sectionOfDivision,
  sicTitle,
  type SicCode,
  type SicSection,
} from './sic.js';
