import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { pageByCreation } from '../../db/pages.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type { PasswordHasher } from '../auth/credentials.js';
import { User } from './user.entity.js';
import type { CreateUserInput, UserJson } from './users.schemas.js';

export function toUserJson(user: User): UserJson {
  return { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() };
}

/** People of a tenant: admins add them with a role and remove them. */
export class UsersService {
  constructor(private readonly passwords: PasswordHasher) {}

  async create(em: EntityManager, actor: Principal, input: CreateUserInput): Promise<User> {
    if ((await em.count(User, { email: input.email })) > 0) throw emailTaken();
    const user = em.create(User, {
      id: randomUUID(),
      organization: actor.organizationId,
      email: input.email,
      passwordHash: await this.passwords.hash(input.password),
      role: input.role,
    });
    recordAudit(
      em,
      actor,
      'user.create',
      { type: 'user', id: user.id },
      { email: user.email, role: user.role },
    );
    await em.flush();
    return user;
  }

  list(em: EntityManager, actor: Principal, page: { limit: number; cursor?: string | undefined }) {
    return pageByCreation(em, User, { organization: actor.organizationId }, page, toUserJson);
  }

  async delete(em: EntityManager, actor: Principal, id: string): Promise<void> {
    const user = await em.findOne(User, { id, organization: actor.organizationId });
    if (!user) throw problems.notFound(`User ${id}`);
    if (actor.kind === 'user' && actor.id === id) {
      throw problems.conflict('You cannot delete yourself; ask another admin.', 'self-delete');
    }
    recordAudit(em, actor, 'user.delete', { type: 'user', id }, { email: user.email });
    em.remove(user);
    await em.flush();
  }
}

export function emailTaken() {
  return problems.conflict('An account with this email already exists.', 'email-taken');
}
