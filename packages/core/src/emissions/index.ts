/**
 * Emissions: DESNZ emission factors, CO2 saved by a financed project, and PCAF financed emissions
 * of a loan year by year. Methodology and sources: docs/methodology/emissions.md.
 */
export {
  ENERGY_SOURCES,
  FACTOR_KEYS,
  CALORIFIC_BASES,
  EMISSION_FACTOR_YEARS,
  DEFAULT_EMISSION_FACTOR_YEAR,
  emissionFactor,
  emissionFactorTable,
  desnzEdition,
  type EnergySource,
  type FactorKey,
  type CalorificBasis,
  type EmissionFactorYear,
  type EmissionFactorOptions,
  type GhgScope,
  type DesnzFactor,
  type DesnzSourceRow,
  type DesnzEdition,
  type CitedFactor,
} from './emission-factors.js';
export {
  co2Savings,
  MAX_LIFETIME_YEARS,
  type Co2SavingsInput,
  type Co2SavingsResult,
  type Co2SavingsLine,
  type EnergySaving,
  type CustomEmissionFactor,
  type AppliedFactor,
} from './co2-savings.js';
export {
  financedEmissions,
  PCAF_METHOD,
  type FinancedEmissionsInput,
  type FinancedEmissionsResult,
  type FinancedEmissionsYear,
  type CompanyValue,
  type CompanyEmissions,
  type OutstandingBalance,
} from './financed-emissions.js';
export {
  yearEndOutstanding,
  type YearEndOutstandingInput,
  type YearEndBalance,
  type InstallmentBalance,
} from './year-end-outstanding.js';
export {
  PCAF_DATA_QUALITY,
  PCAF_DATA_QUALITY_SCORES,
  pcafDataQuality,
  weightedDataQualityScore,
  type PcafDataQuality,
  type PcafDataQualityScore,
  type WeightedScoreItem,
} from './pcaf-data-quality.js';
export { TONNES_DECIMALS } from './precision.js';
