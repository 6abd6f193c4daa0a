import { hash as digest, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import { ROLES, type Principal, type Role } from '../../http/context.js';

/** SHA-256 hex of a high-entropy secret (API keys, refresh tokens): fast lookups, nothing reversible stored. */
export function sha256(secret: string): string {
  // One-shot crypto.hash (Node ≥ 20.12): ~2.5× faster than createHash().update().digest(), and it
  // runs on every API-key request.
  return digest('sha256', secret, 'hex');
}

/** A URL-safe random secret with 256 bits of entropy. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** argon2id password hashing with configurable cost (cheap in tests, OWASP defaults otherwise). */
export class PasswordHasher {
  readonly #options: { memoryCost: number; timeCost: number; parallelism: number };
  #dummy: Promise<string> | undefined;

  constructor(cost: { memoryCost: number; timeCost: number }) {
    this.#options = { ...cost, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.#options);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password);
  }

  /** Spends the same time as a real check, so unknown emails cannot be told apart by timing. */
  async verifyNobody(password: string): Promise<false> {
    this.#dummy ??= this.hash(randomSecret());
    await this.verify(await this.#dummy, password);
    return false;
  }
}

const ISSUER = 'greenfin';
const AUDIENCE = 'greenfin-api';

/** Short-lived HS256 access tokens carrying the principal (subject, tenant, role). */
export class AccessTokens {
  readonly #key: Uint8Array;
  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  sign(principal: Pick<Principal, 'id' | 'organizationId' | 'role'>): Promise<string> {
    return new SignJWT({ org: principal.organizationId, role: principal.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(randomBytes(9).toString('base64url'))
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.#key);
  }

  /** The principal of a valid token, or undefined for any invalid, expired or forged one. */
  async verify(token: string): Promise<Principal | undefined> {
    const verified = await jwtVerify(token, this.#key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    })
      // jose signals every kind of invalid token by rejecting; all of them mean "no principal".
      .catch(() => undefined);
    const claims = verified?.payload;
    if (!claims || typeof claims.sub !== 'string' || typeof claims.org !== 'string') return undefined;
    if (!(ROLES as readonly unknown[]).includes(claims.role)) return undefined;
    return { kind: 'user', id: claims.sub, organizationId: claims.org, role: claims.role as Role };
  }
}
