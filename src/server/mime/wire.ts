// What crosses the thread boundary between ingest and a MIME worker (pool.ts ↔ worker.ts).
// A page's raw messages travel as one fresh ArrayBuffer that is transferred, not cloned: one
// copy on this side, none on the way. The caller keeps its own Buffers, because a page whose
// worker dies is parsed again in-process from them.
import type { RemoteMessage } from '../providers/sync-types';
import type { AccountId, MessageRow } from '../sync/ingest-rows';

/**
 * One message to turn into a row, with its fingerprint when the caller computed it to decide
 * the message needs one; without, the builder computes it (off the main thread, in a worker:
 * hashing a Gmail message means reading all of its raw bytes).
 */
export interface RowJob {
  message: RemoteMessage;
  contentHash?: string;
}

interface WireJob {
  message: Omit<RemoteMessage, 'raw'>;
  contentHash?: string;
  /** Where this message's raw bytes lie in the request's buffer. */
  raw?: [start: number, end: number];
}

export interface BuildRequest {
  id: number;
  accountId: AccountId;
  bytes: ArrayBuffer;
  jobs: WireJob[];
}

/** Per job, in order: the row, or why the worker could not build it. */
export type BuildResult = { row: MessageRow } | { error: string };

/**
 * The results travel as JSON text, not as objects for the structured clone. Measured on the
 * benchmark's Gmail first sync (10,000 messages, answers of 50 rows): cloned, V8's deserializer
 * on NocoBase's main thread allocated about 1 MB per answer in half of the runs (objects of 16 to
 * 32 KB, outside any JavaScript frame), some 200 MB a sync that all lived long enough to reach
 * the old generation, and the peak RSS of those runs was 310 to 520 MB; as text, one string to
 * copy and JSON.parse on arrival, it was 124 to 138 MB in every run.
 *
 * The bodies (each row's html and text, most of an answer's characters) are not in the JSON but
 * follow it as one string, `lengths` saying where each ends. JSON.stringify has to escape every
 * quote and line break of an HTML body and JSON.parse to undo it; here they are copied once
 * into `bodies` and cut out of it again on arrival (the slices share its characters). On the
 * benchmark's Gmail first sync that was a sixth of the worker's time and most of the unpacking.
 */
export type BuildAnswer = { id: number; results: string; bodies: string; lengths: number[] };

export function packRequest(id: number, accountId: AccountId, jobs: RowJob[]): BuildRequest {
  let total = 0;
  for (const { message } of jobs) total += message.raw?.length ?? 0;
  const bytes = new ArrayBuffer(total);
  const view = new Uint8Array(bytes);
  let at = 0;
  const wire = jobs.map(({ message, contentHash }): WireJob => {
    const { raw, ...rest } = message;
    if (!raw) return { message: rest, contentHash };
    view.set(raw, at);
    at += raw.length;
    return { message: rest, contentHash, raw: [at - raw.length, at] };
  });
  return { id, accountId, bytes, jobs: wire };
}

export function unpackRequest(request: BuildRequest): RowJob[] {
  return request.jobs.map(({ message, contentHash, raw }) => ({
    message: raw ? { ...message, raw: Buffer.from(request.bytes, raw[0], raw[1] - raw[0]) } : message,
    contentHash,
  }));
}

export function packAnswer(id: number, results: BuildResult[]): BuildAnswer {
  const bodies: string[] = [];
  const lengths: number[] = [];
  const light = results.map((result) => {
    if (!('row' in result)) return result;
    const { html, text, ...rest } = result.row;
    bodies.push(html, text);
    lengths.push(html.length, text.length);
    return { row: rest };
  });
  return { id, results: JSON.stringify(light), bodies: bodies.join(''), lengths };
}

/** Throws on an answer that is not what packAnswer makes (the pool then builds its jobs itself). */
export function unpackAnswer(answer: BuildAnswer): BuildResult[] {
  const results = JSON.parse(answer.results) as BuildResult[];
  const { bodies, lengths } = answer;
  if (!Array.isArray(results) || typeof bodies !== 'string' || !Array.isArray(lengths)) throw new Error('not a build answer');
  let at = 0;
  let next = 0;
  const cut = () => {
    const length = lengths[next++];
    if (!Number.isInteger(length) || length < 0 || at + length > bodies.length) throw new Error('a build answer whose bodies do not add up');
    return bodies.slice(at, (at += length));
  };
  for (const result of results) {
    if (!result || !('row' in result)) continue;
    const row = result.row;
    row.html = cut();
    row.text = cut();
    // JSON has no dates: a row's two come back as ISO text (never invalid: buildRow checks them).
    row.receivedAt = new Date(row.receivedAt);
    if (row.sentAt !== null) row.sentAt = new Date(row.sentAt);
  }
  if (next !== lengths.length || at !== bodies.length) throw new Error('a build answer whose bodies do not add up');
  return results;
}
