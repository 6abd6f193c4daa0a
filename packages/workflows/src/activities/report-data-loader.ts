/**
 * Loads what a loan-simulation report is rendered from, with plain SQL over the API's tables
 * (`loan_simulations`, `companies`, `organizations`), and maps the stored records — core's results
 * in core's units (see the API's `loan-simulation.records.ts`) — to {@link LoanReportData}.
 */
import {
  fromScheduleColumns,
  pcafDataQuality,
  sicTitle,
  type PcafDataQualityScore,
  type Installment,
  type ScheduleColumns,
} from '@greenfin/core';
import type { Pool } from 'pg';
import { ReportDataError } from '../reports/errors.js';
import { assertLoanReportData, type LoanReportData } from '../reports/report-data.js';

/** The stored simulation row, as the report reads it. */
interface SimulationRow {
  id: string;
  created_at: Date;
  principal_amount: string;
  currency: string;
  term_months: number;
  method: string;
  frequency: string;
  day_count: string;
  start_date: string;
  base_rate: number;
  credit_spread: number;
  final_rate: number;
  apr: number;
  pricing: Record<string, unknown>;
  schedule: ScheduleColumns | Installment[];
  green_score: Record<string, unknown>;
  co2_savings: Record<string, unknown> | null;
  financed_emissions: FinancedRecord | null;
  warnings: { code: string; message: string }[];
  cash_flow: LoanReportData['cashFlow'] | null;
  company_name: string;
  company_number: string;
  jurisdiction: string;
  sic_codes: string[];
  region: string | null;
  locality: string | null;
  organization_name: string;
}

interface FinancedRecord {
  method: string;
  companyValueBasis: 'equity-plus-debt' | 'evic';
  companyValue: number;
  dataQuality: PcafDataQualityScore;
  years: { outstanding: number; [key: string]: unknown }[];
  totals: unknown;
  weightedDataQuality: unknown;
  warnings: string[];
}

/** Thrown when the simulation does not exist for the tenant (never retried: nothing to render). */
export class SimulationNotFoundError extends Error {
  override readonly name = 'InvalidInput';
  constructor(readonly loanSimulationId: string) {
    super(`loan simulation ${loanSimulationId} does not exist for this organization`);
  }
}

/**
 * The report data of one simulation, validated.
 *
 * @throws SimulationNotFoundError, ReportDataError (a stored record the report cannot show).
 */
export async function loadReportData(
  pool: Pool,
  organizationId: string,
  loanSimulationId: string,
  generatedAt: Date,
): Promise<LoanReportData> {
  const { rows } = await pool.query<SimulationRow>(
    `select s."id", s."created_at", s."principal_amount", s."currency", s."term_months", s."method",
            s."frequency", s."day_count", to_char(s."start_date", 'YYYY-MM-DD') as "start_date",
            s."base_rate", s."credit_spread", s."final_rate", s."apr", s."pricing", s."schedule",
            s."green_score", s."co2_savings", s."financed_emissions", s."warnings",
            s."cash_flow",
            c."name" as "company_name", c."company_number", c."jurisdiction", c."sic_codes", c."region",
            c."locality", o."name" as "organization_name"
       from "loan_simulations" s
       join "companies" c on c."id" = s."company_id" and c."organization_id" = s."organization_id"
       join "organizations" o on o."id" = s."organization_id"
      where s."organization_id" = $1 and s."id" = $2`,
    [organizationId, loanSimulationId],
  );
  const row = rows[0];
  if (!row) throw new SimulationNotFoundError(loanSimulationId);
  const score = row.green_score;
  if (!Array.isArray(score.components) || score.components.length === 0) {
    throw new ReportDataError(
      'greenScore.components',
      'this simulation was stored without its score components (before 2026-12-01); simulate the loan again to get a report',
    );
  }
  const pricing = row.pricing;
  const mainSic = row.sic_codes[0];
  const data: LoanReportData = {
    organizationName: row.organization_name,
    simulationId: row.id,
    createdAt: row.created_at.toISOString(),
    generatedAt: generatedAt.toISOString(),
    company: {
      name: row.company_name,
      companyNumber: row.company_number,
      jurisdiction: row.jurisdiction,
      sicCodes: row.sic_codes,
      sector: mainSic ? (sicTitle(mainSic) ?? null) : null,
      region: row.region,
      locality: row.locality,
    },
    greenScore: {
      score: score.score as number,
      band: score.band as LoanReportData['greenScore']['band'],
      confidence: score.confidence as number,
      methodologyVersion: score.methodologyVersion as string,
      components: score.components as LoanReportData['greenScore']['components'],
      warnings: (score.warnings ?? []) as LoanReportData['greenScore']['warnings'],
    },
    pricing: {
      ...(pricing as object),
      principal: Number(row.principal_amount),
      currency: row.currency,
      termMonths: row.term_months,
      baseRate: row.base_rate,
      creditSpread: row.credit_spread,
      finalRate: row.final_rate,
      apr: row.apr,
    } as unknown as LoanReportData['pricing'],
    schedule: {
      startDate: row.start_date,
      method: row.method,
      frequency: row.frequency,
      dayCount: row.day_count,
      // Stored as core's columns form (or, before it, as rows).
      installments: fromScheduleColumns(row.schedule),
    } as unknown as LoanReportData['schedule'],
    co2Savings: row.co2_savings as unknown as LoanReportData['co2Savings'],
    financedEmissions: row.financed_emissions ? financed(row.financed_emissions, row.currency) : null,
    cashFlow: row.cash_flow ?? null,
    warnings: row.warnings,
  };
  assertLoanReportData(data);
  return data;
}

function financed(record: FinancedRecord, currency: string): LoanReportData['financedEmissions'] {
  const quality = pcafDataQuality(record.dataQuality);
  return {
    method: record.method,
    totals: record.totals,
    weightedDataQuality: record.weightedDataQuality,
    warnings: record.warnings,
    years: record.years.map((y) => ({
      ...y,
      outstanding: { amount: y.outstanding, currency },
      companyValue: { amount: record.companyValue, currency },
      companyValueBasis: record.companyValueBasis,
      dataQuality: quality,
    })),
  } as unknown as LoanReportData['financedEmissions'];
}
