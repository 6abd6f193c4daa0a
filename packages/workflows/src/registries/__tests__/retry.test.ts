import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  NON_RETRYABLE_REGISTRY_ERROR_TYPES,
  RegistryAuthError,
  RegistryConfigError,
  RegistryRateLimitedError,
  RegistryRequestError,
  RegistryUnavailableError,
  isRetryableRegistryError,
} from '../errors.js';
import { parseRateLimitReset, parseRetryAfter } from '../retry-after.js';
import { DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_RETRY_MAX_DELAY_MS, retryDelayFor } from '../retry-delay.js';

const unavailable = new RegistryUnavailableError('companies-house', 'http', 503, 'down');
const rateLimited = (retryAfterMs: number | null) =>
  new RegistryRateLimitedError('opencorporates', retryAfterMs, 'slow down');

const randomValue = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const attempt = fc.integer({ min: 1, max: 60 });
const retryable = fc.oneof(
  fc.constant<RegistryUnavailableError | RegistryRateLimitedError>(unavailable),
  fc.constant(rateLimited(null)),
);

describe('retryDelayFor', () => {
  test.prop([retryable, attempt, randomValue])(
    'is bounded: between half the first delay and the maximum',
    (error, n, r) => {
      const delay = retryDelayFor(error, n, { random: () => r });
      expect(delay).not.toBeNull();
      expect(delay!).toBeGreaterThanOrEqual(500);
      expect(delay!).toBeLessThanOrEqual(DEFAULT_RETRY_MAX_DELAY_MS);
    },
  );

  test.prop([
    attempt,
    randomValue,
    fc.integer({ min: 0, max: 1_000 }),
    fc.integer({ min: 1_000, max: 600_000 }),
  ])('respects custom base and maximum delays', (n, r, base, extra) => {
    const max = base + extra;
    const delay = retryDelayFor(unavailable, n, { baseDelayMs: base, maxDelayMs: max, random: () => r })!;
    expect(delay).toBeGreaterThanOrEqual(Math.floor(Math.min(max, base * 2 ** (n - 1)) / 2));
    expect(delay).toBeLessThanOrEqual(max);
  });

  test.prop([attempt, randomValue])(
    'never shrinks from one attempt to the next for the same jitter',
    (n, r) => {
      const random = () => r;
      expect(retryDelayFor(unavailable, n + 1, { random })!).toBeGreaterThanOrEqual(
        retryDelayFor(unavailable, n, { random })!,
      );
    },
  );

  it('has a mean that grows with the attempt until it reaches the cap', () => {
    // The mean over a uniform grid of jitter values stands in for the expectation.
    const grid = Array.from({ length: 101 }, (_, i) => (i + 0.5) / 101);
    const mean = (n: number) =>
      grid.reduce((sum, r) => sum + retryDelayFor(unavailable, n, { random: () => r })!, 0) / grid.length;
    const uncapped = (n: number) => DEFAULT_RETRY_BASE_DELAY_MS * 2 ** (n - 1) < DEFAULT_RETRY_MAX_DELAY_MS;
    for (let n = 2; n <= 10; n++) {
      if (uncapped(n)) expect(mean(n)).toBeGreaterThan(mean(n - 1) * 1.9);
      else expect(mean(n)).toBeGreaterThanOrEqual(mean(n - 1));
    }
    expect(mean(1)).toBeCloseTo(750, -1);
    expect(mean(10)).toBeCloseTo(DEFAULT_RETRY_MAX_DELAY_MS * 0.75, -2);
  });

  test.prop([attempt, randomValue, fc.integer({ min: 0, max: 24 * 3_600_000 })])(
    'honours Retry-After: never earlier than the registry asked',
    (n, r, retryAfterMs) => {
      const delay = retryDelayFor(rateLimited(retryAfterMs), n, { random: () => r })!;
      expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
      expect(delay).toBeLessThanOrEqual(Math.max(retryAfterMs, DEFAULT_RETRY_MAX_DELAY_MS));
    },
  );

  it('returns null for errors that must not be retried', () => {
    const notRetryable = [
      new RegistryAuthError('companies-house', 401, 'bad key'),
      new RegistryRequestError('opencorporates', 'jurisdiction', null, 'bad'),
      new RegistryConfigError('apiKey', 'missing'),
      new Error('a bug'),
      'not even an error',
    ];
    for (const error of notRetryable) expect(retryDelayFor(error, 1)).toBeNull();
  });

  it('refuses attempts that are not integers ≥ 1, naming the argument', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => retryDelayFor(unavailable, bad)).toThrow(/^attempt: /);
    }
    expect(() => retryDelayFor(unavailable, 1, { baseDelayMs: 10, maxDelayMs: 5 })).toThrow(/^maxDelayMs: /);
  });
});

describe('error classification', () => {
  it('names each class as Temporal will see it and lists the non-retryable ones', () => {
    const all = [
      new RegistryAuthError('companies-house', 403, 'x'),
      rateLimited(1),
      unavailable,
      new RegistryRequestError('companies-house', null, 400, 'x'),
      new RegistryConfigError('REGISTRY_PROVIDER', 'x'),
    ];
    expect(all.map((error) => error.name)).toEqual([
      'RegistryAuthError',
      'RegistryRateLimitedError',
      'RegistryUnavailableError',
      'RegistryRequestError',
      'RegistryConfigError',
    ]);
    expect(all.filter((error) => !error.retryable).map((error) => error.name)).toEqual([
      ...NON_RETRYABLE_REGISTRY_ERROR_TYPES,
    ]);
    expect(all.map(isRetryableRegistryError)).toEqual([false, true, true, false, false]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-21T07:27:00Z');

  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['1.5', 1_500],
    ['Wed, 21 Oct 2026 07:28:00 GMT', 60_000],
    ['Wed, 21 Oct 2026 07:26:00 GMT', 0],
    ['Wednesday, 21-Oct-26 07:28:00 GMT', 60_000],
    ['Wed Oct 21 07:28:00 2026', 60_000],
  ])('reads %j as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([undefined, null, '', 'soon', '-5', '5m', '2026-10-21'])('returns null for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });

  test.prop([fc.integer({ min: 0, max: 10_000_000 })])('reads any delay-seconds exactly', (seconds) => {
    expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
  });

  it('reads X-Ratelimit-Reset as Unix seconds', () => {
    expect(parseRateLimitReset(String(now / 1000 + 42), now)).toBe(42_000);
    expect(parseRateLimitReset(String(now / 1000 - 42), now)).toBe(0);
    expect(parseRateLimitReset('tomorrow', now)).toBeNull();
  });
});
