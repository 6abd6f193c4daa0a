import { pageOf, PageQuery, text, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { RoleSchema } from '../users/users.schemas.js';

export const ApiKeySchema = z
  .object({
    id: Uuid,
    name: z.string(),
    role: RoleSchema,
    prefix: z.string().openapi({ description: 'First characters of the key, to tell keys apart.' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .openapi('ApiKey');
export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The key itself. Shown this once; only a hash is stored.' }),
}).openapi('CreatedApiKey');
export const ApiKeyPage = pageOf(ApiKeySchema, 'ApiKeyPage');
export const CreateApiKeyBody = z
  .object({ name: text(1, 200).openapi({ example: 'loan origination system' }), role: RoleSchema })
  .openapi('CreateApiKeyRequest');
export const ApiKeyListQuery = PageQuery;

export type ApiKeyJson = z.input<typeof ApiKeySchema>;
export type CreateApiKeyInput = z.output<typeof CreateApiKeyBody>;
