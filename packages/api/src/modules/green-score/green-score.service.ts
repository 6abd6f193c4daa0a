import {
  type CompanyValue,
  type CurrencyCode,
  type EnvironmentalMetrics,
  GREEN_SCORE_METHODOLOGY_VERSION,
  greenScore,
  type PcafScore,
} from '@greenfin/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { deepFreeze } from '../../cache/deep-freeze.js';
import { type GenerationalCache, greenScoreCacheKey as cacheKey } from '../../cache/generational-cache.js';
import type { Clock } from '../../clock.js';
import type { Principal } from '../../http/context.js';
import type { CompaniesService } from '../companies/companies.service.js';
import { findRow } from '../../db/fast-sql.js';
import { companyValue, coreTarget } from '../companies/company-finance.js';
import { Company } from '../companies/company.entity.js';
import { EnvironmentalMetric } from '../metrics/metric.entity.js';
import type { GreenScoreJson } from './green-score.schemas.js';

/** A stored metrics row as core's green score reads it (revenue in minor units with its currency). */
export function coreMetrics(m: EnvironmentalMetric): EnvironmentalMetrics {
  return {
    year: m.year,
    energyMwh: m.energyMwh ?? null,
    scope1Tco2e: m.scope1Tco2e ?? null,
    scope2Tco2e: m.scope2Tco2e ?? null,
    scope3Tco2e: m.scope3Tco2e ?? null,
    revenue:
      m.revenueAmount != null && m.revenueCurrency
        ? { amount: m.revenueAmount, currency: m.revenueCurrency as CurrencyCode }
        : null,
    renewableShare: m.renewableShare ?? null,
    verified: m.verified,
    pcafDataQuality: (m.pcafDataQuality ?? null) as PcafScore | null,
  };
}

/** The latest reporting year with scope 1 and 2 emissions: what PCAF attributes to a loan. */
export interface LatestEmissions {
  year: number;
  scope1Tco2e: number;
  scope2Tco2e: number;
  scope3Tco2e: number | null;
  pcafDataQuality: number | null;
}

/**
 * What is cached per company: the score, and what loan pricing needs besides it (the latest
 * emissions and the PCAF company value), all dropped together when the company or its metrics
 * change — so a simulation for a cached company reads nothing before it writes.
 */
export interface ScoredCompany {
  score: GreenScoreJson;
  emissions: LatestEmissions | null;
  companyValue: CompanyValue | null;
}

function latestEmissions(rows: readonly EnvironmentalMetric[]): LatestEmissions | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const m = rows[i]!;
    if (m.scope1Tco2e != null && m.scope2Tco2e != null) {
      return {
        year: m.year,
        scope1Tco2e: m.scope1Tco2e,
        scope2Tco2e: m.scope2Tco2e,
        scope3Tco2e: m.scope3Tco2e ?? null,
        pcafDataQuality: m.pcafDataQuality ?? null,
      };
    }
  }
  return null;
}

export interface GreenScoreServiceOptions {
  companies: CompaniesService;
  cache: GenerationalCache;
  clock: Clock;
}

/**
 * Green scores, computed by core's `greenScore` from a company's SIC codes, stored metrics and
 * emissions target, and cached per tenant and company until any of those change.
 */
export class GreenScoreService {
  /**
   * Cache entries already parsed, by their JSON text: a hit costs a map lookup instead of a
   * JSON.parse of ~6 kB, and hands out the same deeply frozen object every time, which the route
   * seam then validates and serialises only once (see `serialise` in http/route.ts). Keyed by the
   * text itself, so a changed entry (recomputed, or another process's) is parsed afresh.
   */
  readonly #parsed = new Map<string, ScoredCompany>();

  constructor(private readonly options: GreenScoreServiceOptions) {}

  /**
   * The company's score; `cached` says whether it came from the cache. 404 for another tenant's id.
   * `em` is asked for only on a miss.
   */
  async get(
    emOf: () => EntityManager,
    actor: Principal,
    companyId: string,
    asOfYear?: number,
  ): Promise<{ score: GreenScoreJson; cached: boolean }> {
    const { value, cached } = await this.cached(actor.organizationId, companyId, asOfYear, async () => {
      const em = emOf();
      return this.compute(em, await this.options.companies.get(em, actor, companyId), asOfYear);
    });
    return { score: value.score, cached };
  }

  /**
   * The score of one of the caller's companies with what pricing needs besides it; `unknown()` is
   * thrown when the company is not the caller's. A hit needs no query: the key is the tenant's,
   * and deleting the company drops it.
   */
  async forPricing(
    em: () => EntityManager,
    actor: Principal,
    companyId: string,
    unknown: () => Error,
  ): Promise<ScoredCompany> {
    const { value } = await this.cached(actor.organizationId, companyId, undefined, async () => {
      const db = em(); // asked for only on a miss (a request's EntityManager is forked on first use)
      const company = await findRow(db, Company, { id: companyId, organization_id: actor.organizationId });
      if (!company) throw unknown();
      return this.compute(db, company);
    });
    return value;
  }

  /** Drops the company's cached scores (after its metrics, SIC codes or target change). */
  invalidate(organizationId: string, companyId: string): Promise<void> {
    return this.options.cache.invalidate(cacheKey(organizationId, companyId));
  }

  private async cached(
    organizationId: string,
    companyId: string,
    asOfYear: number | undefined,
    compute: () => Promise<ScoredCompany>,
  ): Promise<{ value: ScoredCompany; cached: boolean }> {
    const key = cacheKey(organizationId, companyId);
    // The methodology version is part of the field: a new core never serves an old score.
    const field = `${GREEN_SCORE_METHODOLOGY_VERSION}:${asOfYear ?? 'latest'}`;
    const { value, generation } = await this.options.cache.get(key, field);
    // The key is tenant-scoped and dropped when the company is deleted, so a hit needs no lookup.
    if (value !== undefined) return { value: this.#parse(value), cached: true };
    const computed = await compute();
    const text = JSON.stringify(computed);
    await this.options.cache.set(key, field, text, generation);
    return { value: this.#parse(text), cached: false };
  }

  #parse(text: string): ScoredCompany {
    let value = this.#parsed.get(text);
    if (value) return value;
    value = deepFreeze(JSON.parse(text) as ScoredCompany);
    // Bounded: past the limit start again (old entries are re-parsed on their next hit).
    if (this.#parsed.size >= MAX_PARSED) this.#parsed.clear();
    this.#parsed.set(text, value);
    return value;
  }

  private async compute(em: EntityManager, company: Company, asOfYear?: number): Promise<ScoredCompany> {
    const rows = await em.find(
      EnvironmentalMetric,
      { company: company.id, organization: company.organization },
      { orderBy: { year: 'asc' } },
    );
    const result = greenScore(
      { sicCodes: company.sicCodes, metrics: rows.map(coreMetrics), target: coreTarget(company) },
      asOfYear === undefined ? undefined : { asOfYear },
    );
    const score: GreenScoreJson = {
      companyId: company.id,
      ...result,
      components: [...result.components],
      warnings: [...result.warnings],
      inputs: { ...result.inputs, yearsIgnored: [...result.inputs.yearsIgnored] },
      computedAt: this.options.clock().toISOString(),
    };
    return { score, emissions: latestEmissions(rows), companyValue: companyValue(company) };
  }
}

const MAX_PARSED = 1_000;
