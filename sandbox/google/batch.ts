// POST /batch/gmail/v1: a multipart/mixed body of whole HTTP requests (each part
// Content-Type: application/http), answered by a multipart/mixed body of whole HTTP responses
// with Content-ID: <response-…> naming the part each answers. At most 100 parts. Every part
// goes through the same routes (auth, quota, faults) with the outer Authorization header, so
// a batch costs what its calls cost, as Google documents.
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RequestContext, Router, SandboxState } from '../core/types';
import { applyFaults } from '../core/faults';
import { googleError, googleErrorBody } from './errors';

export const MAX_BATCH_PARTS = 100;

interface InnerRequest {
  contentId?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Header block → lower-cased map (later duplicates win; batch parts do not repeat headers). */
function parseHeaderLines(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Splits text at the first empty line (CRLF or LF line ends). */
function splitHead(text: string): [string[], string] {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const rest = match ? text.slice(match.index + match[0].length) : '';
  return [head.split(/\r?\n/), rest];
}

export function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/mixed\b/i.test(contentType.trim())) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? m[1] || m[2] : undefined;
}

/** The parts of a batch body; an error message when it is not one. */
export function parseBatch(body: Buffer, boundary: string): InnerRequest[] | string {
  // latin1 maps bytes 1:1, so request bodies survive and can be turned back into bytes.
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter).slice(1);
  const parts: InnerRequest[] = [];
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    const [partHeadLines, http] = splitHead(chunk.replace(/^[ \t]*\r?\n/, ''));
    const partHeaders = parseHeaderLines(partHeadLines);
    const [requestHead, requestBody] = splitHead(http.replace(/^(\r?\n)+/, ''));
    const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/.exec((requestHead[0] || '').trim());
    if (!requestLine) return 'Failed to parse batch request, error: invalid request line.';
    parts.push({
      contentId: partHeaders['content-id'],
      method: requestLine[1],
      url: requestLine[2],
      headers: parseHeaderLines(requestHead.slice(1)),
      body: Buffer.from(requestBody.replace(/\r?\n$/, ''), 'latin1'),
    });
  }
  return parts;
}

/** `<item1>` → `<response-item1>`, as Google names the answer to a part. */
function responseId(contentId: string | undefined, index: number): string {
  const bare = (contentId || '').replace(/^<|>$/g, '');
  return `<response-${bare || index + 1}>`;
}

export function mountBatch(router: Router, state: SandboxState) {
  router.on('POST', '/batch/gmail/v1', async (ctx: RequestContext) => {
    ctx.operation = 'gmail.batch';
    state.counters.count(ctx.operation);
    if (await applyFaults(ctx, state, 'google', googleErrorBody)) return;
    const boundary = boundaryOf(String(ctx.req.headers['content-type'] || ''));
    if (!boundary) return ctx.sendJson(400, googleError(400, 'Failed to parse batch request, error: Content-Type must be multipart/mixed with a boundary.'));
    const parts = parseBatch(await ctx.body(), boundary);
    if (typeof parts === 'string') return ctx.sendJson(400, googleError(400, parts));
    if (!parts.length) return ctx.sendJson(400, googleError(400, 'Failed to parse batch request, error: 0 items.'));
    if (parts.length > MAX_BATCH_PARTS) {
      return ctx.sendJson(400, googleError(400, `Too many requests in batch: ${parts.length}. A batch holds at most ${MAX_BATCH_PARTS}.`));
    }
    const authorization = String(ctx.req.headers.authorization || '');
    const out = `batch_${randomBytes(12).toString('base64url')}`;
    const chunks: Buffer[] = [];
    // One after another: see quota.ts on why a batch does not fan out into parallel calls.
    for (const [index, part] of parts.entries()) {
      const url = /^https?:\/\//i.test(part.url) ? (() => { const u = new URL(part.url); return u.pathname + u.search; })() : part.url;
      const headers = { ...part.headers, ...(part.headers.authorization || !authorization ? {} : { authorization }) };
      const res = await router.dispatch({ method: part.method, url, headers, body: part.body });
      const status = res.status || 503;
      const innerHeaders = ['Vary: Origin', 'Vary: X-Origin', 'Vary: Referer'];
      if (res.body.length) innerHeaders.unshift(`Content-Type: ${res.headers['content-type'] || 'application/json; charset=UTF-8'}`);
      if (res.headers['www-authenticate']) innerHeaders.push(`WWW-Authenticate: ${res.headers['www-authenticate']}`);
      if (res.headers['retry-after']) innerHeaders.push(`Retry-After: ${res.headers['retry-after']}`);
      chunks.push(
        Buffer.from(
          `--${out}\r\nContent-Type: application/http\r\nContent-ID: ${responseId(part.contentId, index)}\r\n\r\n` +
            `HTTP/1.1 ${status} ${STATUS_CODES[status] || ''}\r\n${innerHeaders.join('\r\n')}\r\n\r\n`,
          'utf8',
        ),
        res.body,
        Buffer.from('\r\n'),
      );
    }
    chunks.push(Buffer.from(`--${out}--\r\n`));
    ctx.send(200, Buffer.concat(chunks), { 'content-type': `multipart/mixed; boundary=${out}` });
  });
}
