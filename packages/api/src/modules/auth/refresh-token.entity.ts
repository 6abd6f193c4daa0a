import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from './organization.entity.js';
import { User } from '../users/user.entity.js';

/**
 * One refresh token of a rotation family. Each refresh marks the token used and issues the next in
 * the same family; presenting a used token again means it leaked, so the whole family is revoked.
 */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    user: p.manyToOne(User).mapToPk().deleteRule('cascade').index(),
    familyId: p.uuid().index(),
    tokenHash: p.string().length(64).unique('refresh_tokens_token_hash_unique'),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type RefreshToken = InferEntity<typeof RefreshToken>;
