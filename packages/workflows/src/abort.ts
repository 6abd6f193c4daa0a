/**
 * Waiting on work that an abort signal may cut short.
 */

const swallow = () => undefined;

/**
 * Resolves with `work`, or rejects with the signal's reason as soon as it aborts (at once when it
 * already has). `work` itself is left to settle; its outcome no longer matters after an abort.
 *
 * @example const next = await untilAborted(iterator.next(), signal);
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(swallow);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
