import type { ZodIssue } from 'zod';
import { z } from './zod.js';

/** Where in the request a field error was found. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

/** One invalid field, RFC 9457 §3 style: a JSON pointer (RFC 6901, as a URI fragment) into `in`. */
export interface FieldError {
  in: FieldLocation;
  pointer: string;
  code: string;
  detail: string;
}

/**
 * An error that is already an HTTP answer. Services and the route seam throw these; the one error
 * middleware renders them as `application/problem+json`.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    /** Stable slug; the problem `type` is `/problems/<slug>`. Clients switch on it. */
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
  }
}

/** RFC 6901 pointer, written as a URI fragment (`#/sicCodes/0`), for a zod or core path. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return `#${path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
}

/** Converts core's dotted/indexed paths (`payments[3].date`) to path segments. */
export function splitDottedPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** Field errors for a failed zod parse of one part of the request. */
export function fieldErrors(where: FieldLocation, issues: readonly ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    in: where,
    pointer: jsonPointer(issue.path),
    code: issue.code,
    detail: issue.message,
  }));
}

/** The problem answers the API gives; one factory per kind so titles and slugs stay consistent. */
export const problems = {
  validation: (errors: FieldError[]) =>
    new HttpProblem(
      400,
      'validation-error',
      'Request validation failed',
      `${errors.length} invalid field(s).`,
      {
        errors,
      },
    ),
  malformedJson: (detail: string) =>
    new HttpProblem(
      400,
      'malformed-json',
      'Malformed JSON body',
      `The request body is not valid JSON: ${detail}`,
    ),
  malformedMultipart: (detail: string) =>
    new HttpProblem(
      400,
      'malformed-multipart',
      'Malformed multipart body',
      `The multipart/form-data body is unreadable: ${detail}`,
    ),
  unsupportedMediaType: (got: string) =>
    new HttpProblem(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Send the body as application/json (got ${got || 'no content type'}).`,
      { headers: { 'Accept-Post': 'application/json' } },
    ),
  payloadTooLarge: (limitBytes: number) =>
    new HttpProblem(
      413,
      'payload-too-large',
      'Payload too large',
      `The body must be at most ${limitBytes} bytes.`,
    ),
  unauthorized: (detail = 'Send a valid access token or API key as `Authorization: Bearer <token>`.') =>
    new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, {
      headers: { 'WWW-Authenticate': 'Bearer' },
    }),
  forbidden: (needed: string) =>
    new HttpProblem(403, 'forbidden', 'Forbidden', `This operation needs the ${needed} role or higher.`),
  notFound: (what: string) => new HttpProblem(404, 'not-found', 'Not found', `${what} was not found.`),
  routeNotFound: (method: string, path: string) =>
    new HttpProblem(404, 'not-found', 'Not found', `No route ${method} ${path}.`),
  methodNotAllowed: (allowed: string) =>
    new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `Allowed: ${allowed}.`, {
      headers: { Allow: allowed },
    }),
  notImplemented: (method: string) =>
    new HttpProblem(
      501,
      'not-implemented',
      'Not implemented',
      `This server does not support the ${method} method.`,
    ),
  notAcceptable: (available: readonly string[], more?: string) =>
    new HttpProblem(
      406,
      'not-acceptable',
      'Not acceptable',
      `This resource is available as ${available.join(', ')}.${more ? ` ${more}` : ''}`,
    ),
  conflict: (detail: string, slug = 'conflict') => new HttpProblem(409, slug, 'Conflict', detail),
  preconditionFailed: (detail: string) =>
    new HttpProblem(412, 'precondition-failed', 'Precondition failed', detail),
  unprocessable: (detail: string, slug = 'unprocessable-content', errors?: FieldError[]) =>
    new HttpProblem(422, slug, 'Unprocessable content', detail, errors ? { errors } : {}),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpProblem(429, 'too-many-requests', 'Too many requests', `Retry after ${retryAfterSeconds} s.`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
  internal: () =>
    new HttpProblem(
      500,
      'internal-error',
      'Internal server error',
      'Something went wrong on our side; quote the request id.',
    ),
} as const;

export const FieldErrorSchema = z
  .object({
    in: z.enum(['body', 'query', 'path', 'header']),
    pointer: z
      .string()
      .openapi({ description: 'RFC 6901 JSON pointer into `in`, as a URI fragment.', example: '#/name' }),
    code: z.string().openapi({ example: 'too_small' }),
    detail: z.string(),
  })
  .openapi('FieldError');

/** RFC 9457 problem details, as every error of this API is rendered. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-error' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().openapi({ description: 'The request path.' }),
    requestId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (`application/problem+json`).' });

export type Problem = z.infer<typeof ProblemSchema>;
