/**
 * Bulk imports: `POST /v1/imports` stores the uploaded CSV and starts an `import` job (202 with
 * the operation); `GET /v1/operations/{id}/rejects` downloads the lines it rejected, as CSV.
 * The job itself (parse, validate, stage, apply) is @greenfin/workflows' import flow.
 */
import { createHash } from 'node:crypto';
import {
  IMPORT_DATASETS,
  TRANSACTION_MAPPING_PRESETS,
  TransactionMappingError,
  resolveTransactionMapping,
  streamRejectsCsv,
} from '@greenfin/workflows';
import type { Pool } from 'pg';
import { problems, type FieldError } from '../../http/problem.js';
import { IdParams, UploadedFileSchema } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { route } from '../../services.js';
import { startJob } from '../operations/jobs.js';
import { AcceptedHeaders, OperationSchema } from '../operations/operations.schemas.js';
import { acceptedOperation } from '../operations/operations.views.js';

const tags = ['imports'];

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** JSON with object keys sorted (the stored input is jsonb, which reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The import an `Idempotency-Key` started for the organization, with its file's digest. */
async function findImportByKey(
  pool: Pool,
  organizationId: string,
  key: string,
): Promise<{ operationId: string; dataset: string; sha256: string; options: unknown } | null> {
  const { rows } = await pool.query<{ id: string; dataset: string; sha256: string; options: unknown }>(
    `select o."id", f."dataset", f."sha256", o."input"->'options' as "options" from "operations" o
       join "import_files" f on f."organization_id" = o."organization_id" and f."id"::text = o."input"->>'fileId'
     where o."organization_id" = $1 and o."kind" = 'import' and o."idempotency_key" = $2`,
    [organizationId, key],
  );
  const row = rows[0];
  return row
    ? { operationId: row.id, dataset: row.dataset, sha256: row.sha256.trim(), options: row.options }
    : null;
}

/** The upload form of `POST /v1/imports`. */
export const ImportUploadForm = z
  .object({
    dataset: z
      .enum(IMPORT_DATASETS)
      .openapi({ description: 'Which dataset the file holds (docs/imports.md).' }),
    file: UploadedFileSchema.openapi({ description: 'The CSV file, UTF-8 (with or without BOM).' }),
    variant: z
      .enum(['eu-ets-compliance', 'eu-ets-installations'])
      .optional()
      .openapi({ description: 'eu-ets only: force a file shape instead of detecting it from the header.' }),
    year: z.coerce.number().int().min(2000).max(2100).optional().openapi({
      type: 'integer',
      description: 'emission-factors only: the factor set’s year, when the header does not name it.',
    }),
    companyId: z.string().optional().openapi({
      format: 'uuid',
      description:
        'transactions only (required there): the company, one of your organisation’s, the file’s transactions belong to.',
    }),
    mapping: z
      .string()
      .max(20_000)
      .optional()
      .openapi({
        description: `transactions only: the column mapping — a preset (${TRANSACTION_MAPPING_PRESETS.map((p) => `\`${p}\``).join(', ')}; default \`greenfin\`) or a JSON mapping object (docs/imports.md#transactions).`,
        example: 'berka',
      }),
  })
  .openapi('ImportUpload');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fieldProblem = (field: string, code: string, detail: string, slug = 'invalid-import-options') =>
  problems.unprocessable(`${field}: ${detail}`, slug, [
    { in: 'body', pointer: `#/${field}`, code, detail } satisfies FieldError,
  ]);

/**
 * The transactions options of an upload: the company (the caller's) and the mapping (a preset or
 * a valid mapping object). Other datasets take neither. Answers 422 naming the field.
 */
async function transactionOptions(
  pool: Pool,
  organizationId: string,
  body: { dataset: string; companyId?: string | undefined; mapping?: string | undefined },
): Promise<{ companyId?: string; mapping?: string | Record<string, unknown> }> {
  if (body.dataset !== 'transactions') {
    for (const field of ['companyId', 'mapping'] as const) {
      if (body[field] !== undefined) {
        throw fieldProblem(field, 'not_allowed', 'applies to the transactions dataset only.');
      }
    }
    return {};
  }
  const companyId = body.companyId?.trim();
  if (!companyId) {
    throw fieldProblem('companyId', 'required', 'is required for transactions: the company they belong to.');
  }
  const { rows } = UUID.test(companyId)
    ? await pool.query(`select 1 from "companies" where "organization_id" = $1 and "id" = $2`, [
        organizationId,
        companyId,
      ])
    : { rows: [] };
  if (rows.length === 0) {
    throw fieldProblem(
      'companyId',
      'not_found',
      `no company ${companyId} in your organisation.`,
      'unknown-company',
    );
  }
  const text = body.mapping?.trim();
  if (!text) return { companyId };
  let mapping: string | Record<string, unknown>;
  try {
    resolveTransactionMapping(text);
    mapping = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text;
  } catch (error) {
    if (!(error instanceof TransactionMappingError)) throw error;
    throw problems.unprocessable(error.message, 'invalid-import-options', [
      { in: 'body', pointer: '#/mapping', code: 'invalid_mapping', detail: error.message },
    ]);
  }
  return { companyId, mapping };
}

const RejectsCsv = z
  .string()
  .openapi({ description: 'CSV: `line,field,reason,raw`, one line per rejected record, ordered by line.' });

export const importsRoutes = [
  route({
    operationId: 'createImport',
    method: 'post',
    path: '/v1/imports',
    summary: 'Upload a CSV file and import it into a dataset (asynchronous)',
    description:
      'Stores the file, then starts an `import` operation: poll `Location` until it succeeds; `result.rows` counts the accepted and rejected lines, and the rejects are downloadable from `GET /v1/operations/{id}/rejects`. The file may be at most `IMPORT_MAX_BYTES` (default 50 MiB). Re-importing a file changes nothing; see docs/imports.md for each dataset’s columns and re-import semantics.',
    tags,
    access: 'analyst',
    idempotent: true,
    request: { form: { schema: ImportUploadForm, files: ['file'] } },
    responses: {
      202: {
        description: 'Stored and started (or, for a repeated Idempotency-Key, the operation it started).',
        schema: OperationSchema,
        headers: AcceptedHeaders,
      },
    },
    handler: async ({ body }, { ctx, principal, services }) => {
      const organizationId = principal.organizationId;
      const idempotencyKey = ctx.get('Idempotency-Key') || undefined;
      const transactions = await transactionOptions(services.pool, organizationId, body);
      if (idempotencyKey) {
        // The key already started an import: answer it without storing the file again (the
        // seam's replay covers 24 h; this covers the operation's whole life).
        const previous = await findImportByKey(services.pool, organizationId, idempotencyKey);
        if (previous) {
          const before = (previous.options ?? {}) as { companyId?: unknown; mapping?: unknown };
          const same =
            previous.dataset === body.dataset &&
            previous.sha256 === sha256(body.file.content) &&
            before.companyId === transactions.companyId &&
            canonical(before.mapping) === canonical(transactions.mapping);
          if (!same) {
            throw problems.unprocessable(
              'This Idempotency-Key already started an import of another file, dataset, company or mapping; use a new key for a new import.',
              'idempotency-key-reused',
            );
          }
          const operation = await services.operations.get(organizationId, previous.operationId);
          if (operation) return acceptedOperation({ operation });
        }
      }
      const stored = await services.importFiles.save(organizationId, {
        dataset: body.dataset,
        fileName: body.file.fileName,
        content: body.file.content,
      });
      const options = {
        ...(body.variant !== undefined && { variant: body.variant }),
        ...(body.year !== undefined && { year: body.year }),
        ...transactions,
      };
      const started = await startJob(
        services.jobs,
        principal,
        'import',
        {
          dataset: body.dataset,
          fileId: stored.fileId,
          fileName: body.file.fileName,
          ...(Object.keys(options).length > 0 && { options }),
        },
        idempotencyKey,
      );
      return acceptedOperation(started);
    },
  }),
  route({
    operationId: 'getImportRejects',
    method: 'get',
    path: '/v1/operations/{id}/rejects',
    summary: 'Download the lines an import rejected, as CSV',
    description:
      'Header `line,field,reason,raw`: the physical line (the header is line 1), the column(s) at fault (`;`-separated, empty when the line’s shape is wrong), why, and the line as read. An import without rejects gives the header alone.',
    tags,
    access: 'viewer',
    request: { params: IdParams },
    responses: {
      200: { description: 'The rejected lines.', schema: RejectsCsv, contentType: 'text/csv', stream: true },
    },
    handler: async ({ params }, { principal, services }) => {
      const csv = await streamRejectsCsv(services.pool, principal.organizationId, params.id);
      if (!csv) throw problems.notFound('Import operation');
      return {
        status: 200,
        body: csv,
        headers: { 'Content-Disposition': `attachment; filename="rejects-${params.id}.csv"` },
      };
    },
  }),
];
