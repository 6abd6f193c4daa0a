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
