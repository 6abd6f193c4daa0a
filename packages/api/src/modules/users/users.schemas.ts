import { ROLES } from '../../http/context.js';
import { pageOf, PageQuery, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { Email, Password } from '../auth/auth.schemas.js';

export const RoleSchema = z.enum(ROLES).openapi('Role', {
  description:
    'viewer reads; analyst also creates and edits companies, metrics and simulations; admin also manages users, API keys and deletes.',
});

export const UserSchema = z
  .object({ id: Uuid, email: z.string(), role: RoleSchema, createdAt: Timestamp })
  .openapi('User');
export const UserPage = pageOf(UserSchema, 'UserPage');
export const CreateUserBody = z
  .object({ email: Email, password: Password, role: RoleSchema })
  .openapi('CreateUserRequest');
export const UserListQuery = PageQuery;

export type UserJson = z.input<typeof UserSchema>;
export type CreateUserInput = z.output<typeof CreateUserBody>;
