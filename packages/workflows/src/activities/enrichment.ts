/**
 * The enrichment activities: list a tenant's company ids, and enrich one company from its
 * official registry record (name, status, incorporation date, SIC codes → sector, registered
 * address, `enriched_at`, `source`). Plain SQL over the API's `companies` table, tenant-scoped.
 */
import { sectionOfDivision } from '@greenfin/core';
import type { Pool } from 'pg';
import type { CompanyIdPage, EnrichmentActivities } from '../flows/activities.js';
import { RegistryConfigError } from '../registries/errors.js';
import type { OfficialCompanyRecord, RegistryClient } from '../registries/record.js';
import type { CompanyEnrichmentOutcome, OperationRef } from '../shared.js';
import { currentSignal } from './context.js';

export interface EnrichmentActivityDeps {
  pool: Pool;
  /** The configured registry; null when none is (every lookup then fails the job, clearly). */
  registry: RegistryClient | null;
  /** Called after a company's record changed (the API drops its cached green score). */
  onCompanyChanged?: (organizationId: string, companyId: string) => Promise<void>;
}

/** SIC 2007 section letter of a five-digit code (its two-digit division), or null. */
export function sectorOf(sicCodes: readonly string[]): string | null {
  const first = sicCodes[0];
  if (!first) return null;
  return sectionOfDivision(Number(first.slice(0, 2))) ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Builds `listCompanyIds` and `enrichCompany`.
 *
 * @example const acts = createEnrichmentActivities({ pool, registry: createRegistryClient(config) });
 */
export function createEnrichmentActivities(
  deps: EnrichmentActivityDeps,
): Pick<EnrichmentActivities, 'listCompanyIds' | 'enrichCompany'> {
  const { pool } = deps;
  return {
    async listCompanyIds({ organizationId, afterCompanyId, limit }): Promise<CompanyIdPage> {
      const page = await pool.query<{ id: string }>(
        `select "id" from "companies" where "organization_id" = $1 and ($2::uuid is null or "id" > $2::uuid)
         order by "id" limit $3`,
        [organizationId, afterCompanyId, Math.max(1, Math.min(limit, 1000))],
      );
      const count = await pool.query<{ total: string }>(
        `select count(*) as "total" from "companies" where "organization_id" = $1`,
        [organizationId],
      );
      return { companyIds: page.rows.map((r) => r.id), total: Number(count.rows[0]?.total ?? 0) };
    },

    async enrichCompany(request: OperationRef & { companyId: string }): Promise<CompanyEnrichmentOutcome> {
      const { organizationId, companyId } = request;
      if (!UUID.test(companyId)) return { companyId, status: 'not-found' };
      const found = await pool.query<{ jurisdiction: string; company_number: string }>(
        `select "jurisdiction", "company_number" from "companies" where "organization_id" = $1 and "id" = $2`,
        [organizationId, companyId],
      );
      const company = found.rows[0];
      if (!company) return { companyId, status: 'not-found' };
      if (!deps.registry) {
        throw new RegistryConfigError(
          'registry',
          'no company registry is configured: set COMPANIES_HOUSE_API_KEY (Companies House) or REGISTRY_PROVIDER=opencorporates (with OPENCORPORATES_API_TOKEN) and restart',
        );
      }
      const signal = currentSignal();
      const result = await deps.registry.fetchCompany(company.jurisdiction, company.company_number, {
        ...(signal && { signal }),
      });
      switch (result.kind) {
        case 'not-found':
          await pool.query(
            `update "companies" set "enrichment_status" = 'not-found', "updated_at" = now()
             where "organization_id" = $1 and "id" = $2`,
            [organizationId, companyId],
          );
          return { companyId, status: 'not-found' };
        case 'malformed':
          return {
            companyId,
            status: 'failed',
            reason: `the registry's answer was unusable: ${result.reason}`,
          };
        case 'found':
          await applyRecord(pool, organizationId, companyId, result.record);
          await deps.onCompanyChanged?.(organizationId, companyId);
          return { companyId, status: 'updated' };
      }
    },
  };
}

/** Writes the official record over the company's registry fields (idempotent: same record, same row). */
async function applyRecord(
  pool: Pool,
  organizationId: string,
  companyId: string,
  record: OfficialCompanyRecord,
): Promise<void> {
  const address = record.registeredAddress;
  await pool.query(
    `update "companies" set
       "name" = $3, "status" = $4, "incorporation_date" = $5, "sic_codes" = $6, "sector" = $7,
       "region" = coalesce($8, "region"), "locality" = coalesce($9, "locality"),
       "registered_address" = $10, "source" = $11, "enriched_at" = now(), "enrichment_status" = 'enriched',
       "version" = "version" + 1, "updated_at" = now()
     where "organization_id" = $1 and "id" = $2`,
    [
      organizationId,
      companyId,
      record.name.slice(0, 300),
      record.status,
      record.incorporationDate,
      record.sicCodes,
      sectorOf(record.sicCodes),
      address?.region?.slice(0, 200) ?? null,
      address?.locality?.slice(0, 200) ?? null,
      address ? JSON.stringify(address) : null,
      record.source,
    ],
  );
}
