import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { ApiPaths } from './paths.js';
import { retryingFetch, type RetryOptions, retryPolicy } from './retry.js';
import { randomId } from './timing.js';

/** A bearer token, or a function giving the current one (called per request; refresh inside it). */
export type AccessToken = string | (() => string | Promise<string>);

interface CommonOptions {
  /** The API's origin (and base path, if any), e.g. `https://api.greenfin.example`. */
  baseUrl: string;
  /** The fetch to send with; `globalThis.fetch` by default (looked up per request). */
  fetch?: (request: Request) => Promise<Response>;
  /** Retries of idempotent requests on 429, 503 and network errors; a number is the limit. Default 2. */
  retries?: number | RetryOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Authenticate with an API key (`gfk_…`), an access token, or nothing (sign-up, login, health). */
export type GreenfinClientOptions = CommonOptions &
  (
    | { apiKey: string; accessToken?: never }
    | { accessToken: AccessToken; apiKey?: never }
    | { apiKey?: undefined; accessToken?: undefined }
  );

/**
 * An openapi-fetch client typed by the API's document: `GET`, `POST`, … answer
 * `{ data, error, response }` and never throw on an HTTP error (only on a network error that
 * outlived the retries, or an abort).
 */
export type GreenfinClient = Client<ApiPaths>;

/** Sends `Authorization: Bearer …` unless the request already carries an Authorization header. */
export function authMiddleware(token: AccessToken): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('Authorization')) return request;
      const value = typeof token === 'function' ? await token() : token;
      request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/**
 * Gives every request an `X-Request-Id` (a UUID) unless it has one; the API logs it and echoes it,
 * and the retries re-send the same one, so one call is one id end to end.
 */
export function requestIdMiddleware(newId: () => string = randomId): Middleware {
  return {
    onRequest({ request }) {
      if (!request.headers.has('X-Request-Id')) request.headers.set('X-Request-Id', newId());
      return request;
    },
  };
}

/**
 * Creates a Greenfin API client.
 *
 * @example
 * const greenfin = createGreenfinClient({ baseUrl: 'https://api.greenfin.example', apiKey: process.env.GREENFIN_API_KEY });
 * const { data, error } = await greenfin.GET('/v1/companies', { params: { query: { limit: 20 } } });
 */
export function createGreenfinClient(options: GreenfinClientOptions): GreenfinClient {
  const transport = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createClient<ApiPaths>({
    baseUrl: options.baseUrl,
    fetch: retryingFetch(transport, retryPolicy(options.retries)),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const token = options.apiKey ?? options.accessToken;
  if (token !== undefined) client.use(authMiddleware(token));
  client.use(requestIdMiddleware());
  return client;
}
