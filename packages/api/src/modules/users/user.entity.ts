import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ROLES } from '../../http/context.js';
import { Organization } from '../auth/organization.entity.js';

/** A person who signs in with email and password (argon2id hash). Emails are unique across tenants. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade').index(),
    email: p.string().length(320).unique('users_email_unique'),
    passwordHash: p.text().hidden(),
    role: p.enum([...ROLES]),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type User = InferEntity<typeof User>;
