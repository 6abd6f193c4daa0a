/**
 * Validation of the options every registry client shares, so a bad setting fails when the client
 * is created (naming the option) rather than on the first company of a job.
 */
import { RegistryConfigError } from './errors.js';
import { DEFAULT_REGISTRY_TIMEOUT_MS } from './http-request.js';

/** Validates an http(s) base URL without credentials or query, and drops its trailing slashes. */
export function checkedBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a mistyped setting may hold a pasted credential.
    throw new RegistryConfigError(field, 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RegistryConfigError(field, `must be an http(s) URL, got "${url.protocol}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new RegistryConfigError(
      field,
      'must not carry credentials, a query or a fragment; set the API key/token separately',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** Validates a request timeout in milliseconds (default {@link DEFAULT_REGISTRY_TIMEOUT_MS}). */
export function checkedTimeout(value: number | undefined, field = 'timeoutMs'): number {
  if (value === undefined) return DEFAULT_REGISTRY_TIMEOUT_MS;
  if (!Number.isInteger(value) || value <= 0) {
    throw new RegistryConfigError(field, `must be a positive integer of milliseconds, got ${value}`);
  }
  return value;
}
