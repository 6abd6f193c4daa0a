import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { createTenant, PASSWORD, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let tenant: Tenant;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Authbank');
});
afterAll(() => api.close());

describe('signup and login', () => {
  it('signup creates a tenant and its admin, with both tokens at the top level', async () => {
    const res = await call(api, 'post', '/v1/auth/signup', {
      body: { organizationName: 'Midlands Bank', email: 'Founder@Midlands.example', password: PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      organization: { name: 'Midlands Bank' },
      user: { email: 'founder@midlands.example', role: 'admin' },
    });
    expect(res.body.accessToken).toMatch(/^eyJ/);
    expect(typeof res.body.refreshToken).toBe('string');
    const users = await call(api, 'get', '/v1/users', { token: res.body.accessToken });
    expect(users.body.items).toEqual([
      expect.objectContaining({ email: 'founder@midlands.example', role: 'admin' }),
    ]);
  });

  it('a second signup with the same email → 409', async () => {
    const res = await call(api, 'post', '/v1/auth/signup', {
      body: { organizationName: 'Copycat', email: tenant.email, password: PASSWORD },
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/email-taken');
  });

  it('stores passwords as argon2id hashes', async () => {
    const rows = await api.orm.em
      .fork()
      .getConnection()
      .execute('select password_hash from users where email = ?', [tenant.email]);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('login with the right password → tokens; wrong password or unknown email → the same 401', async () => {
    const ok = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: PASSWORD },
    });
    expect(ok.status).toBe(200);
    const wrong = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: 'not-the-password' },
    });
    const unknown = await call(api, 'post', '/v1/auth/login', {
      body: { email: 'ghost@nowhere.example', password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('rejects a tampered or garbage bearer token with 401', async () => {
    const tampered = `${tenant.tokens.admin.slice(0, -4)}AAAA`;
    expect((await call(api, 'get', '/v1/companies', { token: tampered })).status).toBe(401);
    expect(
      (await call(api, 'get', '/v1/companies', { headers: { Authorization: 'Basic abc' } })).status,
    ).toBe(401);
  });
});

describe('refresh-token rotation', () => {
  it('each refresh returns a new pair; the old refresh token stops working', async () => {
    const login = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: PASSWORD },
    });
    const first = await call(api, 'post', '/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(login.body.refreshToken);
    const viewer = await call(api, 'get', '/v1/companies', { token: first.body.accessToken });
    expect(viewer.status).toBe(200);
  });

  it('reusing a used refresh token revokes the whole family (reuse detection)', async () => {
    const login = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: PASSWORD },
    });
    const rotated = await call(api, 'post', '/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(rotated.status).toBe(200);
    const replay = await call(api, 'post', '/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(replay.status).toBe(401);
    // The legitimate holder's newer token is now dead too.
    const newest = await call(api, 'post', '/v1/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(newest.status).toBe(401);
  });

  it('two concurrent refreshes with one token: at most one succeeds', async () => {
    const login = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: PASSWORD },
    });
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        call(api, 'post', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } }),
      ),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  });

  it('logout ends the session: its refresh token no longer works', async () => {
    const login = await call(api, 'post', '/v1/auth/login', {
      body: { email: tenant.email, password: PASSWORD },
    });
    expect(
      (await call(api, 'post', '/v1/auth/logout', { body: { refreshToken: login.body.refreshToken } }))
        .status,
    ).toBe(204);
    expect(
      (await call(api, 'post', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } }))
        .status,
    ).toBe(401);
    expect((await call(api, 'post', '/v1/auth/logout', { body: { refreshToken: 'unknown' } })).status).toBe(
      204,
    );
  });
});

describe('users (admin)', () => {
  it('an admin adds a person with a role, who can then sign in with it; duplicates → 409', async () => {
    const created = await call(api, 'post', '/v1/users', {
      token: tenant.tokens.admin,
      body: { email: 'new.analyst@authbank.example', password: PASSWORD, role: 'analyst' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.analyst@authbank.example', role: 'analyst' });
    expect(created.body).not.toHaveProperty('passwordHash');
    const again = await call(api, 'post', '/v1/users', {
      token: tenant.tokens.admin,
      body: { email: 'new.analyst@authbank.example', password: PASSWORD, role: 'viewer' },
    });
    expect(again.status).toBe(409);
  });

  it('lists users with cursor pagination', async () => {
    const first = await call(api, 'get', '/v1/users?limit=2', { token: tenant.tokens.admin });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(api, 'get', `/v1/users?limit=2&cursor=${first.body.nextCursor}`, {
      token: tenant.tokens.admin,
    });
    const ids = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('deleting a user ends their access at once; an admin cannot delete themselves', async () => {
    const email = 'leaver@authbank.example';
    const created = await call(api, 'post', '/v1/users', {
      token: tenant.tokens.admin,
      body: { email, password: PASSWORD, role: 'viewer' },
    });
    const login = await call(api, 'post', '/v1/auth/login', { body: { email, password: PASSWORD } });
    expect((await call(api, 'get', '/v1/companies', { token: login.body.accessToken })).status).toBe(200);
    expect(
      (await call(api, 'delete', `/v1/users/${created.body.id}`, { token: tenant.tokens.admin })).status,
    ).toBe(204);
    expect((await call(api, 'get', '/v1/companies', { token: login.body.accessToken })).status).toBe(401);
    expect(
      (await call(api, 'post', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } }))
        .status,
    ).toBe(401);
    const self = await call(api, 'delete', `/v1/users/${tenant.adminId}`, { token: tenant.tokens.admin });
    expect(self.status).toBe(409);
  });
});

describe('API keys (admin)', () => {
  it('a key is shown once, stored hashed, works as a bearer with its role, records last use, and can be revoked', async () => {
    const created = await call(api, 'post', '/v1/api-keys', {
      token: tenant.tokens.admin,
      body: { name: 'LOS', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^gfk_/);
    const stored = await api.orm.em
      .fork()
      .getConnection()
      .execute('select key_hash from api_keys where id = ?', [created.body.id]);
    expect(stored[0]?.key_hash).not.toContain(key);

    expect((await call(api, 'get', '/v1/companies', { token: key })).status).toBe(200);
    // Viewer role: writing is forbidden.
    const write = await call(api, 'post', '/v1/companies', {
      token: key,
      body: { jurisdiction: 'gb', companyNumber: '1', name: 'x' },
    });
    expect(write.status).toBe(403);

    const list = await call(api, 'get', '/v1/api-keys', { token: tenant.tokens.admin });
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'LOS', role: 'viewer', prefix: key.slice(0, 12) });
    expect(listed.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(list.body)).not.toContain(key);

    expect(
      (await call(api, 'delete', `/v1/api-keys/${created.body.id}`, { token: tenant.tokens.admin })).status,
    ).toBe(204);
    expect((await call(api, 'get', '/v1/companies', { token: key })).status).toBe(401);
  });
});
