/**
 * The one route-definition seam. A route is a value made by `defineRoute`; `mountRoutes` registers
 * it twice from the same object — as a Koa route that validates with the route's zod schemas and
 * as an OpenAPI operation generated from those very schemas — so a route cannot exist without its
 * documentation, and the documentation cannot drift from the validation.
 */
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AnyZodObject, ZodTypeAny } from 'zod';
import type { z } from './zod.js';
import { readJsonBody, readMultipartBody } from './body.js';
import { jsonText, project } from './projection.js';
import { type AppContext, type AppState, hasRole, type Principal, type Role } from './context.js';
import { fieldErrors, type FieldError, type FieldLocation, ProblemSchema, problems } from './problem.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call a route: anyone, or a principal with at least this role. */
export type Access = 'public' | Role;

export interface RequestSpec {
  params?: AnyZodObject;
  query?: AnyZodObject;
  /** Header names as documented (`If-Match`); looked up case-insensitively. */
  headers?: AnyZodObject;
  /** JSON body schema (`application/json`). */
  body?: ZodTypeAny;
  /** A `multipart/form-data` body instead of JSON (an upload); see {@link FormSpec}. */
  form?: FormSpec;
}

/**
 * A multipart/form-data request body. `schema` describes the whole form — text fields and file
 * fields (`UploadedFileSchema`, documented as `format: binary`) — and validates it; failures are
 * 422 problems naming the field. File parts are read into memory up to the mount's
 * `uploadLimitBytes` (413 beyond it).
 */
export interface FormSpec {
  schema: AnyZodObject;
  /** Names of the file fields. */
  files: readonly string[];
}

export interface ResponseSpec {
  description: string;
  /** Body schema; absent means no body (204, 304). */
  schema?: ZodTypeAny;
  /** Defaults to `application/json`. */
  contentType?: string;
  /** Other representations of the same response by media type (`text/csv`), chosen by `Accept`. */
  alternatives?: Record<string, ZodTypeAny>;
  /** Documented response headers (`Location`, `ETag`). */
  headers?: AnyZodObject;
  /**
   * The handler may answer with a Node `Readable` instead of a value (a large CSV): it is streamed
   * as is, in `contentType`, without going through `schema` (which still documents it).
   */
  stream?: boolean;
}

/** Problem statuses a route may answer besides the ones the seam adds from its shape. */
export type ProblemStatus = 401 | 403 | 404 | 406 | 409 | 412 | 422 | 429;

type Parsed<S> = S extends ZodTypeAny ? z.output<S> : Record<string, never>;

/** What a handler receives: every part of the request, already parsed by its schema. */
export interface RouteInput<Q extends RequestSpec> {
  params: Parsed<Q['params']>;
  query: Parsed<Q['query']>;
  headers: Parsed<Q['headers']>;
  body: Q['body'] extends ZodTypeAny
    ? z.output<Q['body']>
    : Q['form'] extends FormSpec
      ? z.output<Q['form']['schema']>
      : undefined;
}

type AlternativeBody<R> = R extends { alternatives: infer A extends Record<string, ZodTypeAny> }
  ? z.input<A[keyof A]>
  : never;

/**
 * What a handler returns: one of its documented statuses with a body of that status's schema (or,
 * with `contentType`, of one of its alternatives).
 */
export type Reply<Rs extends Record<number, ResponseSpec>> = {
  [S in keyof Rs]: {
    status: S;
    headers?: Record<string, string | undefined>;
    contentType?: string;
  } & (Rs[S] extends {
    schema: infer B extends ZodTypeAny;
  }
    ? {
        body:
          | z.input<B>
          | JsonBody<B>
          | AlternativeBody<Rs[S]>
          | (Rs[S] extends { stream: true } ? Readable : never);
      }
    : { body?: undefined });
}[keyof Rs];

export interface HandlerContext<A extends Access, Services> {
  ctx: AppContext;
  em: EntityManager;
  principal: A extends Role ? Principal : Principal | undefined;
  services: Services;
  /** The media type negotiated from `Accept` among the route's `produces` (else its first). */
  mediaType: string;
}

export interface RouteSpec<
  Q extends RequestSpec,
  Rs extends Record<number, ResponseSpec>,
  A extends Access,
  Services,
> {
  operationId: string;
  method: Method;
  /** OpenAPI path template, e.g. `/v1/companies/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: A;
  request?: Q;
  responses: Rs;
  /** Problem statuses this route can answer beyond those implied by its shape. */
  problems?: ProblemStatus[];
  /** Honour `Idempotency-Key` (replay, 422 on a different body, 409 while in flight). */
  idempotent?: boolean;
  /** `bulk`: the JSON body may be up to the mount's `bulkBodyLimitBytes` (batch ingest). */
  bodyLimit?: 'default' | 'bulk';
  /**
   * Media types the route can answer with, preferred first; set → content negotiation on `Accept`
   * (406 when none is acceptable), and each must be documented on the success response.
   */
  produces?: readonly string[];
  /** What the 406 says beyond the list of types (e.g. when a format is coming). */
  notAcceptable?: string;
  handler: (
    input: NoInfer<RouteInput<Q>>,
    hc: NoInfer<HandlerContext<A, Services>>,
  ) => Promise<NoInfer<Reply<Rs>>>;
}

/** A route with its types erased, as the mounting code and the route lists see it. */
export interface AnyRoute<Services = unknown> {
  operationId: string;
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  request?: RequestSpec;
  responses: Record<number, ResponseSpec>;
  problems?: ProblemStatus[];
  idempotent?: boolean;
  bodyLimit?: 'default' | 'bulk';
  produces?: readonly string[];
  notAcceptable?: string;
  handler: (input: RouteInput<RequestSpec>, hc: HandlerContext<Access, Services>) => Promise<StoredReply>;
}

/**
 * A JSON reply body already serialised through its response schema (by `jsonText`, on a pricing
 * thread for instance): sent as it is. Its `schema` must be the one the route documents for the
 * reply's status and media type, so nothing undocumented can leave by this way either.
 */
export class JsonBody<S extends ZodTypeAny = ZodTypeAny> {
  constructor(
    readonly schema: S,
    readonly text: string,
  ) {}
}

/** A reply as it is sent and stored for idempotent replays. */
export interface StoredReply {
  status: number;
  headers?: Record<string, string | undefined>;
  contentType?: string;
  body?: unknown;
}

/**
 * Defines a route. The handler's input is typed from the request schemas and its reply must be
 * one of the documented responses.
 *
 * @example
 * defineRoute({ operationId: 'getHealth', method: 'get', path: '/healthz', summary: 'Liveness',
 *   tags: ['operations'], access: 'public',
 *   responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
 *   handler: async () => ({ status: 200, body: { status: 'ok' } }) })
 */
export function defineRoute<
  Services,
  const Q extends RequestSpec,
  const Rs extends Record<number, ResponseSpec>,
  const A extends Access,
>(spec: RouteSpec<Q, Rs, A, Services>): AnyRoute<Services> {
  return spec as unknown as AnyRoute<Services>;
}

/** Binds `defineRoute` to the app's service bag so handlers see it typed. */
export function routeFactory<Services>() {
  return <const Q extends RequestSpec, const Rs extends Record<number, ResponseSpec>, const A extends Access>(
    spec: RouteSpec<Q, Rs, A, Services>,
  ): AnyRoute<Services> => defineRoute<Services, Q, Rs, A>(spec);
}

/** Runs an idempotent creation at most once per key; see modules/idempotency. */
export interface IdempotencyStore {
  run(
    scope: { ctx: AppContext; principal: Principal | undefined; key: string; fingerprint: string },
    execute: () => Promise<StoredReply>,
  ): Promise<StoredReply>;
}

export interface MountOptions<Services> {
  services: Services;
  idempotency: IdempotencyStore;
  bodyLimitBytes: number;
  /** Largest file part of a multipart (form) body; defaults to `bodyLimitBytes`. */
  uploadLimitBytes?: number;
  /** Largest JSON body of a route with `bodyLimit: 'bulk'`; defaults to `bodyLimitBytes`. */
  bulkBodyLimitBytes?: number;
}

const IdempotencyKeyHeader = 'Idempotency-Key';

/** Registers every route on the Koa router and in the OpenAPI registry. */
export function mountRoutes<Services>(
  router: Router<AppState>,
  registry: OpenAPIRegistry,
  routes: readonly AnyRoute<Services>[],
  options: MountOptions<Services>,
): void {
  for (const route of routes) {
    assertProducesDocumented(route);
    registry.registerPath(openApiOperation(route));
    // Every literal colon (AIP-136 custom methods, `{id}:cancel`, `/v1/alerts:evaluate`) is
    // escaped so the router does not read it as the start of a parameter; then `{id}` → `:id`.
    const koaPath = route.path.replace(/:/g, '\\:').replace(/\{(\w+)\}/g, ':$1');
    router.register(
      koaPath,
      [route.method.toUpperCase()],
      (ctx) => handle(ctx as AppContext, route, options),
      {
        name: route.operationId,
      },
    );
  }
}

async function handle<Services>(ctx: AppContext, route: AnyRoute<Services>, options: MountOptions<Services>) {
  ctx.state.routeTemplate = route.path;
  const principal = authorize(ctx.state.principal, route.access);
  const mediaType = negotiate(ctx, route);
  const input = await parseRequest(
    ctx,
    route.request,
    route.bodyLimit === 'bulk'
      ? (options.bulkBodyLimitBytes ?? options.bodyLimitBytes)
      : options.bodyLimitBytes,
    options.uploadLimitBytes ?? options.bodyLimitBytes,
  );
  const hc: HandlerContext<Access, Services> = {
    ctx,
    // Forked on first use: a cached answer never needs one.
    get em() {
      return ctx.state.em;
    },
    principal,
    services: options.services,
    mediaType,
  };
  const run = () => route.handler(input, hc);
  const key = route.idempotent ? idempotencyKey(ctx) : '';
  const reply = key
    ? await options.idempotency.run({ ctx, principal, key, fingerprint: fingerprint(route, input) }, run)
    : await run();
  send(ctx, route, reply);
}

function idempotencyKey(ctx: AppContext): string {
  const key = ctx.get(IdempotencyKeyHeader);
  if (key.length > 255) {
    throw problems.validation([
      {
        in: 'header',
        pointer: `#/${IdempotencyKeyHeader}`,
        code: 'too_big',
        detail: 'At most 255 characters.',
      },
    ]);
  }
  return key;
}

const JSON_MEDIA_TYPE = 'application/json';

function negotiate<Services>(ctx: AppContext, route: AnyRoute<Services>): string {
  if (!route.produces) return JSON_MEDIA_TYPE;
  ctx.vary('Accept');
  const chosen = ctx.accepts(...route.produces);
  if (typeof chosen !== 'string') throw problems.notAcceptable(route.produces, route.notAcceptable);
  return chosen;
}

/** Every media type a route says it produces must be in its success response's documentation. */
function assertProducesDocumented<Services>(route: AnyRoute<Services>) {
  const documented = new Set(
    Object.entries(route.responses)
      .filter(([status]) => Number(status) < 300)
      .flatMap(([, spec]) => [spec.contentType ?? JSON_MEDIA_TYPE, ...Object.keys(spec.alternatives ?? {})]),
  );
  for (const type of route.produces ?? []) {
    if (!documented.has(type))
      throw new Error(`${route.operationId} produces ${type} but does not document it`);
  }
}

function authorize(principal: Principal | undefined, access: Access): Principal | undefined {
  if (access === 'public') return principal;
  if (!principal) throw problems.unauthorized();
  if (!hasRole(principal.role, access)) throw problems.forbidden(access);
  return principal;
}

async function parseRequest(
  ctx: AppContext,
  spec: RequestSpec | undefined,
  limit: number,
  uploadLimit: number,
) {
  const errors: FieldError[] = [];
  const parse = (schema: ZodTypeAny | undefined, value: unknown, where: FieldLocation): unknown => {
    if (!schema) return where === 'body' ? undefined : {};
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrors(where, result.error.issues));
    return undefined;
  };
  const rawBody = spec?.body ? await readJsonBody(ctx, limit) : undefined;
  const input = {
    params: parse(spec?.params, ctx.params, 'path'),
    query: parse(spec?.query, ctx.query, 'query'),
    headers: parse(spec?.headers, spec?.headers ? headerValues(ctx, spec.headers) : {}, 'header'),
    body: parse(spec?.body, rawBody, 'body'),
  };
  if (errors.length > 0) {
    if (spec?.form) ctx.req.resume();
    throw problems.validation(errors);
  }
  if (spec?.form) input.body = await parseForm(ctx, spec.form, uploadLimit);
  return input as RouteInput<RequestSpec>;
}

/** Reads and validates a form body: a 422 naming each invalid or missing field. */
async function parseForm(ctx: AppContext, form: FormSpec, uploadLimit: number): Promise<unknown> {
  const multipart = await readMultipartBody(ctx, uploadLimit, form.files);
  const value = { ...(multipart?.fields ?? {}), ...(multipart?.files ?? {}) };
  const result = form.schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors('body', result.error.issues);
  throw problems.unprocessable(
    `${errors.length} invalid form field(s): ${errors.map((e) => `${e.pointer.slice(2)} (${e.detail})`).join('; ')}.`,
    'validation-error',
    errors,
  );
}

function headerValues(ctx: AppContext, schema: AnyZodObject): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(schema.shape).map((name) => [name, ctx.get(name) || undefined]));
}

function fingerprint(route: AnyRoute<never> | AnyRoute<unknown>, input: RouteInput<RequestSpec>): string {
  // Same key + same route + same parsed body is "the same request"; key order does not matter.
  return `${route.operationId} ${stableJson(input.params)} ${stableJson(input.body)}`;
}

function stableJson(value: unknown): string {
  // An uploaded file counts by its bytes' digest.
  if (Buffer.isBuffer(value))
    return JSON.stringify(`sha256:${createHash('sha256').update(value).digest('hex')}`);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function send<Services>(ctx: AppContext, route: AnyRoute<Services>, reply: StoredReply) {
  const spec = route.responses[reply.status];
  // A reply outside the documented responses is a programming error, answered as a 500.
  if (!spec) throw new Error(`${route.operationId} replied ${reply.status}, which it does not document`);
  ctx.status = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {}))
    if (value !== undefined) ctx.set(name, value);
  if (!spec.schema) {
    ctx.body = null;
    return;
  }
  const contentType = reply.contentType ?? spec.contentType ?? JSON_MEDIA_TYPE;
  const schema =
    contentType === (spec.contentType ?? JSON_MEDIA_TYPE) ? spec.schema : spec.alternatives?.[contentType];
  if (!schema) throw new Error(`${route.operationId} replied ${contentType}, which it does not document`);
  if (spec.stream && reply.body instanceof Readable) {
    ctx.type = contentType;
    ctx.body = reply.body;
    return;
  }
  // Serialising through the schema strips anything undocumented (a hash can never leak).
  const body = serialise(schema, reply.body, contentType, route.operationId);
  if (reply.status === 200 && ctx.method === 'GET' && ctx.response.get('ETag') && ctx.fresh) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.type = contentType;
  ctx.body = body;
}

/** Frozen JSON bodies already serialised, per schema: the JSON text of their parsed form. */
const serialised = new WeakMap<ZodTypeAny, WeakMap<object, string>>();

/**
 * The body cut down to its schema: JSON bodies by the schema's projection ({@link project}) (same output as
 * `schema.parse`, without re-validating every value) and returned as their JSON text, others by
 * `schema.parse`. A deeply frozen JSON body (a cached green score, shared by every request that
 * hits the cache) cannot change, so it is projected and stringified once per schema and its JSON
 * text reused.
 *
 * A {@link JsonBody} is that text already, made from the same schema.
 *
 * The text, not the projected object, becomes `ctx.body`: Koa keeps `ctx` until the response has
 * been written, and an object tree held that long outlives a young garbage collection and is
 * copied by it (under load, every in-flight reply's tree was); one string is cheap to keep.
 */
function serialise(schema: ZodTypeAny, body: unknown, contentType: string, operationId: string): unknown {
  if (body instanceof JsonBody) {
    if (body.schema !== schema || !JSON_TYPE.test(contentType)) {
      throw new Error(`${operationId} replied a body serialised for another schema or media type`);
    }
    return body.text;
  }
  if (!JSON_TYPE.test(contentType)) return schema.parse(body);
  if (!body || typeof body !== 'object') return project(schema, body);
  if (!Object.isFrozen(body)) return jsonText(schema, body);
  let bySchema = serialised.get(schema);
  if (!bySchema) serialised.set(schema, (bySchema = new WeakMap()));
  let json = bySchema.get(body);
  if (json === undefined) bySchema.set(body, (json = jsonText(schema, body)));
  return json;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

function problemResponse(description: string): ResponseConfig {
  return { description, content: problemContent };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON or fields failing validation (each listed with a JSON pointer).',
  401: 'Missing, invalid or expired credentials.',
  403: 'The caller’s role is too weak for this operation.',
  404: 'No such resource in the caller’s organisation.',
  406: 'None of the media types in Accept is available for this resource (the problem lists those that are).',
  409: 'Conflict with the current state (duplicate, or an idempotent request still in flight).',
  412: 'If-Match did not match the current ETag.',
  413: 'Body too large.',
  415: 'Body is not of the media type the operation takes (application/json, or multipart/form-data for uploads).',
  422: 'Semantically invalid input (a domain rule failed, or an Idempotency-Key reused with another body).',
  429: 'Rate limit exceeded; see Retry-After.',
  500: 'Unexpected error; no internals are exposed.',
};

/** The problem statuses a route can answer, derived from its shape plus its declared extras. */
export function problemStatuses(route: AnyRoute<unknown> | AnyRoute<never>): number[] {
  // Every route is rate limited (429) and can fail unexpectedly (500).
  const statuses = new Set<number>([429, 500]);
  const req = route.request;
  if (req?.params || req?.query || req?.headers || req?.body || req?.form) statuses.add(400);
  if (req?.params) statuses.add(404);
  if (req?.body) [413, 415].forEach((s) => statuses.add(s));
  if (req?.form) [413, 415, 422].forEach((s) => statuses.add(s));
  if (route.access !== 'public') statuses.add(401);
  if (route.access !== 'public' && route.access !== 'viewer') statuses.add(403);
  if (route.idempotent) [409, 422].forEach((s) => statuses.add(s));
  if (route.produces) statuses.add(406);
  for (const s of route.problems ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

function openApiOperation<Services>(route: AnyRoute<Services>): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.schema
        ? {
            content: {
              [spec.contentType ?? JSON_MEDIA_TYPE]: { schema: spec.schema },
              ...Object.fromEntries(
                Object.entries(spec.alternatives ?? {}).map(([type, schema]) => [type, { schema }]),
              ),
            },
          }
        : {}),
    };
    if (status === '200' && route.method === 'get' && spec.headers?.shape.ETag) {
      responses['304'] = { description: 'Not modified (If-None-Match matched the ETag).' };
    }
  }
  for (const status of problemStatuses(route)) {
    responses[String(status)] = problemResponse(PROBLEM_DESCRIPTIONS[status] ?? 'Problem');
  }
  const req = route.request;
  const idempotencyHeader = route.idempotent
    ? [
        {
          name: IdempotencyKeyHeader,
          in: 'header' as const,
          required: false,
          description:
            'Makes the creation safe to retry: the same key with the same body replays the stored response for 24 h; with another body → 422; while the first is in flight → 409.',
          schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
        },
      ]
    : [];
  return {
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(route.access !== 'public' ? { 'x-required-role': route.access } : {}),
    ...(idempotencyHeader.length ? { parameters: idempotencyHeader } : {}),
    request: {
      ...(req?.params ? { params: req.params } : {}),
      ...(req?.query ? { query: req.query } : {}),
      ...(req?.headers ? { headers: req.headers } : {}),
      ...(req?.body
        ? {
            body: {
              // A body schema that accepts "no body" (a default, or optional) documents that.
              required: !req.body.safeParse(undefined).success,
              content: { 'application/json': { schema: req.body } },
            },
          }
        : {}),
      ...(req?.form
        ? { body: { required: true, content: { 'multipart/form-data': { schema: req.form.schema } } } }
        : {}),
    },
    responses,
  };
}
