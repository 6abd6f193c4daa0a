import { JOB_KINDS, OPERATION_STATUSES } from '@greenfin/workflows';
import { PageQuery, pageOf, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

/** The problem an operation failed with (RFC 9457; `type` is what clients switch on). */
export const OperationProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/registry-auth' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errorType: z
      .string()
      .optional()
      .openapi({ description: 'The underlying failure’s type name, for operators.' }),
  })
  .openapi('OperationProblem', { description: 'Why the operation failed (RFC 9457 problem details).' });

export const OperationSchema = z
  .object({
    id: Uuid,
    kind: z.enum(JOB_KINDS),
    status: z.enum(OPERATION_STATUSES).openapi({
      description: '`queued` → `running` → `succeeded` | `failed` | `canceled` (the last three are final).',
    }),
    done: z.boolean().openapi({ description: 'True once the status is final (AIP-151).' }),
    progress: z
      .object({
        completed: z.number().int().min(0),
        total: z.number().int().min(0).nullable().openapi({ description: 'Null until known.' }),
      })
      .openapi({ description: 'Work items done so far (companies, data lines, report steps).' }),
    engine: z.enum(['temporal', 'in-process']).openapi({
      description:
        'What runs it. Under Temporal the workflow id is the operation id (search it in the Temporal UI).',
    }),
    input: z.unknown().openapi({ description: 'The job’s parameters, as started.' }),
    result: z.unknown().openapi({ description: 'The job’s result once it succeeded, else null.' }),
    resourceLocation: z
      .string()
      .nullable()
      .openapi({ description: 'Where the produced resource is served (reports), once succeeded.' }),
    error: OperationProblemSchema.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    expiresAt: Timestamp.openapi({
      description: 'When the record may be deleted: at least 7 days after the operation finished.',
    }),
    links: z.object({ self: z.string(), cancel: z.string() }),
  })
  .openapi('Operation', { description: 'A long-running job (Google AIP-151 shape).' });
export type OperationJson = z.input<typeof OperationSchema>;

export const OperationPage = pageOf(OperationSchema, 'OperationPage');

export const OperationListQuery = PageQuery.extend({
  kind: z.enum(JOB_KINDS).optional(),
  status: z.enum(OPERATION_STATUSES).optional(),
});

/** Headers of a 202 that started (or found) a job. */
export const AcceptedHeaders = z.object({
  Location: z.string().openapi({ description: 'The operation to poll: `/v1/operations/{id}`.' }),
  'Retry-After': z.string().openapi({ description: 'Seconds to wait before polling.', example: '1' }),
});

/** Headers of an operation read: `Retry-After` while it is not finished. */
export const OperationReadHeaders = z.object({
  'Retry-After': z
    .string()
    .optional()
    .openapi({ description: 'Present while the operation is not finished: seconds before the next poll.' }),
});

/** `Idempotency-Key` on job-starting requests. */
export const JobIdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().openapi({
    description:
      'The same key (per organisation and job kind) never starts a second job: the request answers the operation the first one started. The same key with a different request → 422.',
  }),
});
