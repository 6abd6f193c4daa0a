/**
 * The EcoTech Manufacturing Ltd lender journey as report data, computed by @greenfin/core's
 * `ecotechJourney()`: green score → price → CO2 savings → financed emissions on the year-end
 * outstanding balances. Used by the tests, the benchmark and the preview
 * script; a realistic report, not a hand-written one.
 */
import { ecotechExample as eco, ecotechJourney } from '@greenfin/core';
import type { LoanReportData } from './report-data.js';

/** Fields of the report that are not computed (who, when, which simulation). */
export interface EcotechReportOptions {
  readonly organizationName?: string;
  readonly simulationId?: string;
  readonly createdAt?: string;
  readonly generatedAt?: string;
  /** Replaces the company's name (tests use hostile names). */
  readonly companyName?: string;
}

/**
 * The EcoTech report data: 85/100 band A, £500,000 over 60 months at 6.50 %, 60 instalments,
 * 68.8 tCO2e saved a year, six years of financed emissions.
 *
 * @example renderReportHtml(ecotechReportData({ generatedAt: '2026-11-22T10:15:00Z' }))
 */
export function ecotechReportData(options: EcotechReportOptions = {}): LoanReportData {
  const { score, priced, co2: saved, financed } = ecotechJourney();
  return {
    organizationName: options.organizationName ?? 'Midlands Green Bank plc',
    simulationId: options.simulationId ?? 'sim_01JEC0TECH5YEAR500K',
    createdAt: options.createdAt ?? '2025-01-10T09:30:00Z',
    generatedAt: options.generatedAt ?? '2025-01-10T09:31:12Z',
    company: {
      name: options.companyName ?? eco.company.name,
      companyNumber: eco.company.companyNumber,
      jurisdiction: eco.company.jurisdiction,
      sicCodes: eco.company.sicCodes,
      sector: 'Manufacture of central heating radiators and boilers',
      region: eco.company.region,
      locality: eco.company.locality,
    },
    loanPurpose:
      'Expansion of the Birmingham factory: a new heat-pump production line and insulation of the existing plant.',
    greenScore: score,
    pricing: priced,
    schedule: priced.schedule,
    co2Savings: saved,
    financedEmissions: financed,
  };
}
