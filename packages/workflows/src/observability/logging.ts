/**
 * What never reaches a log line, shared by the API and the Temporal worker: pino `redact` paths
 * for fields that hold credentials, and a scrubber for credentials inside strings (an error
 * message quoting a URL with a key in it, a webhook secret, a bearer token).
 */

/** pino `redact` paths of fields whose values are credentials (top level and one level down). */
export const SECRET_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'headers.authorization',
  'headers.cookie',
  ...[
    'authorization',
    'password',
    'newPassword',
    'currentPassword',
    'secret',
    'apiKey',
    'token',
    'accessToken',
    'refreshToken',
    'clientSecret',
    'COMPANIES_HOUSE_API_KEY',
    'OPENCORPORATES_API_TOKEN',
    'JWT_SECRET',
    'DATABASE_URL',
  ].flatMap((field) => [field, `*.${field}`]),
];

const STRING_SECRETS: [RegExp, string][] = [
  // Webhook signing secrets (`whsec_…`) and API keys (`gfk_…`).
  [/\b(whsec_|gfk_)[A-Za-z0-9_\-+/=]{6,}/g, '$1[redacted]'],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'],
  // JWTs anywhere.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
  // Credentials in URLs: userinfo (a registry key as the Basic user, a database password)…
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@'],
  // …and query parameters.
  [/([?&](?:api[_-]?key|key|token|access_token|password|secret|signature)=)[^&\s#"]*/gi, '$1[redacted]'],
];
const MAYBE_SECRET = /whsec_|gfk_|bearer|basic|eyJ|@|[?&][a-z_-]*(?:key|token|password|secret|signature)=/i;

/** `text` with every credential pattern replaced. */
export function scrubSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of STRING_SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of a log object with credentials scrubbed from its strings (and from errors' messages
 * and stacks); the object itself when nothing needed scrubbing. Walks at most `depth` levels.
 */
export function scrubLogObject<T>(value: T, depth = 6): T {
  return scrub(value, depth) as T;
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const message = scrubSecrets(value.message);
    const stack = value.stack === undefined ? undefined : scrubSecrets(value.stack);
    if (message === value.message && stack === value.stack) return value;
    const copy = new Error(message, { cause: value.cause });
    copy.name = value.name;
    if (stack !== undefined) copy.stack = stack;
    for (const [k, v] of Object.entries(value))
      (copy as unknown as Record<string, unknown>)[k] = scrub(v, depth - 1);
    return copy;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = scrub(item, depth - 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const next = scrub(v, depth - 1);
    if (next !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = next;
  }
  return copy ?? value;
}

/**
 * pino options that keep credentials out: `redact` paths plus a `logMethod` hook scrubbing the
 * message and the object of every call. Spread them into `pino({ level, ...secretSafeLogOptions() })`.
 */
export function secretSafeLogOptions(extraPaths: readonly string[] = []): {
  redact: { paths: string[]; censor: string };
  hooks: { logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void };
} {
  return {
    redact: { paths: [...new Set([...SECRET_LOG_PATHS, ...extraPaths])], censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => scrubLogObject(arg)),
        );
      },
    },
  };
}
