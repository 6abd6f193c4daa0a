import { randomUUID } from 'node:crypto';
import { fromDecimalString, toDecimalString, type CurrencyCode } from '@greenfin/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { assertIfMatch } from '../../http/etag.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type { CompaniesService } from '../companies/companies.service.js';
import { EnvironmentalMetric } from './metric.entity.js';
import type { CreateMetricInput, MetricFieldsInput, MetricJson } from './metrics.schemas.js';

export const DUPLICATE_YEAR =
  'This company already has metrics for that year; PUT …/metrics/{year} replaces them.';

export function toMetricJson(m: EnvironmentalMetric): MetricJson {
  const revenue =
    m.revenueAmount != null && m.revenueCurrency
      ? {
          amount: toDecimalString({ amount: m.revenueAmount, currency: m.revenueCurrency as CurrencyCode }),
          currency: m.revenueCurrency as CurrencyCode,
        }
      : null;
  return {
    companyId: m.company,
    year: m.year,
    energyMwh: m.energyMwh ?? null,
    scope1Tco2e: m.scope1Tco2e ?? null,
    scope2Tco2e: m.scope2Tco2e ?? null,
    scope3Tco2e: m.scope3Tco2e ?? null,
    revenue,
    renewableShare: m.renewableShare ?? null,
    verified: m.verified,
    pcafDataQuality: m.pcafDataQuality ?? null,
    source: m.source ?? null,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** Column values for a year's figures; money goes through core (a bad amount is a 422 on its field). */
function columns(input: MetricFieldsInput) {
  const revenue = input.revenue
    ? fromDecimalString(input.revenue.amount, input.revenue.currency, 'revenue.amount')
    : null;
  return {
    energyMwh: input.energyMwh ?? null,
    scope1Tco2e: input.scope1Tco2e ?? null,
    scope2Tco2e: input.scope2Tco2e ?? null,
    scope3Tco2e: input.scope3Tco2e ?? null,
    revenueAmount: revenue?.amount ?? null,
    revenueCurrency: revenue?.currency ?? null,
    renewableShare: input.renewableShare ?? null,
    verified: input.verified ?? false,
    pcafDataQuality: input.pcafDataQuality ?? null,
    source: input.source ?? null,
  };
}

export interface MetricsServiceOptions {
  companies: CompaniesService;
  /** Called after a company's metrics change (the green-score cache listens). */
  onChange?: (organizationId: string, companyId: string) => Promise<void> | void;
}

/** A company's environmental figures, one row per reporting year. */
export class MetricsService {
  constructor(private readonly options: MetricsServiceOptions) {}

  async create(em: EntityManager, actor: Principal, companyId: string, input: CreateMetricInput) {
    await this.options.companies.get(em, actor, companyId);
    if ((await em.count(EnvironmentalMetric, { company: companyId, year: input.year })) > 0) {
      throw problems.conflict(DUPLICATE_YEAR, 'duplicate');
    }
    const metric = em.create(EnvironmentalMetric, {
      id: randomUUID(),
      organization: actor.organizationId,
      company: companyId,
      year: input.year,
      ...columns(input),
    });
    recordAudit(em, actor, 'metric.create', { type: 'company', id: companyId }, { year: input.year });
    await em.flush();
    await this.changed(actor, companyId);
    return metric;
  }

  async list(em: EntityManager, actor: Principal, companyId: string): Promise<EnvironmentalMetric[]> {
    await this.options.companies.get(em, actor, companyId);
    return em.find(
      EnvironmentalMetric,
      { company: companyId, organization: actor.organizationId },
      { orderBy: { year: 'asc' } },
    );
  }

  async get(em: EntityManager, actor: Principal, companyId: string, year: number) {
    await this.options.companies.get(em, actor, companyId);
    const metric = await em.findOne(EnvironmentalMetric, {
      company: companyId,
      organization: actor.organizationId,
      year,
    });
    if (!metric) throw problems.notFound(`Metrics for ${year}`);
    return metric;
  }

  /** Creates or replaces a year's figures; `created` says which. */
  async put(
    em: EntityManager,
    actor: Principal,
    companyId: string,
    year: number,
    input: MetricFieldsInput,
    ifMatch?: string,
  ) {
    await this.options.companies.get(em, actor, companyId);
    const existing = await em.findOne(EnvironmentalMetric, {
      company: companyId,
      organization: actor.organizationId,
      year,
    });
    if (existing) {
      assertIfMatch(ifMatch, existing.version);
      em.assign(existing, columns(input));
    } else if (ifMatch !== undefined && ifMatch.trim() !== '*') {
      throw problems.preconditionFailed(`There are no metrics for ${year} yet.`);
    }
    const metric =
      existing ??
      em.create(EnvironmentalMetric, {
        id: randomUUID(),
        organization: actor.organizationId,
        company: companyId,
        year,
        ...columns(input),
      });
    recordAudit(
      em,
      actor,
      existing ? 'metric.replace' : 'metric.create',
      { type: 'company', id: companyId },
      { year },
    );
    await em.flush();
    await this.changed(actor, companyId);
    return { metric, created: !existing };
  }

  async delete(em: EntityManager, actor: Principal, companyId: string, year: number, ifMatch?: string) {
    const metric = await this.get(em, actor, companyId, year);
    assertIfMatch(ifMatch, metric.version);
    recordAudit(em, actor, 'metric.delete', { type: 'company', id: companyId }, { year });
    em.remove(metric);
    await em.flush();
    await this.changed(actor, companyId);
  }

  private async changed(actor: Principal, companyId: string) {
    await this.options.onChange?.(actor.organizationId, companyId);
  }
}
