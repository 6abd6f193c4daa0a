import { expect } from 'vitest';
import type { TestApi } from './harness.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is with the given content type (for malformed-body tests). */
  raw?: { contentType: string; data: string | Buffer };
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience over JSON
  text: string;
}

/**
 * Calls the API and checks the answer against /openapi.json (status, content type, body schema),
 * so every response of every test is validated against the document.
 */
export async function call(
  api: TestApi,
  method: Method,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  let request = api.http[method](path);
  if (options.token) request = request.set('Authorization', `Bearer ${options.token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) request = request.set(name, value);
  if (options.raw) request = request.set('Content-Type', options.raw.contentType).send(options.raw.data);
  else if (options.body !== undefined && typeof options.body === 'object' && options.body !== null) {
    request = request.send(options.body);
  } else if (options.body !== undefined) {
    // superagent only serialises objects; send JSON scalars (and null) ourselves.
    request = request.set('Content-Type', 'application/json').send(JSON.stringify(options.body));
  }
  const response = await request;
  const checked = {
    status: response.status,
    headers: response.headers as Record<string, string>,
    body: parseBody(response),
    text: response.text ?? '',
  };
  expect(
    api.validator.check(method, path, checked),
    `${method.toUpperCase()} ${path} → ${response.status}`,
  ).toEqual([]);
  return checked;
}

function parseBody(response: { body: unknown; text?: string; headers: Record<string, string> }): unknown {
  const type = response.headers['content-type'] ?? '';
  if (
    /json/.test(type) &&
    response.text &&
    (response.body == null || Object.keys(response.body as object).length === 0)
  ) {
    return JSON.parse(response.text) as unknown;
  }
  return response.body;
}

export interface ImportUpload {
  token: string;
  dataset?: string;
  file?: { content: Buffer; name: string };
  fields?: Record<string, string>;
  idempotencyKey?: string;
}

/** POSTs a multipart `/v1/imports` upload and checks the answer against the OpenAPI document. */
export async function postImport(api: TestApi, options: ImportUpload): Promise<ApiResponse> {
  let request = api.http.post('/v1/imports').set('Authorization', `Bearer ${options.token}`);
  if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
  if (options.dataset !== undefined) request = request.field('dataset', options.dataset);
  for (const [name, value] of Object.entries(options.fields ?? {})) request = request.field(name, value);
  if (options.file) request = request.attach('file', options.file.content, options.file.name);
  const response = await request;
  const checked = {
    status: response.status,
    headers: response.headers as Record<string, string>,
    body: response.body as unknown,
    text: response.text ?? '',
  };
  expect(
    api.validator.check('post', '/v1/imports', checked),
    `POST /v1/imports → ${response.status}`,
  ).toEqual([]);
  return checked as ApiResponse;
}

/** Polls an operation (its `Location`) until it is final, or 60 s have passed; returns the last answer. */
export async function settleOperation(api: TestApi, token: string, location: string): Promise<ApiResponse> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await call(api, 'get', location, { token });
    expect(res.status).toBe(200);
    if (['succeeded', 'failed', 'canceled'].includes(res.body.status) || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GETs a PDF with `Accept: application/pdf`, the body as a Buffer. */
export function getPdf(api: TestApi, path: string, token: string) {
  return api.http
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Accept', 'application/pdf')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}
