import { randomUUID } from 'node:crypto';
import {
  cashFlowRiskGrade,
  CASH_FLOW_GRADES,
  creditSpreadFromCashFlow,
  DEFAULT_CASH_FLOW_RISK_POLICY,
  debtServiceCoverage,
  schedule as buildSchedule,
  type CashFlowAnalytics,
  type CashFlowLoanTerms,
  MONTHS_PER_PERIOD,
  type CurrencyCode,
  ErrorCode,
  fromDecimalString,
  GreenfinError,
} from '@greenfin/core';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { deepFreeze } from '../../cache/deep-freeze.js';
import { type Clock, utcDate } from '../../clock.js';
import { insertRow, type InsertValues, JsonText } from '../../db/fast-sql.js';
import type { Principal } from '../../http/context.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { problems } from '../../http/problem.js';
import { JsonBody } from '../../http/route.js';
import { recordAudit } from '../audit/audit.js';
import { Company } from '../companies/company.entity.js';
import type { GreenScoreJson } from '../green-score/green-score.schemas.js';
import type { GreenScoreService } from '../green-score/green-score.service.js';
import { NON_OPERATING_CATEGORIES, type CashFlowService } from '../transactions/cash-flow.service.js';
import { LoanSimulation } from './loan-simulation.entity.js';
import type { CashFlowRecord, ScoreSnapshotRecord, SimulationWarning } from './loan-simulation.records.js';
import {
  type CreateLoanSimulationInput,
  type LoanSimulationListInput,
  LoanSimulationSchema,
} from './loan-simulations.schemas.js';
import { inlinePricer, type SimulationPricer } from './pricing-pool.js';
import { scoreSnapshotJson } from './loan-simulations.views.js';
import { type SimulationDraft, underPath } from './simulation-pricing.js';

export interface LoanSimulationsServiceOptions {
  greenScores: GreenScoreService;
  clock: Clock;
  /**
   * The ORM's root EntityManager, for the simulation INSERT of a caller that passes its
   * EntityManager as a function (a request): the INSERT reads only metadata and the connection.
   */
  entityManager?: EntityManager;
  /** Base rate and credit spread when a request leaves them out. */
  defaults: { baseRate: number; creditSpread: number };
  /**
   * Whether a new simulation's INSERT waits for PostgreSQL's WAL flush (`SIMULATION_SYNCHRONOUS_COMMIT`,
   * default true). False: acknowledged sooner; a database or OS crash can lose the last ~0.6 s of
   * them (docs/decisions/0004-simulation-commit-durability.md).
   */
  synchronousCommit?: boolean;
  /** Cash-flow underwriting (the company's transactions); without it the spread is never graded. */
  cashFlow?: Pick<CashFlowService, 'forUnderwriting'>;
  /** Where simulations are priced (pricing-pool.ts); in the request's thread when absent. */
  pricer?: SimulationPricer;
}

/** A simulation just stored: its id and version (for Location and ETag) and its 201 body. */
export interface CreatedSimulation {
  id: string;
  version: number;
  body: JsonBody<typeof LoanSimulationSchema>;
}

/** The default policy's thresholds as a table (CF5 has no minimum). */
function thresholdsTable(): CashFlowRecord['thresholds'] {
  const p = DEFAULT_CASH_FLOW_RISK_POLICY;
  return CASH_FLOW_GRADES.map((grade) => ({
    grade,
    minDscr: grade === 'CF5' ? null : p.minDscr[grade],
    creditSpread: p.creditSpreads[grade],
  }));
}

const pct = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/**
 * Cash-flow underwriting of a loan: with no caller spread, core's `creditSpreadFromCashFlow`
 * (the best grade consistent with its own spread); with one, the DSCR and grade of the loan at
 * the caller's spread, which wins.
 */
export function cashFlowUnderwriting(
  analytics: CashFlowAnalytics,
  loan: CashFlowLoanTerms,
  callerSpread: number | undefined,
  existingDebtService = 0,
): CashFlowRecord {
  const graded = creditSpreadFromCashFlow({ analytics, loan, existingDebtService });
  let coverage = graded.coverage;
  let risk = graded.riskGrade;
  if (callerSpread !== undefined) {
    const s = buildSchedule({
      principal: loan.principal,
      currency: loan.currency,
      annualRate: loan.baseRate + callerSpread,
      payments: loan.termMonths / MONTHS_PER_PERIOD[loan.frequency ?? 'monthly']!,
      frequency: loan.frequency ?? 'monthly',
      method: loan.method ?? 'annuity',
      dayCount: loan.dayCount ?? '30/360',
      startDate: loan.startDate,
    });
    coverage = debtServiceCoverage({ analytics, scheduledPayment: s, existingDebtService });
    risk = cashFlowRiskGrade(coverage.dscr, {
      daysCashOnHand: analytics.daysCashOnHand,
      coefficientOfVariation: analytics.volatility.coefficientOfVariation,
      monthsOfHistory: analytics.months,
    });
  }
  const explanation =
    callerSpread === undefined
      ? `${graded.explanation} Spread set by the cash-flow grade.`
      : `${coverage.explanation} ${risk.explanation} The caller's explicit credit spread ${pct(callerSpread)} was applied instead of the grade's ${pct(risk.creditSpread)}.`;
  return {
    spreadSource: callerSpread === undefined ? 'cash-flow' : 'caller',
    spreadApplied: callerSpread ?? graded.creditSpread,
    gradeSpread: risk.creditSpread,
    dscr: coverage.dscr,
    grade: risk.grade,
    dscrGrade: risk.dscrGrade,
    notches: [...risk.notches],
    referToUnderwriter: risk.referToUnderwriter,
    window: { from: analytics.from, to: analytics.to, months: analytics.months },
    averageMonthlyNetOperatingCashFlow: analytics.averageMonthlyNetOperatingCashFlow,
    monthlyDebtService: coverage.monthlyDebtService,
    existingDebtService,
    daysCashOnHand: analytics.daysCashOnHand,
    coefficientOfVariation: analytics.volatility.coefficientOfVariation,
    nonOperatingCategories: [...NON_OPERATING_CATEGORIES],
    thresholds: thresholdsTable(),
    explanation,
  };
}

/** An optional amount of the request in minor units, which must be in the principal’s currency (0 when absent). */
function amountInCurrency(
  fee: { amount: string; currency: CurrencyCode } | undefined,
  currency: CurrencyCode,
  path: string,
) {
  if (!fee) return 0;
  if (fee.currency !== currency) {
    throw new GreenfinError(
      ErrorCode.CurrencyMismatch,
      `${path}.currency`,
      `must be the principal's currency ${currency}, got ${fee.currency}`,
    );
  }
  return fromDecimalString(fee.amount, fee.currency, `${path}.amount`).amount;
}

/**
 * Loan simulations: the request's terms priced by core's `priceLoan` with the company's green
 * score, the project's CO2 savings (`co2Savings`) and the loan's PCAF financed emissions
 * (`yearEndOutstanding` over the schedule, then `financedEmissions`), stored whole.
 */
export class LoanSimulationsService {
  private readonly pricer: SimulationPricer;

  constructor(private readonly options: LoanSimulationsServiceOptions) {
    this.pricer = options.pricer ?? inlinePricer;
  }

  async create(
    em: EntityManager | (() => EntityManager),
    actor: Principal,
    input: CreateLoanSimulationInput,
    idempotencyKey: string | undefined,
  ): Promise<CreatedSimulation> {
    const currency = input.principal.currency;
    const principal = fromDecimalString(input.principal.amount, currency, 'principal.amount');
    const fees = {
      upfront: amountInCurrency(input.fees?.upfront, currency, 'fees.upfront'),
      perPayment: amountInCurrency(input.fees?.perPayment, currency, 'fees.perPayment'),
    };
    const existingDebtService = amountInCurrency(input.existingDebtService, currency, 'existingDebtService');
    if (existingDebtService < 0) {
      throw new GreenfinError(
        ErrorCode.OutOfRange,
        'existingDebtService.amount',
        `must be ≥ 0, got ${input.existingDebtService!.amount}`,
      );
    }
    const defaultsApplied = (
      ['method', 'frequency', 'dayCount', 'startDate', 'baseRate', 'creditSpread', 'aprMethod'] as const
    ).filter((field) => input[field] === undefined);
    const warnings: SimulationWarning[] = [];
    const base = {
      method: input.method ?? 'annuity',
      frequency: input.frequency ?? 'monthly',
      dayCount: input.dayCount ?? '30/360',
      startDate: input.startDate ?? utcDate(this.options.clock()),
      baseRate: input.baseRate ?? this.options.defaults.baseRate,
      aprMethod: input.aprMethod ?? 'eu',
    } as const;
    const cashFlow = await this.underwrite(
      actor,
      input,
      principal.amount,
      currency,
      base,
      existingDebtService,
      warnings,
    );
    if (cashFlow?.spreadSource === 'cash-flow')
      defaultsApplied.splice(defaultsApplied.indexOf('creditSpread'), 1);
    const terms = {
      ...base,
      creditSpread: cashFlow?.spreadApplied ?? input.creditSpread ?? this.options.defaults.creditSpread,
    } as const;

    // The company must be the caller's: a 422 on the field (the resource here is the simulation).
    const { score, emissions, companyValue } = await this.options.greenScores.forPricing(
      typeof em === 'function' ? em : () => em,
      actor,
      input.companyId,
      () =>
        problems.unprocessable(
          `Company ${input.companyId} is not one of your organisation’s.`,
          'unknown-company',
          [
            {
              in: 'body',
              pointer: '#/companyId',
              code: 'not_found',
              detail: 'No such company in your organisation.',
            },
          ],
        ),
    );
    const snapshot = scoreSnapshot(score);
    const draft: SimulationDraft = {
      id: randomUUID(),
      organization: actor.organizationId,
      company: input.companyId,
      principalAmount: principal.amount,
      currency,
      termMonths: input.termMonths,
      method: terms.method,
      frequency: terms.frequency,
      dayCount: terms.dayCount,
      startDate: terms.startDate,
      baseRate: terms.baseRate,
      creditSpread: terms.creditSpread,
      upfrontFee: fees.upfront,
      perPaymentFee: fees.perPayment,
      defaultsApplied: [...defaultsApplied],
      // Pricing and the reply read only the score's headline; the whole snapshot is stored below.
      greenScore: scoreSnapshotJson(snapshot),
      scoreBand: snapshot.band,
      cashFlow,
      sustainabilityLinked: input.sustainabilityLinked
        ? {
            kpis: input.sustainabilityLinked.kpis.map((k) => ({
              ...k,
              targets: k.targets.map((t) => ({ ...t })),
            })),
          }
        : null,
      warnings,
      createdByKind: actor.kind,
      createdById: actor.id,
      idempotencyKey: idempotencyKey ?? null,
      version: 1,
      createdAt: new Date(),
    };
    const priced = await this.pricer.price({
      draft,
      aprMethod: terms.aprMethod,
      project: input.project,
      companyValue,
      emissions,
    });
    const text = (json: string | null) => (json === null ? null : new JsonText(json));
    const row: InsertValues<LoanSimulation> = {
      ...draft,
      greenScore: snapshot,
      finalRate: priced.finalRate,
      apr: priced.apr,
      project: text(priced.columns.project),
      pricing: new JsonText(priced.columns.pricing),
      schedule: new JsonText(priced.columns.schedule),
      co2Savings: text(priced.columns.co2Savings),
      financedEmissions: text(priced.columns.financedEmissions),
      warnings: new JsonText(priced.columns.warnings),
    };
    // One INSERT (autocommit), no unit of work: the row is written once and never changed. It
    // needs the ORM's metadata and connection only, so a request's EntityManager (a fork, made on
    // first use: `em` as a function) is not made for it; an EntityManager given as such, which may
    // hold a transaction, is used.
    const writer = typeof em === 'function' ? (this.options.entityManager ?? em()) : em;
    await insertRow(writer, LoanSimulation, row, {
      synchronousCommit: this.options.synchronousCommit ?? true,
    });
    return { id: draft.id, version: draft.version, body: new JsonBody(LoanSimulationSchema, priced.reply) };
  }

  /** Stops the pricing threads (at shutdown). */
  async close(): Promise<void> {
    await this.pricer.close();
  }

  /**
   * The cash-flow block of a simulation, or null (with a warning when there are transactions in
   * another currency). Reads only the caller's tenant's rows, so another tenant's company id
   * finds none (and `forPricing` then refuses it).
   */
  private async underwrite(
    actor: Principal,
    input: CreateLoanSimulationInput,
    principal: number,
    currency: CurrencyCode,
    base: { method: string; frequency: string; dayCount: string; startDate: string; baseRate: number },
    existingDebtService: number,
    warnings: SimulationWarning[],
  ): Promise<CashFlowRecord | null> {
    if (!this.options.cashFlow) return null;
    const underwriting = await this.options.cashFlow.forUnderwriting(actor.organizationId, input.companyId);
    if (!underwriting) return null;
    if (underwriting.analytics.currency !== currency) {
      warnings.push({
        code: 'cash_flow_currency',
        message: `The company's transactions are in ${underwriting.analytics.currency} and the loan in ${currency}; the credit spread is not graded across currencies.`,
      });
      return null;
    }
    const loan = {
      principal,
      currency,
      termMonths: input.termMonths,
      ...base,
    } as CashFlowLoanTerms;
    return underPath('cashFlow', () =>
      cashFlowUnderwriting(underwriting.analytics, loan, input.creditSpread, existingDebtService),
    );
  }

  /** The caller's simulation, or a 404 (also for another tenant's id). */
  async get(em: EntityManager, actor: Principal, id: string, withSchedule = false): Promise<LoanSimulation> {
    const simulation = await em.findOne(
      LoanSimulation,
      { id, organization: actor.organizationId },
      withSchedule ? { populate: ['schedule'] as never } : {},
    );
    if (!simulation) throw problems.notFound(`Loan simulation ${id}`);
    return simulation;
  }

  async list(em: EntityManager, actor: Principal, query: LoanSimulationListInput) {
    const descending = query.sort.startsWith('-');
    const where: FilterQuery<LoanSimulation>[] = [{ organization: actor.organizationId }];
    if (query.companyId) where.push({ company: query.companyId });
    if (query.band) where.push({ scoreBand: query.band });
    if (query.createdBy) where.push({ createdById: query.createdBy });
    if (query.cursor) {
      const [sort, time, id] = decodeCursor(query.cursor, 3);
      if (sort !== query.sort) {
        throw problems.validation([
          {
            in: 'query',
            pointer: '#/cursor',
            code: 'invalid_cursor',
            detail: 'The cursor belongs to another sort order.',
          },
        ]);
      }
      const op = descending ? '$lt' : '$gt';
      const at = new Date(Number(time));
      where.push({
        $or: [{ createdAt: { [op]: at } }, { createdAt: at, id: { [op]: String(id) } }],
      } as FilterQuery<LoanSimulation>);
    }
    const direction = descending ? 'desc' : 'asc';
    const rows = await em.find(
      LoanSimulation,
      { $and: where },
      { orderBy: { createdAt: direction, id: direction }, limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor([query.sort, last.createdAt.getTime(), last.id])
        : null;
    return { items, nextCursor };
  }

  async delete(em: EntityManager, actor: Principal, id: string, ifMatch?: string): Promise<void> {
    const simulation = await this.get(em, actor, id);
    assertIfMatch(ifMatch, simulation.version);
    recordAudit(
      em,
      actor,
      'loan-simulation.delete',
      { type: 'loan-simulation', id },
      { company: simulation.company },
    );
    em.remove(simulation);
    await em.flush();
  }

  /** The borrower of a simulation (for its report). */
  async company(em: EntityManager, simulation: LoanSimulation): Promise<Company> {
    return em.findOneOrFail(Company, { id: simulation.company, organization: simulation.organization });
  }
}

/** Snapshots of cached (deep-frozen, shared) scores: one per score object, frozen in turn. */
const snapshots = new WeakMap<object, ScoreSnapshotRecord>();

/**
 * The score as a simulation records it. A cached score is one frozen object shared by every
 * request until the company's data change, so its snapshot is built once and shared too (and its
 * JSON text, by the column's {@link FrozenJsonType}).
 */
function scoreSnapshot(score: GreenScoreJson): ScoreSnapshotRecord {
  const known = Object.isFrozen(score) ? snapshots.get(score) : undefined;
  if (known) return known;
  const snapshot: ScoreSnapshotRecord = {
    score: score.score,
    band: score.band,
    confidence: score.confidence,
    methodologyVersion: score.methodologyVersion,
    computedAt: score.computedAt,
    components: score.components.map((c) => ({
      id: c.id,
      label: c.label,
      points: c.points,
      maxPoints: c.maxPoints,
      value: c.value ?? null,
      unit: c.unit ?? null,
      explanation: c.explanation,
      benchmark: c.benchmark
        ? { value: c.benchmark.value, unit: c.benchmark.unit, source: c.benchmark.source }
        : null,
    })),
    warnings: score.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
  if (!Object.isFrozen(score)) return snapshot;
  const frozen = deepFreeze(snapshot);
  snapshots.set(score, frozen);
  return frozen;
}
