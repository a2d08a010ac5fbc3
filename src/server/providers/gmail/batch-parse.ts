// Reading the answer of a Gmail batch request (multipart/mixed of whole HTTP responses) from its
// bytes: pure functions, with no client library behind them, so that a MIME worker thread can run
// them too (parseMappedBatch) and NocoBase's main thread need not read every message's JSON.
import type { gmail_v1 } from '@googleapis/gmail';
import type { RemoteMessage } from '../sync-types';
import { messageFromGmail } from './map';

export interface PartAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /**
   * A message's raw MIME, decoded straight from the answer's bytes; its body's `raw` is then
   * the empty string. Absent when the body had no plain base64url `raw` (it is then as parsed).
   */
  raw?: Buffer;
  /**
   * Set by parseMappedBatch for a 200 answer: the message as messageFromGmail maps it ('raw' when
   * its part tree cannot say everything, null for a chat or an incomplete answer). The body is
   * then only the message's id.
   */
  mapped?: RemoteMessage | 'raw' | null;
}

/**
 * A header block (no blank line in it: the caller cut it there) → lower-cased map. indexOf and
 * no regular expressions: under NocoBase's SES lockdown each one takes V8's slow path, and this
 * runs twice for every message of a first sync.
 */
function headerBlock(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let at = 0; at < text.length; ) {
    const newline = text.indexOf('\n', at);
    const line = text.slice(at, newline === -1 ? text.length : newline);
    at = newline === -1 ? text.length : newline + 1;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Where the first blank line (/\r?\n\r?\n/) at or after `from` starts and ends; undefined when none. */
function blankLine(bytes: Buffer, from: number, end: number): [start: number, end: number] | undefined {
  for (let i = bytes.indexOf(0x0a, from); i !== -1 && i < end; i = bytes.indexOf(0x0a, i + 1)) {
    const next = bytes[i + 1] === 0x0d ? i + 2 : i + 1;
    if (next < end && bytes[next] === 0x0a) return [i > from && bytes[i - 1] === 0x0d ? i - 1 : i, next + 1];
  }
  return undefined;
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** One part of a batch answer, bytes [start, end) of the response; undefined when it holds no HTTP answer. */
function parsePart(bytes: Buffer, start: number, end: number): [contentId: string, PartAnswer, raw?: [start: number, end: number]] | undefined {
  // A blank first line (the CRLF after the delimiter) goes, then come the part's own headers.
  let at = start;
  while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x09)) at++;
  if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) start = at + 2;
  else if (bytes[at] === 0x0a) start = at + 1;
  const partEnd = blankLine(bytes, start, end);
  if (!partEnd) return undefined;
  const partHeaders = headerBlock(bytes.toString('utf8', start, partEnd[0]));
  // Then the HTTP answer: its status line, its headers, and the body after a blank line.
  let http = partEnd[1];
  while (http < end && SPACE.has(bytes[http])) http++;
  let lineEnd = http;
  while (lineEnd < end && bytes[lineEnd] !== 0x0d && bytes[lineEnd] !== 0x0a) lineEnd++;
  const statusLine = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(bytes.toString('utf8', http, lineEnd));
  if (!statusLine) return undefined;
  let head = http;
  if (bytes[lineEnd] === 0x0d && bytes[lineEnd + 1] === 0x0a) head = lineEnd + 2;
  else if (bytes[lineEnd] === 0x0a) head = lineEnd + 1;
  const headEnd = blankLine(bytes, head, end);
  const headers = headerBlock(bytes.toString('utf8', head, headEnd ? headEnd[0] : end));
  const status = Number(statusLine[1]);
  const span = headEnd && status === 200 ? rawSpan(bytes, headEnd[1], end) : undefined;
  if (span) {
    // The body without its raw text: the rest is a few hundred bytes of JSON.
    const body = parseJson(`${bytes.toString('utf8', headEnd![1], span[0])}${bytes.toString('utf8', span[1], end)}`.trim());
    if (body && typeof body === 'object' && (body as gmail_v1.Schema$Message).raw === '') {
      return [partHeaders['content-id'] || '', { status, headers, body }, span];
    }
  }
  const bodyText = headEnd ? bytes.toString('utf8', headEnd[1], end).trim() : '';
  return [partHeaders['content-id'] || '', { status, headers, body: bodyText ? parseJson(bodyText) : bodyText }];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML error page): keep the text; the status decides what happens.
    return text;
  }
}

const RAW_KEY = Buffer.from('"raw"');

/**
 * Where the text of a message body's `"raw": "…"` lies, bytes [start, end) of the response;
 * undefined when it may not be plain base64url (see below), in which case the body is parsed
 * whole as JSON.
 */
function rawSpan(bytes: Buffer, start: number, end: number): [start: number, end: number] | undefined {
  // Searched within this part only: an answer without "raw" (format=full) must not send the
  // search through every later part of the response.
  const found = bytes.subarray(start, end).indexOf(RAW_KEY);
  if (found === -1) return undefined;
  const key = start + found;
  let at = key + RAW_KEY.length;
  while (at < end && SPACE.has(bytes[at])) at++;
  if (bytes[at] !== 0x3a) return undefined;
  at++;
  while (at < end && SPACE.has(bytes[at])) at++;
  if (bytes[at] !== 0x22) return undefined;
  const from = at + 1;
  const close = bytes.indexOf(0x22, from);
  if (close === -1 || close >= end) return undefined;
  let text = close;
  while (text > from && close - text < 2 && bytes[text - 1] === 0x3d) text--;
  // No byte-by-byte check of the alphabet: the decoder skips what is not base64url, so the
  // decoded length tells (parseBatchResponse compares it) unless the text is one character past
  // a whole group (a lone skipped character is then invisible) or holds a JSON escape ("\/").
  if ((text - from) % 4 === 1 || bytes.subarray(from, text).indexOf(0x5c) !== -1) return undefined;
  return [from, close];
}

/** Decoded size of plain base64url text of `length` characters, `padding` of them '='. */
function decodedLength(length: number, padding: number): number {
  return Math.floor(((length - padding) * 3) / 4);
}

/** base64url text at most this long is decoded through one short-lived string at a time. */
const DECODE_CHUNK = 64 * 1024;

/**
 * The answers of a batch response by request index. Google may answer parts in any order, so
 * each is matched by its Content-ID (`<response-item3>` answers `<item3>`), falling back to its
 * position when a proxy dropped the header.
 *
 * It works on the response's bytes, decoding one part at a time: a batch of raw messages is
 * megabytes, and decoding it whole into one string (then cutting and trimming it) would put
 * several copies of every message on the heap at once.
 */
export function parseBatchResponse(response: Buffer | string, boundary: string): Map<number, PartAnswer> {
  const bytes = typeof response === 'string' ? Buffer.from(response) : response;
  const delimiter = Buffer.from(`--${boundary}`);
  const answers = new Map<number, PartAnswer>();
  const spans: Array<[PartAnswer, number, number]> = [];
  let total = 0;
  let at = bytes.indexOf(delimiter);
  for (let position = 0; at !== -1; position++) {
    const start = at + delimiter.length;
    const next = bytes.indexOf(delimiter, start);
    const end = next === -1 ? bytes.length : next;
    at = next;
    if (bytes[start] === 0x2d && bytes[start + 1] === 0x2d) continue;
    const part = parsePart(bytes, start, end);
    if (!part) continue;
    const id = /response-item(\d+)/.exec(part[0]);
    answers.set(id ? Number(id[1]) : position, part[1]);
    if (part[2]) {
      spans.push([part[1], part[2][0], part[2][1]]);
      total += decodedLength(part[2][1] - part[2][0], 0);
    }
  }
  // Every message of the batch goes into one buffer, one allocation rather than one per
  // message, decoded a slice of text at a time so that no message's text is ever one string
  // (a big one would sit in V8's large-object space until the next full collection).
  const raw = Buffer.allocUnsafeSlow(total);
  let used = 0;
  for (const [answer, from, to] of spans) {
    let padding = 0;
    while (padding < 2 && to - padding > from && bytes[to - padding - 1] === 0x3d) padding++;
    const size = decodedLength(to - from, padding);
    const begin = used;
    for (let i = from; i < to; i += DECODE_CHUNK) used += raw.write(bytes.toString('latin1', i, Math.min(to, i + DECODE_CHUNK)), used, 'base64url');
    if (used - begin !== size) {
      // A character the decoder skipped: decoded on its own, as Buffer.from(raw, 'base64url')
      // would after JSON.parse (no escapes in it: rawSpan made sure).
      used = begin;
      answer.raw = Buffer.from(bytes.toString('latin1', from, to), 'base64url');
    } else answer.raw = raw.subarray(begin, used);
  }
  return answers;
}

/** Reads a batch answer in some thread: this one (parseMappedBatch) or a MIME worker's. */
export type ParseBatch = (response: Buffer, boundary: string) => Promise<Map<number, PartAnswer>>;

/**
 * parseBatchResponse, with each message answered 200 mapped as the sync reads it. What the
 * caller no longer needs goes: the message's JSON (but its id) and its raw bytes.
 */
export function parseMappedBatch(response: Buffer, boundary: string): Map<number, PartAnswer> {
  const answers = parseBatchResponse(response, boundary);
  for (const answer of answers.values()) {
    if (answer.status !== 200 || !answer.body || typeof answer.body !== 'object') continue;
    const message = answer.body as gmail_v1.Schema$Message;
    answer.mapped = messageFromGmail(message, answer.raw) ?? null;
    answer.body = { id: message.id };
    answer.raw = undefined;
  }
  return answers;
}
