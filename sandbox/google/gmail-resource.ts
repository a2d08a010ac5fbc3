// The Gmail Message resource in its four formats, members in the order Gmail sends them.
import { Serialized } from '../core/json';
import type { Mailbox, MessageState } from '../core/types';
import { escapeSnippet, toBase64Url } from './format';
import { parseHeaders, parseMessage, type GmailPart } from './mime';

export type MessageFormat = 'full' | 'metadata' | 'minimal' | 'raw';
const FORMATS: MessageFormat[] = ['full', 'metadata', 'minimal', 'raw'];

export function parseFormat(value: string | null): MessageFormat | undefined {
  if (value === null || value === '') return 'full';
  const lower = value.toLowerCase();
  return FORMATS.find((f) => f === lower);
}

/** `metadataHeaders` arrives repeated (the client libraries) or comma-separated (hand-built URLs). */
export function metadataHeadersOf(query: URLSearchParams): string[] {
  return query.getAll('metadataHeaders').flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
}

/** Google's JSON leaves out empty repeated fields: an archived, read message has no labelIds member. */
function labelIdsOf(mailbox: Mailbox, m: MessageState): { labelIds?: string[] } {
  const labelIds = mailbox.gmailLabels(m);
  return labelIds.length ? { labelIds } : {};
}

/** id, threadId and labelIds: what modify, trash, send and history records return. */
export function messageRef(mailbox: Mailbox, m: MessageState) {
  return { id: m.id, threadId: m.threadId, ...labelIdsOf(mailbox, m) };
}

/**
 * A message's part tree, kept as long as its raw bytes are (a Buffer the mailbox caches or
 * keeps): Gmail stores mail parsed, so serving format=full should not cost a parse per read.
 */
const payloads = new WeakMap<Buffer, GmailPart>();

export async function payloadOf(mailbox: Mailbox, id: string): Promise<GmailPart> {
  const raw = await mailbox.raw(id);
  let payload = payloads.get(raw);
  if (!payload) {
    ({ payload } = await parseMessage(raw, id));
    payloads.set(raw, payload);
  }
  return payload;
}

/** The part tree with its JSON text, kept as long as the raw bytes are, as Gmail serves stored mail. */
const servedPayloads = new WeakMap<Buffer, Serialized>();

export async function servedPayloadOf(mailbox: Mailbox, id: string): Promise<Serialized> {
  const raw = await mailbox.raw(id);
  let served = servedPayloads.get(raw);
  if (!served) {
    served = new Serialized(await payloadOf(mailbox, id));
    servedPayloads.set(raw, served);
  }
  return served;
}

export async function messageResource(mailbox: Mailbox, m: MessageState, format: MessageFormat, metadataHeaders: string[] = []) {
  const head = { id: m.id, threadId: m.threadId, ...labelIdsOf(mailbox, m), snippet: escapeSnippet(m.snippet) };
  const tail = { sizeEstimate: m.size, historyId: String(m.seq), internalDate: String(m.date) };
  if (format === 'minimal') return { ...head, ...tail };
  if (format === 'metadata') {
    const { mimeType, headers } = await parseHeaders(await mailbox.rawHeaders(m.id));
    const wanted = metadataHeaders.length ? headers.filter((h) => metadataHeaders.includes(h.name.toLowerCase())) : headers;
    return { ...head, payload: { mimeType, headers: wanted }, ...tail };
  }
  if (format === 'raw') return { ...head, sizeEstimate: m.size, historyId: tail.historyId, internalDate: tail.internalDate, raw: toBase64Url(await mailbox.raw(m.id)) };
  return { ...head, payload: await servedPayloadOf(mailbox, m.id), ...tail };
}
