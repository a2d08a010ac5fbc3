// messages.get for many ids in one HTTP request: Gmail's batch endpoint
// (POST <root>batch/gmail/v1, multipart/mixed of whole HTTP requests, answered by a multipart/mixed
// of whole HTTP responses, developers.google.com/gmail/api/guides/batch). The client library has
// no batch support, so the request is built here and its answer read in batch-parse.ts (by a MIME
// worker when the plugin has one). A batch saves round trips, not quota: each part is charged as
// its own messages.get.
import { randomBytes } from 'node:crypto';
import type { gmail_v1 } from '@googleapis/gmail';
import { parseBatchResponse, parseMappedBatch, type ParseBatch, type PartAnswer } from './batch-parse';
import type { GmailCalls, GmailSyncSession } from './calls';
import { GMAIL_COST } from './pacing';
import { GmailHttpError, rateLimitFrom } from './throttle';

/** Gmail refuses more than 100 calls in a batch. */
export const MAX_BATCH_PARTS = 100;

/** What the sync asks messages.get for: the part tree, or the whole MIME (see payload.ts). */
export type MessageFormat = 'full' | 'raw';

export { parseBatchResponse, parseMappedBatch, type ParseBatch, type PartAnswer } from './batch-parse';

/**
 * A messages.get answer and, for format=raw, its raw MIME when parseBatchResponse decoded it; or,
 * read by a ParseBatch, the message already mapped (see PartAnswer.mapped) and only its id.
 */
export interface FetchedMessage {
  message: gmail_v1.Schema$Message;
  raw?: Buffer;
  mapped?: PartAnswer['mapped'];
}

/** Reads the answer on this thread. */
export const parseHere: ParseBatch = async (response, boundary) => parseMappedBatch(response, boundary);

export function batchBody(boundary: string, ids: readonly string[], format: MessageFormat = 'raw'): string {
  const parts = ids.map(
    (id, i) =>
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${i}>\r\n\r\n` +
      `GET /gmail/v1/users/me/messages/${encodeURIComponent(id)}?format=${format}\r\n\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** One batch request; the answers by index into `ids`. Throws RateLimitedError when the whole request was refused for rate. */
async function send(calls: GmailCalls, session: GmailSyncSession, ids: readonly string[], format: MessageFormat, parse: ParseBatch): Promise<Map<number, PartAnswer>> {
  const mailbox = await calls.acquire(session, GMAIL_COST.messagesGet * ids.length);
  const boundary = `batch_${randomBytes(12).toString('hex')}`;
  const res = await fetch(`${calls.apiRoot}batch/gmail/v1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
    body: batchBody(boundary, ids, format),
    signal: session.signal,
  });
  if (res.status !== 200) {
    const text = await res.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // keep the text
    }
    const limited = rateLimitFrom(res.status, data, (name) => res.headers.get(name));
    throw calls.fail(mailbox, limited ?? new GmailHttpError('The Gmail batch endpoint', res.status, data));
  }
  const answerBoundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(res.headers.get('content-type') || '');
  if (!answerBoundary) throw new GmailHttpError('The Gmail batch endpoint (no multipart answer)', 502, undefined);
  const bytes = Buffer.from(await res.arrayBuffer());
  const boundaryText = answerBoundary[1] || answerBoundary[2];
  // format=raw answers (the few messages a part tree cannot describe) are read here: their bytes
  // are the message, which ingest takes as it is.
  return format === 'full' ? parse(bytes, boundaryText) : parseBatchResponse(bytes, boundaryText);
}

/** Statuses worth one more try: the server's trouble, not the request's. */
function transient(status: number): boolean {
  return status >= 500 || status === 408;
}

/**
 * messages.get in `format` for at most 100 ids. A part answered 404 (deleted meanwhile) is
 * skipped; a part refused for rate makes the whole call a RateLimitedError; a part that failed on
 * the server's side (5xx, or missing from the answer) is asked again once, in a batch of the
 * failed parts only, and then throws. Other 4xx parts (401, 403, 400) throw at once: asking
 * again cannot change the answer.
 */
export async function getMessages(calls: GmailCalls, session: GmailSyncSession, ids: readonly string[], format: MessageFormat, parse: ParseBatch = parseHere): Promise<FetchedMessage[]> {
  if (ids.length > MAX_BATCH_PARTS) throw new RangeError(`a Gmail batch holds at most ${MAX_BATCH_PARTS} calls`);
  const found: FetchedMessage[] = [];
  let pending = [...ids];
  for (let attempt = 1; pending.length; attempt++) {
    const answers = await send(calls, session, pending, format, parse);
    // Rate first: one refused part means the mailbox is over its limit, whatever else happened.
    for (const answer of answers.values()) {
      const limited = rateLimitFrom(answer.status, answer.body, (name) => answer.headers[name]);
      if (limited) throw calls.fail(await calls.mailbox(session), limited);
    }
    const failed: string[] = [];
    let failure: PartAnswer = { status: 502, headers: {}, body: 'part missing from the batch answer' };
    for (const [index, id] of pending.entries()) {
      const answer = answers.get(index);
      if (answer?.status === 200) found.push({ message: answer.body as gmail_v1.Schema$Message, raw: answer.raw, mapped: answer.mapped });
      else if (answer?.status === 404) continue;
      else if (answer && !transient(answer.status)) throw new GmailHttpError('A Gmail batch part', answer.status, answer.body, answer.headers);
      else {
        if (answer) failure = answer;
        failed.push(id);
      }
    }
    if (failed.length && attempt === 2) throw new GmailHttpError('A Gmail batch part', failure.status, failure.body, failure.headers);
    pending = failed;
  }
  return found;
}
