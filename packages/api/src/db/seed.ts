import { randomUUID } from 'node:crypto';
import { ecotechExample, toDecimalString } from '@greenfin/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../http/context.js';
import type { Services } from '../services.js';
import { Organization } from '../modules/auth/organization.entity.js';
import { Company } from '../modules/companies/company.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Demo credentials, printed at start-up. Only ever seeded into a demo (embedded) database. */
export const DEMO = {
  organizationName: 'Greenfin Demo Bank',
  email: 'admin@demo.greenfin.local',
  password: 'greenfin-demo-password',
  apiKey: 'gfk_demo_0000000000000000000000000000000000000000',
} as const;

/**
 * Seeds the demo tenant: its admin, an analyst API key and the EcoTech example (company and its
 * three years of metrics) from `@greenfin/core`. Idempotent: a second run changes nothing.
 */
export async function seedDemo(
  em: EntityManager,
  services: Pick<Services, 'auth' | 'apiKeys' | 'companies' | 'metrics'>,
) {
  let admin = await em.findOne(User, { email: DEMO.email });
  if (!admin) {
    const { user } = await services.auth.signup(em, {
      organizationName: DEMO.organizationName,
      email: DEMO.email,
      password: DEMO.password,
    });
    admin = user;
  }
  const organization = await em.findOneOrFail(Organization, { id: admin.organization });
  await services.apiKeys.ensure(em, organization.id, 'demo analyst key', 'analyst', DEMO.apiKey);

  const actor: Principal = {
    kind: 'user',
    id: admin.id,
    organizationId: organization.id,
    role: 'admin',
    requestId: `seed-${randomUUID()}`,
  };
  const { company: c, metrics } = ecotechExample;
  const existing = await em.findOne(Company, {
    organization: organization.id,
    jurisdiction: c.jurisdiction,
    companyNumber: c.companyNumber,
  });
  const company =
    existing ??
    (await services.companies.create(em, actor, {
      jurisdiction: c.jurisdiction,
      companyNumber: c.companyNumber,
      name: c.name,
      sicCodes: [...c.sicCodes],
      region: c.region,
      locality: c.locality,
    }));
  if (!existing) {
    for (const m of metrics) {
      await services.metrics.create(em, actor, company.id, {
        year: m.year,
        energyMwh: m.energyMwh,
        scope1Tco2e: m.scope1Tco2e,
        scope2Tco2e: m.scope2Tco2e,
        scope3Tco2e: m.scope3Tco2e,
        revenue: { amount: toDecimalString(m.revenue), currency: m.revenue.currency },
        renewableShare: m.renewableShare,
        verified: m.verified,
        pcafDataQuality: m.pcafDataQuality,
        source: 'ecotechExample (@greenfin/core)',
      });
    }
  }
  return { organizationId: organization.id, companyId: company.id };
}
