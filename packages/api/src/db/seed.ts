import { randomUUID } from 'node:crypto';
import { ecotechExample, toDecimalString } from '@greenfin/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../http/context.js';
import type { Services } from '../services.js';
import { Organization } from '../modules/auth/organization.entity.js';
import { Company } from '../modules/companies/company.entity.js';
import { LoanSimulation } from '../modules/loan-simulations/loan-simulation.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Demo credentials, printed at start-up. Only ever seeded into a demo (embedded) database. */
export const DEMO = {
  organizationName: 'Greenfin Demo Bank',
  email: 'admin@demo.greenfin.local',
  password: 'greenfin-demo-password',
  apiKey: 'gfk_demo_0000000000000000000000000000000000000000',
} as const;

const money = (m: { amount: number; currency: 'GBP' }) => ({
  amount: toDecimalString(m),
  currency: m.currency,
});

/**
 * Seeds the demo tenant: its admin, an analyst API key and the EcoTech example from
 * `@greenfin/core` — the company with its emissions target and balance sheet, its three years of
 * metrics, and one loan simulation (the example's £500,000 / 60-month loan and project).
 * Idempotent: a second run changes nothing.
 */
export async function seedDemo(
  em: EntityManager,
  services: Pick<Services, 'auth' | 'apiKeys' | 'companies' | 'metrics' | 'loanSimulations'>,
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
  const { company: c, metrics, target, balanceSheet, loan, project } = ecotechExample;
  const emissionsTarget = { status: 'set' as const, ...target };
  const sheet = {
    basis: 'equity-plus-debt' as const,
    equity: money(balanceSheet.equity),
    debt: money(balanceSheet.debt),
  };
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
      emissionsTarget,
      balanceSheet: sheet,
    }));
  if (existing && existing.targetStatus === 'unknown' && !existing.balanceSheetBasis) {
    // A database seeded before targets and balance sheets existed.
    await services.companies.update(em, actor, existing.id, { emissionsTarget, balanceSheet: sheet });
  }
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
  const stored = await em.findOne(
    LoanSimulation,
    { organization: organization.id, company: company.id },
    { orderBy: { createdAt: 'asc' } },
  );
  const simulation =
    stored ??
    (await services.loanSimulations.create(
      em,
      actor,
      {
        companyId: company.id,
        principal: money(loan.principal),
        termMonths: loan.termMonths,
        startDate: loan.startDate,
        baseRate: loan.baseRate,
        creditSpread: loan.creditSpread,
        fees: { upfront: money(loan.arrangementFee) },
        project: {
          energySaved: project.energySaved.map((line) => ({ ...line })),
          lifetimeYears: project.lifetimeYears,
        },
      },
      'seed-ecotech-loan',
    ));
  return { organizationId: organization.id, companyId: company.id, simulationId: simulation.id };
}
