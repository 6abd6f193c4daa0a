import { IdParams } from '../../http/schemas.js';
import { route } from '../../services.js';
import { ApiKeyListQuery, ApiKeyPage, CreateApiKeyBody, CreatedApiKeySchema } from './api-keys.schemas.js';
import { toApiKeyJson } from './api-keys.service.js';

const tags = ['api-keys'];

export const apiKeysRoutes = [
  route({
    operationId: 'createApiKey',
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key with a role (the key is shown once)',
    tags,
    access: 'admin',
    request: { body: CreateApiKeyBody },
    responses: { 201: { description: 'Key created; store `key` now.', schema: CreatedApiKeySchema } },
    handler: async ({ body }, { em, principal, services }) => {
      const { key, secret } = await services.apiKeys.create(em, principal, body);
      return { status: 201, body: { ...toApiKeyJson(key), key: secret } };
    },
  }),
  route({
    operationId: 'listApiKeys',
    method: 'get',
    path: '/v1/api-keys',
    summary: 'List API keys (never the keys themselves)',
    tags,
    access: 'admin',
    request: { query: ApiKeyListQuery },
    responses: { 200: { description: 'A page of API keys.', schema: ApiKeyPage } },
    handler: async ({ query }, { em, principal, services }) => ({
      status: 200,
      body: await services.apiKeys.list(em, principal, query),
    }),
  }),
  route({
    operationId: 'revokeApiKey',
    method: 'delete',
    path: '/v1/api-keys/{id}',
    summary: 'Revoke an API key',
    tags,
    access: 'admin',
    request: { params: IdParams },
    responses: { 204: { description: 'Revoked (also when it already was).' } },
    handler: async ({ params }, { em, principal, services }) => {
      await services.apiKeys.revoke(em, principal, params.id);
      return { status: 204 };
    },
  }),
];
