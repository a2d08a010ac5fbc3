// Media upload for messages.send: POST /upload/gmail/v1/users/:userId/messages/send with
// uploadType=media (the body is the RFC 822 message) or uploadType=multipart (multipart/related:
// JSON metadata such as {"threadId"}, then the message, optionally base64 with
// Content-Transfer-Encoding). Same gate, quota cost and behaviour as the JSON send; Gmail's
// upload limit for messages is 35 MB. uploadType=resumable is not emulated.
import { readLimited } from '../core/body';
import type { Router, SandboxState } from '../core/types';
import { badRequest, sendGoogleError } from './errors';
import { RAW_REQUIRED } from './gmail-messages';
import { gmailRoute, type GmailCall } from './gmail-route';
import { sendRaw } from './gmail-send';

/** "Maximum file size: 35MB" (messages.send, media upload): 36,700,160 bytes. */
export const UPLOAD_LIMIT = 35 * 1024 * 1024;
/** What is read before answering 413: the limit in base64 plus room for the multipart framing. */
const READ_LIMIT = Math.ceil((UPLOAD_LIMIT * 4) / 3) + 64 * 1024;

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

function parseHeaderBlock(block: string) {
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return headers;
}

/** Headers, an empty line, the content (latin1 keeps byte offsets: headers are short, so only the start is decoded). */
function splitPart(part: Buffer): Part {
  const probe = part.subarray(0, 16384).toString('latin1');
  const noHeaders = /^\r?\n/.exec(probe);
  if (noHeaders) return { headers: new Map(), body: part.subarray(noHeaders[0].length) };
  const blank = /\r?\n\r?\n/.exec(probe);
  if (!blank) return { headers: parseHeaderBlock(probe), body: Buffer.alloc(0) };
  return { headers: parseHeaderBlock(probe.slice(0, blank.index)), body: part.subarray(blank.index + blank[0].length) };
}

/** The body parts of a multipart entity (RFC 2046): the CRLF before each delimiter belongs to it. */
export function splitMultipart(body: Buffer, boundary: string): Part[] | undefined {
  const delimiter = `--${boundary}`;
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  const parts: Part[] = [];
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return parts;
    const lineEnd = body.indexOf('\n', after);
    if (lineEnd < 0) return undefined;
    const next = body.indexOf(`\n${delimiter}`, lineEnd);
    if (next < 0) return undefined;
    const end = body[next - 1] === 0x0d ? next - 1 : next;
    parts.push(splitPart(body.subarray(lineEnd + 1, Math.max(lineEnd + 1, end))));
    at = next + 1;
  }
}

function decode(part: Part) {
  const encoding = (part.headers.get('content-transfer-encoding') || '').toLowerCase();
  return encoding === 'base64' ? Buffer.from(part.body.toString('latin1').replace(/\s+/g, ''), 'base64') : part.body;
}

function badMediaType(call: GmailCall, type: string) {
  sendGoogleError(call.ctx, 400, `Media type '${type}' is not supported. Valid media types: [message/*]`, { reason: 'badContent' });
}

const tooLarge = (call: GmailCall) => sendGoogleError(call.ctx, 413, `Media larger than: ${UPLOAD_LIMIT}`, { reason: 'uploadTooLarge' });

/** The message and the metadata of an upload, or undefined after answering the error. */
async function readUpload(call: GmailCall): Promise<{ media: Buffer; metadata: { threadId?: unknown } } | undefined> {
  const { ctx } = call;
  const uploadType = ctx.query.get('uploadType');
  if (uploadType !== 'media' && uploadType !== 'multipart') {
    badRequest(ctx, uploadType ? `Upload type '${uploadType}' is not supported by the sandbox (use media or multipart).` : 'Upload type is required (uploadType=media or multipart).');
    return undefined;
  }
  const read = await readLimited(ctx.req, READ_LIMIT);
  if (read.tooLarge) return void tooLarge(call);
  const type = String(ctx.req.headers['content-type'] || '');
  if (uploadType === 'media') {
    if (!/^message\//i.test(type)) return void badMediaType(call, type.split(';')[0] || 'application/octet-stream');
    return { media: read.body, metadata: {} };
  }
  const boundary = /^multipart\/related\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (!boundary) return void badRequest(ctx, 'Invalid multipart request: expected multipart/related with a boundary.');
  const parts = splitMultipart(read.body, boundary[1] || boundary[2]);
  if (!parts || parts.length !== 2) return void badRequest(ctx, `Invalid multipart request with ${parts?.length ?? 0} mime parts.`);
  const [meta, media] = parts;
  let metadata: { threadId?: unknown };
  try {
    metadata = meta.body.length ? JSON.parse(meta.body.toString('utf8')) : {};
  } catch {
    return void badRequest(ctx, 'Invalid JSON payload received. Unexpected token.', 'parseError');
  }
  const mediaType = (media.headers.get('content-type') || '').split(';')[0].trim();
  if (!/^message\//i.test(mediaType)) return void badMediaType(call, mediaType || 'application/octet-stream');
  return { media: decode(media), metadata: metadata && typeof metadata === 'object' ? metadata : {} };
}

export function mountUpload(router: Router, state: SandboxState) {
  const handler = gmailRoute(state, 'gmail.users.messages.send', 'send', async (call) => {
    const upload = await readUpload(call);
    if (!upload) return;
    if (upload.media.length > UPLOAD_LIMIT) return tooLarge(call);
    if (!upload.media.length) return badRequest(call.ctx, RAW_REQUIRED);
    const threadId = typeof upload.metadata.threadId === 'string' && upload.metadata.threadId ? upload.metadata.threadId : undefined;
    await sendRaw(call, upload.media, threadId);
  });
  router.on('POST', '/upload/gmail/v1/users/:userId/messages/send', handler);
}
