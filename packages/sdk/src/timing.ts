/** setTimeout's longest delay (about 24.8 days); longer ones fire at once in browsers and Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` (at most MAX_TIMER_MS), or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export interface Deadline {
  /** Aborts with the caller's reason, or with `onTimeout()` once `timeoutMs` has passed. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * One signal for "the caller aborted or the time is up" (AbortSignal.any and AbortSignal.timeout
 * exist, but their timeout reason is a bare DOMException and older browsers lack `any`).
 */
export function deadline(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  onTimeout: () => Error,
): Deadline {
  const controller = new AbortController();
  const forward = () => controller.abort(abortReason(signal!));
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  // Infinity (or anything past the longest timer) means no time limit.
  const timer =
    timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS
      ? setTimeout(() => controller.abort(onTimeout()), Math.max(0, timeoutMs))
      : undefined;
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    },
  };
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date starts with the day's name ("Tue, 01 Dec 2026 12:00:05 GMT"); Date.parse alone
  // would also take "-1" or "2026".
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A v4 UUID from Web Crypto (`randomUUID` needs a secure context in browsers; fall back to bytes). */
export function randomId(): string {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto.randomUUID === 'function') return webCrypto.randomUUID();
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
