import { MAX_ENRICHMENT_COMPANY_IDS } from '@greenfin/workflows';
import { problems } from '../../http/problem.js';
import { Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { route } from '../../services.js';
import { startJob } from '../operations/jobs.js';
import { AcceptedHeaders, JobIdempotencyHeaders, OperationSchema } from '../operations/operations.schemas.js';
import { acceptedOperation } from '../operations/operations.views.js';

const EnrichmentJobBody = z
  .object({
    companyIds: z
      .array(Uuid)
      .min(1)
      .max(MAX_ENRICHMENT_COMPANY_IDS)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
      .optional()
      .openapi({ description: `The companies to enrich (1–${MAX_ENRICHMENT_COMPANY_IDS}).` }),
    all: z.literal(true).optional().openapi({ description: 'Enrich every company of your organisation.' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.companyIds === undefined) === (body.all === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: body.companyIds === undefined ? ['companyIds'] : ['all'],
        message: 'give exactly one of companyIds or all: true',
      });
    }
  })
  .openapi('EnrichmentJobRequest', {
    description: 'Exactly one of `companyIds` or `all: true`.',
    example: { companyIds: ['7d1f0a4e-6b1c-4c55-9d7e-2f0a1b2c3d4e'] },
  });

export const enrichmentRoutes = [
  route({
    operationId: 'startEnrichmentJob',
    method: 'post',
    path: '/v1/enrichment-jobs',
    summary: 'Enrich companies from their official registry record',
    description:
      'Starts a job that fetches each company’s record from the configured registry (Companies House or OpenCorporates) and updates its name, status, incorporation date, SIC codes and sector, and registered address (`enrichedAt`, `source`). A company the registry does not know is marked `enrichmentStatus: not-found` and the rest continue; bad registry credentials fail the job with a clear problem. Answers 202 with the operation to poll; its `result` lists every company not updated, with why.',
    tags: ['enrichment'],
    access: 'analyst',
    problems: [422],
    request: { body: EnrichmentJobBody, headers: JobIdempotencyHeaders },
    responses: {
      202: {
        description: 'Started (or, for a repeated Idempotency-Key, the operation it started).',
        schema: OperationSchema,
        headers: AcceptedHeaders,
      },
    },
    handler: async ({ body, headers }, { services, principal }) => {
      if (body.companyIds) {
        const { rows } = await services.pool.query<{ id: string }>(
          `select "id" from "companies" where "organization_id" = $1 and "id" = any($2::uuid[])`,
          [principal.organizationId, body.companyIds],
        );
        const known = new Set(rows.map((r) => r.id));
        const missing = body.companyIds.flatMap((id, i) => (known.has(id) ? [] : [i]));
        if (missing.length > 0) {
          throw problems.unprocessable(
            `${missing.length} of the companies are not in your organisation.`,
            'unknown-companies',
            missing.slice(0, 100).map((i) => ({
              in: 'body' as const,
              pointer: `#/companyIds/${i}`,
              code: 'not_found',
              detail: 'No such company in your organisation.',
            })),
          );
        }
      }
      const params = body.all ? { all: true } : { companyIds: body.companyIds ?? [] };
      return acceptedOperation(
        await startJob(services.jobs, principal, 'enrichment', params, headers['Idempotency-Key']),
      );
    },
  }),
];
