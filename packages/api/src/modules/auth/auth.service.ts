import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { problems } from '../../http/problem.js';
import { API_KEY_PREFIX, type ApiKeysService } from '../api-keys/api-keys.service.js';
import { User } from '../users/user.entity.js';
import { emailTaken } from '../users/users.service.js';
import type { LoginInput, SignupInput } from './auth.schemas.js';
import { type AccessTokens, type PasswordHasher, randomSecret, sha256 } from './credentials.js';
import { Organization } from './organization.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

export interface TokenPairJson {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const invalidCredentials = () => problems.unauthorized('Invalid email or password.');
const invalidRefresh = () =>
  problems.unauthorized('The refresh token is invalid, expired or revoked; log in again.');

/** Sign-up, login, refresh-token rotation with reuse detection, logout, and bearer authentication. */
export class AuthService {
  constructor(
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly apiKeys: ApiKeysService,
    private readonly refreshTtlSeconds: number,
  ) {}

  /** A new tenant with its first admin, signed in. */
  async signup(em: EntityManager, input: SignupInput) {
    if ((await em.count(User, { email: input.email })) > 0) throw emailTaken();
    const organization = em.create(Organization, { id: randomUUID(), name: input.organizationName });
    const user = em.create(User, {
      id: randomUUID(),
      organization: organization.id,
      email: input.email,
      passwordHash: await this.passwords.hash(input.password),
      role: 'admin',
    });
    await em.flush();
    return { organization, user, tokens: await this.issue(em, user, randomUUID()) };
  }

  async login(em: EntityManager, input: LoginInput): Promise<TokenPairJson> {
    const user = await em.findOne(User, { email: input.email });
    const ok = user
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNobody(input.password);
    if (!user || !ok) throw invalidCredentials();
    return this.issue(em, user, randomUUID());
  }

  /**
   * Rotates a refresh token. The swap is one conditional UPDATE, so of two concurrent uses of the
   * same token exactly one wins; a token presented after it was used revokes its whole family.
   */
  async refresh(em: EntityManager, refreshToken: string): Promise<TokenPairJson> {
    const row = await em.findOne(RefreshToken, { tokenHash: sha256(refreshToken) });
    if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw invalidRefresh();
    const now = new Date();
    const swapped = await em.nativeUpdate(
      RefreshToken,
      { id: row.id, usedAt: null, revokedAt: null },
      { usedAt: now },
    );
    if (swapped === 0) {
      await this.revokeFamily(em, row.familyId);
      throw invalidRefresh();
    }
    const user = await em.findOne(User, { id: row.user });
    if (!user) throw invalidRefresh();
    return this.issue(em, user, row.familyId);
  }

  /** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(em: EntityManager, refreshToken: string): Promise<void> {
    const row = await em.findOne(RefreshToken, { tokenHash: sha256(refreshToken) });
    if (row) await this.revokeFamily(em, row.familyId);
  }

  /**
   * The principal behind a bearer credential — an API key (`gfk_…`) or an access token — or
   * undefined. For tokens the user's current role is read, so a deleted user's token stops working.
   * `em` is asked for only when a query is needed (not for a remembered API key).
   */
  async authenticate(em: () => EntityManager, credential: string): Promise<Principal | undefined> {
    if (credential.startsWith(API_KEY_PREFIX)) return this.apiKeys.authenticate(em, credential);
    const claimed = await this.tokens.verify(credential);
    if (!claimed) return undefined;
    const user = await em().findOne(User, { id: claimed.id, organization: claimed.organizationId });
    return user ? { ...claimed, role: user.role } : undefined;
  }

  private async revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }

  private async issue(em: EntityManager, user: User, familyId: string): Promise<TokenPairJson> {
    const refreshToken = randomSecret();
    em.create(RefreshToken, {
      id: randomUUID(),
      organization: user.organization,
      user: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000),
    });
    await em.flush();
    const accessToken = await this.tokens.sign({
      id: user.id,
      organizationId: user.organization,
      role: user.role,
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds };
  }
}
