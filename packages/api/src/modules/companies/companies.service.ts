import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type {
  CompanyJson,
  CompanyListInput,
  CreateCompanyInput,
  UpdateCompanyInput,
} from './companies.schemas.js';
import { balanceSheetColumns, balanceSheetJson, targetColumns, targetJson } from './company-finance.js';
import { Company } from './company.entity.js';
import { sicSection } from './sic-sections.js';

export const DUPLICATE_COMPANY =
  'A company with this jurisdiction and company number already exists in your organisation.';

export function toCompanyJson(c: Company): CompanyJson {
  return {
    id: c.id,
    jurisdiction: c.jurisdiction,
    companyNumber: c.companyNumber,
    name: c.name,
    status: c.status,
    incorporationDate: c.incorporationDate ?? null,
    sicCodes: c.sicCodes,
    sector: c.sector ?? null,
    region: c.region ?? null,
    locality: c.locality ?? null,
    source: c.source,
    enrichedAt: c.enrichedAt?.toISOString() ?? null,
    enrichmentStatus: c.enrichmentStatus ?? null,
    registeredAddress: c.registeredAddress ?? null,
    emissionsTarget: targetJson(c),
    balanceSheet: balanceSheetJson(c),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export interface CompaniesServiceOptions {
  /** Called after a company changes or is deleted (the green-score cache listens). */
  onChange?: (organizationId: string, companyId: string) => Promise<void> | void;
  /** Called after a company is deleted (its cash-flow rows, which have no foreign key, go too). */
  onDelete?: (organizationId: string, companyId: string) => Promise<void> | void;
}

/** Borrowers of a tenant. Every query carries the caller's organisation: other tenants' ids are 404s. */
export class CompaniesService {
  constructor(private readonly options: CompaniesServiceOptions = {}) {}

  async create(em: EntityManager, actor: Principal, input: CreateCompanyInput): Promise<Company> {
    const key = {
      organization: actor.organizationId,
      jurisdiction: input.jurisdiction,
      companyNumber: input.companyNumber,
    };
    if ((await em.count(Company, key)) > 0) throw problems.conflict(DUPLICATE_COMPANY, 'duplicate');
    const sicCodes = input.sicCodes ?? [];
    const company = em.create(Company, {
      id: randomUUID(),
      ...key,
      name: input.name,
      status: input.status ?? 'active',
      incorporationDate: input.incorporationDate ?? null,
      sicCodes,
      sector: sicCodes[0] ? sicSection(sicCodes[0]) : null,
      region: input.region ?? null,
      locality: input.locality ?? null,
      source: input.source ?? 'manual',
      ...targetColumns(input.emissionsTarget ?? { status: 'unknown' }),
      ...balanceSheetColumns(input.balanceSheet ?? null),
    });
    recordAudit(em, actor, 'company.create', { type: 'company', id: company.id }, { ...input });
    await em.flush();
    return company;
  }

  /** The caller's company, or a 404 (also for another tenant's id). */
  async get(em: EntityManager, actor: Principal, id: string): Promise<Company> {
    const company = await em.findOne(Company, { id, organization: actor.organizationId });
    if (!company) throw problems.notFound(`Company ${id}`);
    return company;
  }

  async list(em: EntityManager, actor: Principal, query: CompanyListInput) {
    const descending = query.sort.startsWith('-');
    const field = query.sort.replace('-', '') as 'name' | 'createdAt';
    const where: FilterQuery<Company>[] = [{ organization: actor.organizationId }];
    if (query.companyNumber) where.push({ companyNumber: query.companyNumber });
    if (query.jurisdiction) where.push({ jurisdiction: query.jurisdiction });
    if (query.sector) where.push({ sector: query.sector });
    if (query.status) where.push({ status: query.status });
    if (query.q) where.push({ name: { $ilike: `%${escapeLike(query.q)}%` } });
    if (query.cursor) {
      const [sort, value, id] = decodeCursor(query.cursor, 3);
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
      const v = field === 'createdAt' ? new Date(Number(value)) : String(value);
      where.push({
        $or: [{ [field]: { [op]: v } }, { [field]: v, id: { [op]: String(id) } }],
      } as FilterQuery<Company>);
    }
    const direction = descending ? 'desc' : 'asc';
    const rows = await em.find(
      Company,
      { $and: where },
      {
        orderBy: { [field]: direction, id: direction },
        limit: query.limit + 1,
      },
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor([query.sort, field === 'createdAt' ? last.createdAt.getTime() : last.name, last.id])
        : null;
    return { items: items.map(toCompanyJson), nextCursor };
  }

  async update(em: EntityManager, actor: Principal, id: string, patch: UpdateCompanyInput, ifMatch?: string) {
    const company = await this.get(em, actor, id);
    assertIfMatch(ifMatch, company.version);
    const renumbered =
      (patch.jurisdiction !== undefined && patch.jurisdiction !== company.jurisdiction) ||
      (patch.companyNumber !== undefined && patch.companyNumber !== company.companyNumber);
    if (renumbered) {
      const clash = await em.count(Company, {
        organization: actor.organizationId,
        jurisdiction: patch.jurisdiction ?? company.jurisdiction,
        companyNumber: patch.companyNumber ?? company.companyNumber,
        id: { $ne: id },
      });
      if (clash > 0) throw problems.conflict(DUPLICATE_COMPANY, 'duplicate');
    }
    const { emissionsTarget, balanceSheet, ...fields } = patch;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    em.assign(company, {
      ...changes,
      ...(emissionsTarget ? targetColumns(emissionsTarget) : {}),
      ...(balanceSheet !== undefined ? balanceSheetColumns(balanceSheet) : {}),
    });
    if (patch.sicCodes) company.sector = patch.sicCodes[0] ? sicSection(patch.sicCodes[0]) : null;
    recordAudit(
      em,
      actor,
      'company.update',
      { type: 'company', id },
      {
        ...changes,
        ...(emissionsTarget ? { emissionsTarget } : {}),
        ...(balanceSheet !== undefined ? { balanceSheet } : {}),
      },
    );
    await em.flush();
    await this.options.onChange?.(actor.organizationId, id);
    return company;
  }

  async delete(em: EntityManager, actor: Principal, id: string, ifMatch?: string): Promise<void> {
    const company = await this.get(em, actor, id);
    assertIfMatch(ifMatch, company.version);
    recordAudit(em, actor, 'company.delete', { type: 'company', id }, { name: company.name });
    em.remove(company);
    await em.flush();
    await this.options.onDelete?.(actor.organizationId, id);
    await this.options.onChange?.(actor.organizationId, id);
  }
}
