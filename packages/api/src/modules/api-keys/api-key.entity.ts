import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ROLES } from '../../http/context.js';
import { Organization } from '../auth/organization.entity.js';

/**
 * A machine credential with a role. Only a SHA-256 of the key is stored (keys are 256-bit random,
 * so a slow hash adds nothing); the key itself is shown once, at creation.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade').index(),
    name: p.string().length(200),
    role: p.enum([...ROLES]),
    /** The key's first characters, shown in lists so people can tell keys apart. */
    prefix: p.string().length(16),
    keyHash: p.string().length(64).unique('api_keys_key_hash_unique').hidden(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type ApiKey = InferEntity<typeof ApiKey>;
