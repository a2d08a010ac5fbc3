// What crosses the thread boundary between ingest and a MIME worker (pool.ts ↔ worker.ts).
// A page's raw messages travel as one fresh ArrayBuffer that is transferred, not cloned: one
// copy on this side, none on the way. The caller keeps its own Buffers, because a page whose
// worker dies is parsed again in-process from them.
import type { PartAnswer } from '../providers/gmail/batch-parse';
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

type BodyHolder = { html?: string; text?: string };

/** Takes each holder's html and text out (left undefined) into one string; a length of -1 is one that was not there. */
function takeBodies(holders: BodyHolder[]): { bodies: string; lengths: number[] } {
  const bodies: string[] = [];
  const lengths: number[] = [];
  for (const holder of holders) {
    for (const key of ['html', 'text'] as const) {
      const body = holder[key];
      lengths.push(typeof body === 'string' ? body.length : -1);
      if (typeof body === 'string') bodies.push(body);
      holder[key] = undefined;
    }
  }
  return { bodies: bodies.join(''), lengths };
}

/** The inverse of takeBodies, on the holders JSON.parse gave back; throws when they do not add up. */
function putBodies(holders: BodyHolder[], bodies: unknown, lengths: unknown): void {
  if (typeof bodies !== 'string' || !Array.isArray(lengths) || lengths.length !== holders.length * 2) throw new Error('a worker answer whose bodies do not add up');
  let at = 0;
  let next = 0;
  for (const holder of holders) {
    for (const key of ['html', 'text'] as const) {
      const length = lengths[next++];
      if (length === -1) continue;
      if (!Number.isInteger(length) || length < 0 || at + length > bodies.length) throw new Error('a worker answer whose bodies do not add up');
      holder[key] = bodies.slice(at, (at += length));
    }
  }
  if (at !== bodies.length) throw new Error('a worker answer whose bodies do not add up');
}

/** The worker's own rows: their html and text are taken out of them. */
export function packAnswer(id: number, results: BuildResult[]): BuildAnswer {
  const rows = results.flatMap((result) => ('row' in result ? [result.row] : []));
  const { bodies, lengths } = takeBodies(rows as BodyHolder[]);
  return { id, results: JSON.stringify(results), bodies, lengths };
}

/** Throws on an answer that is not what packAnswer makes (the pool then builds its jobs itself). */
export function unpackAnswer(answer: BuildAnswer): BuildResult[] {
  const results = JSON.parse(answer.results) as BuildResult[];
  if (!Array.isArray(results)) throw new Error('not a build answer');
  const rows = results.filter((result) => result && typeof result === 'object' && 'row' in result).map((result) => (result as { row: MessageRow }).row);
  putBodies(rows as unknown as BodyHolder[], answer.bodies, answer.lengths);
  for (const row of rows) {
    // JSON has no dates: a row's two come back as ISO text (never invalid: buildRow checks them).
    row.receivedAt = new Date(row.receivedAt);
    if (row.sentAt !== null) row.sentAt = new Date(row.sentAt);
  }
  return results;
}

/** A Gmail batch answer for a worker to read (gmail/batch-parse.ts parseMappedBatch). */
export interface GmailBatchRequest {
  kind: 'gmailBatch';
  id: number;
  bytes: ArrayBuffer;
  boundary: string;
}

/** What the worker read, or why it could not (the pool then reads the answer itself). */
export type GmailBatchAnswer = { id: number; error: string } | { id: number; parts: string; bodies: string; lengths: number[] };

type MappedMessage = Exclude<PartAnswer['mapped'], 'raw' | null | undefined>;
/** A mapped message's dates travel as milliseconds (NaN as null), so an invalid one stays invalid. */
type WireDates = { receivedAt: number | null; parsed?: { sentAt?: number | null } };

export function packGmailBatch(id: number, answers: Map<number, PartAnswer>): GmailBatchAnswer {
  const messages: MappedMessage[] = [];
  for (const answer of answers.values()) {
    const mapped = answer.mapped;
    if (!mapped || mapped === 'raw') continue;
    // Raw bytes do not go through JSON; no format=full answer has them, so none is expected.
    if (mapped.raw || !mapped.parsed) return { id, error: 'a mapped message without parsed fields' };
    messages.push(mapped);
  }
  const { bodies, lengths } = takeBodies(messages.map((message) => message.parsed as BodyHolder));
  for (const message of messages) {
    const wire = message as unknown as WireDates;
    wire.receivedAt = message.receivedAt.getTime();
    if (message.parsed?.sentAt) (wire.parsed as { sentAt: number }).sentAt = message.parsed.sentAt.getTime();
  }
  return { id, parts: JSON.stringify([...answers]), bodies, lengths };
}

/** Throws on an answer that is not what packGmailBatch makes. */
export function unpackGmailBatch(answer: GmailBatchAnswer): Map<number, PartAnswer> {
  if ('error' in answer) throw new Error(answer.error);
  const entries = JSON.parse(answer.parts) as Array<[number, PartAnswer]>;
  if (!Array.isArray(entries) || !entries.every((entry) => Array.isArray(entry) && Number.isInteger(entry[0]) && entry[1] && typeof entry[1] === 'object')) {
    throw new Error('not a Gmail batch answer');
  }
  const messages = entries.map(([, part]) => part.mapped).filter((mapped): mapped is MappedMessage => Boolean(mapped) && mapped !== 'raw');
  if (!messages.every((message) => message.parsed && typeof message.parsed === 'object')) throw new Error('not a Gmail batch answer');
  putBodies(messages.map((message) => message.parsed as BodyHolder), answer.bodies, answer.lengths);
  for (const message of messages) {
    const wire = message as unknown as WireDates;
    message.receivedAt = new Date(wire.receivedAt ?? Number.NaN);
    const sentAt = wire.parsed?.sentAt;
    if (sentAt !== undefined && message.parsed) message.parsed.sentAt = new Date(sentAt ?? Number.NaN);
  }
  return new Map(entries);
}
