import { IdParams } from '../../http/schemas.js';
import { route } from '../../services.js';
import { CreateUserBody, UserListQuery, UserPage, UserSchema } from './users.schemas.js';
import { toUserJson } from './users.service.js';

const tags = ['users'];

export const usersRoutes = [
  route({
    operationId: 'createUser',
    method: 'post',
    path: '/v1/users',
    summary: 'Add a person to your organisation with a role',
    tags,
    access: 'admin',
    problems: [409],
    request: { body: CreateUserBody },
    responses: { 201: { description: 'User created.', schema: UserSchema } },
    handler: async ({ body }, { em, principal, services }) => ({
      status: 201,
      body: toUserJson(await services.users.create(em, principal, body)),
    }),
  }),
  route({
    operationId: 'listUsers',
    method: 'get',
    path: '/v1/users',
    summary: 'List the people of your organisation',
    tags,
    access: 'admin',
    request: { query: UserListQuery },
    responses: { 200: { description: 'A page of users.', schema: UserPage } },
    handler: async ({ query }, { em, principal, services }) => ({
      status: 200,
      body: await services.users.list(em, principal, query),
    }),
  }),
  route({
    operationId: 'deleteUser',
    method: 'delete',
    path: '/v1/users/{id}',
    summary: 'Remove a person (their sessions end)',
    tags,
    access: 'admin',
    problems: [409],
    request: { params: IdParams },
    responses: { 204: { description: 'Removed.' } },
    handler: async ({ params }, { em, principal, services }) => {
      await services.users.delete(em, principal, params.id);
      return { status: 204 };
    },
  }),
];
