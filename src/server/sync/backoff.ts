// Retry pacing for temporary failures: exponential backoff with full jitter, or the
// provider's own Retry-After when it gave one (plus a little jitter so nodes do not align).

export const MAX_ATTEMPTS = 6;

export function retryDelayMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs + Math.floor(random() * 250);
  const cap = Math.min(60_000, 500 * 2 ** attempt);
  return Math.floor(random() * cap);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
