// Outlook attachment upload sessions. createUploadSession (graph-attachments.ts) hands out an
// uploadUrl shaped like Outlook's, on this server:
//   {base}/api/v2.0/Users('{userId}@{tenantId}')/Messages('{messageId}')/AttachmentSessions('{sessionId}')?authtoken={token}
// The URL is pre-authenticated (no Authorization header needed; one that is sent is ignored).
// PUT uploads the bytes in order (Content-Range: bytes a-b/total, at most 4 MB per request):
// 200 { ExpirationDateTime, nextExpectedRanges: ["<next byte>"] } until the last range, which
// attaches the file to the draft and answers 201 with a Location and no body. A range that does
// not start at the next expected byte is 416. DELETE cancels (204); GET reports progress.
import { randomBytes } from 'node:crypto';
import { readLimited } from '../core/body';
import { applyFaults } from '../core/faults';
import type { RequestContext, Router, SandboxState, SandboxUser } from '../core/types';
import { GraphError, faultErrorBody } from './errors';
import { addAttachment, requireDraft } from './draft-edit';
import { attachmentId } from './format';
import { REQUEST_LIMIT, UPLOAD_SESSION_TTL_MS, requestTooLarge } from './limits';
import { graphDate } from './odata';
import { responder } from './pipeline';

export interface UploadSession {
  id: string;
  token: string;
  email: string;
  messageId: string;
  name: string;
  size: number;
  contentType: string;
  isInline: boolean;
  contentId?: string;
  chunks: Buffer[];
  /** The next byte expected. */
  next: number;
  expires: number;
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(readonly baseUrl: string) {}

  create(user: SandboxUser, input: Omit<UploadSession, 'id' | 'token' | 'email' | 'chunks' | 'next' | 'expires'>) {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (s.expires <= now) this.sessions.delete(id);
    const session: UploadSession = {
      ...input,
      id: `AAMkADI1UPL${randomBytes(18).toString('base64url')}`,
      token: randomBytes(32).toString('base64url'),
      email: user.email,
      chunks: [],
      next: 0,
      expires: now + UPLOAD_SESSION_TTL_MS,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Outlook's REST path of the session's message (`…/Users('id@tenant')/Messages('id')`). */
  messagePath(user: SandboxUser, messageId: string) {
    const who = encodeURIComponent(`${user.id}@${user.tenantId ?? 'common'}`);
    return `${this.baseUrl}/api/v2.0/Users('${who}')/Messages('${encodeURIComponent(messageId)}')`;
  }

  uploadUrl(user: SandboxUser, session: UploadSession) {
    return `${this.messagePath(user, session.messageId)}/AttachmentSessions('${session.id}')?authtoken=${session.token}`;
  }

  /** The session a request's URL names; 404 when unknown or cancelled, 401 when the token is wrong or expired. */
  find(ctx: RequestContext): UploadSession {
    const id = /^AttachmentSessions\('([^']+)'\)$/.exec(ctx.params.session || '')?.[1];
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) throw new GraphError(404, 'ErrorItemNotFound', 'The upload session was not found.');
    if (ctx.query.get('authtoken') !== session.token || session.expires <= Date.now()) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'The authentication token in the upload URL is not valid or has expired.');
    }
    return session;
  }

  delete(id: string) {
    return this.sessions.delete(id);
  }
}

function progress(session: UploadSession) {
  return { ExpirationDateTime: graphDate(session.expires), nextExpectedRanges: [session.next ? String(session.next) : '0-'] };
}

function parseRange(header: string | undefined) {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((header || '').trim());
  if (!m) throw new GraphError(400, 'BadRequest', "The Content-Range header is missing or malformed (expected 'bytes {start}-{end}/{total}').");
  return { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) };
}

async function upload(ctx: RequestContext, state: SandboxState, sessions: UploadSessions, session: UploadSession) {
  const read = await readLimited(ctx.req, REQUEST_LIMIT);
  if (read.tooLarge) throw requestTooLarge();
  const range = parseRange(ctx.req.headers['content-range'] as string | undefined);
  if (range.total !== session.size) throw new GraphError(400, 'BadRequest', `The total in Content-Range (${range.total}) is not the size of the upload session (${session.size}).`);
  if (range.start !== session.next || range.end < range.start || range.end >= session.size) {
    throw new GraphError(416, 'ErrorInvalidRange', `The range ${range.start}-${range.end} cannot be accepted: the next expected byte is ${session.next}.`);
  }
  if (read.body.length !== range.end - range.start + 1) {
    throw new GraphError(400, 'BadRequest', `The request carries ${read.body.length} bytes for a range of ${range.end - range.start + 1}.`);
  }
  session.chunks.push(read.body);
  session.next = range.end + 1;
  if (session.next < session.size) return { done: false as const };
  sessions.delete(session.id);
  const mailbox = state.mailbox(session.email);
  if (!mailbox) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const draft = requireDraft(mailbox, session.messageId);
  const added = await addAttachment(mailbox, draft, {
    filename: session.name,
    contentType: session.contentType,
    content: Buffer.concat(session.chunks),
    cid: session.contentId,
    inline: session.isInline,
  });
  return { done: true as const, ...added };
}

/** PUT / GET / DELETE on the upload URLs: counted and open to fault rules, not throttled (they are not Graph requests). */
export function mountUploadUrls(router: Router, state: SandboxState, sessions: UploadSessions) {
  const route = (method: string, operation: string, handler: (ctx: RequestContext, session: UploadSession, r: ReturnType<typeof responder>) => Promise<void> | void) =>
    router.on(method, '/api/v2.0/:user/:message/:session', async (ctx) => {
      const r = responder(ctx);
      ctx.operation = operation;
      state.counters.count(operation);
      try {
        const session = sessions.find(ctx);
        ctx.user = state.findUser(session.email);
        if (await applyFaults(ctx, state, 'microsoft', faultErrorBody)) return;
        await handler(ctx, session, r);
      } catch (err) {
        r.fail(err);
      }
    });

  route('PUT', 'outlook.attachmentSessions.upload', async (ctx, session, r) => {
    const result = await upload(ctx, state, sessions, session);
    if (!result.done) return r.json(200, { '@odata.context': `${sessions.baseUrl}/api/v2.0/$metadata#Users('${ctx.params.user}')/Messages/AttachmentSessions/$entity`, ...progress(session) });
    const user = state.findUser(session.email) as SandboxUser;
    r.send(201, '', { location: `${sessions.messagePath(user, session.messageId)}/Attachments('${attachmentId(result.state.id, result.index)}')`, 'content-length': '0' });
  });
  route('GET', 'outlook.attachmentSessions.get', (_ctx, session, r) => r.json(200, progress(session)));
  route('DELETE', 'outlook.attachmentSessions.delete', (_ctx, session, r) => {
    sessions.delete(session.id);
    r.send(204);
  });
}
