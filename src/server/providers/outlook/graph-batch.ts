// GETs (and PATCHes) through JSON batching: up to 20 per $batch, each counted as a request. Outlook runs a
// batch's independent requests in parallel and refuses those above the mailbox's 4 in flight,
// so each batch is laid out as at most 4 dependsOn chains: never more than 4 run at once, and
// the pacer holds that many slots while the batch is out. A failed request fails the rest of
// its chain with 424; those were never tried and go into the next batch.
import { RateLimitedError } from '../sync-types';
import { graphErrorOf, IMMUTABLE_IDS, type GraphSession } from './graph-session';

export const BATCH_LIMIT = 20;

export interface BatchGet {
  /** The caller's key for the answer. */
  key: string;
  /** Relative to the version root: `/me/messages/{id}?$select=…`. */
  url: string;
  /** GET unless set (PATCH for flag changes, with `body`). */
  method?: 'GET' | 'PATCH';
  body?: unknown;
}

interface BatchResponse {
  responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
}

/** An id Graph cannot resolve (gone, or not an id of this mailbox) is missing, not an error. */
function missing(status: number, body: unknown): boolean {
  const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
  return status === 404 || (status === 400 && code === 'ErrorInvalidIdMalformed');
}

/**
 * Answers by key: the body, or undefined when the item is missing. Throws RateLimitedError when
 * any item was throttled (the engine retries the whole call) and the item's error otherwise.
 */
export async function batchGet(graph: GraphSession, requests: BatchGet[], concurrency: number): Promise<Map<string, unknown>> {
  const answers = new Map<string, unknown>();
  let pending = requests;
  // Each round settles at least the head of every chain, so this ends; the bound is a guard.
  for (let round = 0; pending.length && round <= requests.length; round++) {
    const again: BatchGet[] = [];
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      const chunk = pending.slice(start, start + BATCH_LIMIT);
      const chains = Math.min(Math.max(1, concurrency), chunk.length);
      const body = {
        requests: chunk.map((r, i) => ({
          id: String(i),
          method: r.method ?? 'GET',
          url: r.url,
          headers: r.body === undefined ? { Prefer: IMMUTABLE_IDS } : { Prefer: IMMUTABLE_IDS, 'Content-Type': 'application/json' },
          ...(r.body === undefined ? {} : { body: r.body }),
          ...(i >= chains ? { dependsOn: [String(i - chains)] } : {}),
        })),
      };
      const result = await graph.post<BatchResponse>('/$batch', body, chunk.length, chains);
      const byId = new Map((result.responses || []).map((r) => [r.id, r]));
      let limited: RateLimitedError | undefined;
      for (let i = 0; i < chunk.length; i++) {
        const answer = byId.get(String(i));
        if (!answer || answer.status === 424) {
          again.push(chunk[i]);
        } else if (answer.status >= 200 && answer.status < 300) {
          answers.set(chunk[i].key, answer.body);
        } else if (missing(answer.status, answer.body)) {
          answers.set(chunk[i].key, undefined);
        } else {
          const err = graphErrorOf(answer.status, answer.body, answer.headers);
          if (!(err instanceof RateLimitedError)) throw err;
          // Wait for the longest Retry-After in the batch.
          if (!limited || err.retryAfterMs > limited.retryAfterMs) limited = err;
        }
      }
      if (limited) throw limited;
    }
    pending = again;
  }
  return answers;
}
