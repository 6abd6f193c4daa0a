import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../src/http/context.js';
import { call } from './client.js';
import type { TestApi } from './harness.js';

export const PASSWORD = 'correct-horse-battery-staple';

export interface Tenant {
  organizationId: string;
  adminId: string;
  email: string;
  tokens: Record<Role, string>;
  refreshToken: string;
}

/** Signs up a new organisation and adds an analyst and a viewer; returns an access token per role. */
export async function createTenant(api: TestApi, label = 'Bank'): Promise<Tenant> {
  const tag = randomBytes(4).toString('hex');
  const email = `admin-${tag}@${label.toLowerCase()}.example`;
  const signup = await call(api, 'post', '/v1/auth/signup', {
    body: { organizationName: `${label} ${tag}`, email, password: PASSWORD },
  });
  expect(signup.status).toBe(201);
  const admin = signup.body.accessToken as string;
  const tokens = { admin } as Record<Role, string>;
  for (const role of ['analyst', 'viewer'] as const) {
    const userEmail = `${role}-${tag}@${label.toLowerCase()}.example`;
    const created = await call(api, 'post', '/v1/users', {
      token: admin,
      body: { email: userEmail, password: PASSWORD, role },
    });
    expect(created.status).toBe(201);
    const login = await call(api, 'post', '/v1/auth/login', {
      body: { email: userEmail, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    tokens[role] = login.body.accessToken as string;
  }
  return {
    organizationId: signup.body.organization.id,
    adminId: signup.body.user.id,
    email,
    tokens,
    refreshToken: signup.body.refreshToken,
  };
}

export const ecotechCompany = {
  jurisdiction: 'gb',
  companyNumber: '09876543',
  name: 'EcoTech Manufacturing Ltd',
  sicCodes: ['25210'],
  region: 'West Midlands',
  locality: 'Birmingham',
};

/** Creates a company and returns its id. */
export async function createCompany(
  api: TestApi,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(api, 'post', '/v1/companies', {
    token,
    body: { ...ecotechCompany, companyNumber: randomBytes(4).toString('hex').toUpperCase(), ...overrides },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
