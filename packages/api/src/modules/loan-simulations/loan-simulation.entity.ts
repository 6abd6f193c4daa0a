import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Installment } from '@greenfin/core';
import { FrozenJsonType } from '../../db/frozen-json-type.js';
import { Organization } from '../auth/organization.entity.js';
import { Company } from '../companies/company.entity.js';
import type {
  CashFlowRecord,
  Co2SavingsRecord,
  FinancedEmissionsRecord,
  PricingRecord,
  ProjectRecord,
  ScoreSnapshotRecord,
  SimulationWarning,
  SustainabilityLinkedRecord,
} from './loan-simulation.records.js';
import { ScheduleType } from './schedule-type.js';

/**
 * One priced loan for one company: the request's terms, the green score it used, and everything
 * `@greenfin/core` computed from them (pricing, schedule, CO2 savings, financed emissions). Stored
 * whole, so a simulation reads the same tomorrow even after the company's data or core change.
 * Amounts are integer minor units of `currency`.
 *
 * The records are `json`, not `jsonb`, columns (ADR 14): they are written once, read whole and
 * never queried inside, and PostgreSQL stores `json` text as given instead of converting it, which
 * with lz4 compression halves the database's CPU time for the INSERT of a simulation.
 */
export const LoanSimulation = defineEntity({
  name: 'LoanSimulation',
  tableName: 'loan_simulations',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    company: p.manyToOne(Company).mapToPk().deleteRule('cascade'),
    principalAmount: p.bigint('number'),
    currency: p.string().length(3),
    termMonths: p.smallint(),
    method: p.string().length(16),
    frequency: p.string().length(16),
    dayCount: p.string().length(16),
    startDate: p.date(),
    baseRate: p.type('double precision'),
    creditSpread: p.type('double precision'),
    upfrontFee: p.bigint('number'),
    perPaymentFee: p.bigint('number'),
    /** Which of the terms were defaults rather than the caller's (`baseRate`, `startDate`, …). */
    defaultsApplied: p.array().default([]),
    project: p.json<ProjectRecord>().columnType('json').nullable(),
    finalRate: p.type('double precision'),
    apr: p.type('double precision'),
    /** Band of the score snapshot, for filtering. */
    scoreBand: p.string().length(1),
    pricing: p.json<PricingRecord>().columnType('json'),
    /** Stored as one array per field (schedule-type.ts); the entity holds instalment rows. */
    schedule: p.type(ScheduleType).$type<Installment[]>().columnType('json').lazy(true, false),
    /** A cached score's snapshot is shared and frozen: its JSON text is written once (FrozenJsonType). */
    greenScore: p.type(FrozenJsonType).$type<ScoreSnapshotRecord>().columnType('json'),
    co2Savings: p.json<Co2SavingsRecord>().columnType('json').fieldName('co2_savings').nullable(),
    financedEmissions: p.json<FinancedEmissionsRecord>().columnType('json').nullable(),
    warnings: p.json<SimulationWarning[]>().columnType('json'),
    /** Cash-flow underwriting's DSCR, grade and spread; null when the company has no transactions. */
    cashFlow: p.json<CashFlowRecord>().columnType('json').fieldName('cash_flow').nullable(),
    sustainabilityLinked: p
      .json<SustainabilityLinkedRecord>()
      .columnType('json')
      .fieldName('sustainability_linked')
      .nullable(),
    createdByKind: p.string().length(16),
    createdById: p.uuid(),
    idempotencyKey: p.string().length(255).nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [
    { name: 'loan_simulations_org_created_idx', properties: ['organization', 'createdAt', 'id'] },
    { name: 'loan_simulations_company_created_idx', properties: ['company', 'createdAt', 'id'] },
  ],
});
export type LoanSimulation = InferEntity<typeof LoanSimulation>;
