// Outlook's MailSender over Graph. A message whose MIME fits Graph's 4 MB request limit (as
// base64) goes in one sendMail call, exactly as built. A bigger one becomes a draft (a reply is
// created with createReply/createReplyAll, so Outlook keeps it in the conversation), its files
// are added (up to 3 MB inline in the request, bigger ones through an upload session in
// 320 KiB-aligned chunks, as Graph requires), and the draft is sent. A draft that fails before
// it is sent is deleted again; once /send was called it is never touched, whatever the answer.
import type { ProviderOptions } from '../../../shared/types';
import { sendOutcomeOf } from '../errors';
import type { MailSender, OutgoingAddress, OutgoingAttachment, OutgoingMail, SendOutcome, SentMail } from '../send-types';
import type { SyncSession } from '../sync-types';
import { GraphSession, graphErrorOf } from './graph-session';
import { classifyMicrosoftError } from './errors';
import { graphPacer, type GraphPacer } from './pacing';

/** Raw MIME up to this size fits sendMail's 4 MB request once base64-encoded. */
export const MIME_SEND_LIMIT = 3 * 1024 * 1024 - 64 * 1024;
/** Files up to this size go in the attachments request itself; bigger ones through an upload session. */
export const INLINE_ATTACHMENT_LIMIT = 3 * 1024 * 1024 - 64 * 1024;
/** Upload session chunks: a multiple of 320 KiB and under Graph's 4 MiB per request. */
export const UPLOAD_CHUNK = 320 * 1024 * 10;
/** Exchange Online's sending limit: 30 messages a minute per mailbox. */
export const OUTLOOK_SENDS_PER_MINUTE = 30;

const recipients = (list: OutgoingAddress[]) => list.map((a) => ({ emailAddress: a.name ? { name: a.name, address: a.address } : { address: a.address } }));
const message = (id: string) => `/me/messages/${encodeURIComponent(id)}`;

interface GraphDraft {
  id: string;
  conversationId?: string;
}

function draftContent(mail: OutgoingMail) {
  return {
    subject: mail.subject,
    body: { contentType: 'HTML', content: mail.html },
    toRecipients: recipients(mail.to),
    ccRecipients: recipients(mail.cc),
    bccRecipients: recipients(mail.bcc),
    internetMessageId: mail.messageId,
  };
}

function fileAttachment(a: OutgoingAttachment) {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: a.filename,
    contentType: a.contentType,
    contentBytes: a.content.toString('base64'),
    ...(a.contentId ? { isInline: true, contentId: a.contentId } : {}),
  };
}

export class OutlookSend implements MailSender {
  readonly perMinute = OUTLOOK_SENDS_PER_MINUTE;

  constructor(
    private readonly options: ProviderOptions,
    private readonly pacer: GraphPacer = graphPacer,
  ) {}

  private open(session: SyncSession): GraphSession {
    return GraphSession.open(this.options, this.pacer, session);
  }

  async send(session: SyncSession, mail: OutgoingMail): Promise<SentMail> {
    const graph = this.open(session);
    if (mail.raw.length <= MIME_SEND_LIMIT) {
      await graph.postText('/me/sendMail', mail.raw.toString('base64'));
      return {};
    }
    const draft = await this.createDraft(graph, mail);
    try {
      for (const attachment of mail.attachments) await this.attach(graph, draft.id, attachment, session.signal);
    } catch (err) {
      await graph.delete(message(draft.id)).catch(() => undefined);
      throw err;
    }
    await graph.post(`${message(draft.id)}/send`, {}, 1, 1);
    return { threadRemoteId: draft.conversationId };
  }

  classifySendError(err: unknown): SendOutcome {
    return sendOutcomeOf(err, classifyMicrosoftError(err));
  }

  private async createDraft(graph: GraphSession, mail: OutgoingMail): Promise<GraphDraft> {
    const answer = (mail.mode === 'reply' || mail.mode === 'replyAll') && mail.sourceRemoteId;
    if (!answer) return graph.post<GraphDraft>('/me/messages', draftContent(mail), 1, 1);
    const action = mail.mode === 'reply' ? 'createReply' : 'createReplyAll';
    const draft = await graph.post<GraphDraft>(`${message(mail.sourceRemoteId as string)}/${action}`, {}, 1, 1);
    try {
      // Our body already holds the quote; Graph's own quoted body and recipients are replaced.
      await graph.patch(message(draft.id), draftContent(mail));
    } catch (err) {
      await graph.delete(message(draft.id)).catch(() => undefined);
      throw err;
    }
    return draft;
  }

  private async attach(graph: GraphSession, draftId: string, attachment: OutgoingAttachment, signal?: AbortSignal) {
    if (attachment.content.length <= INLINE_ATTACHMENT_LIMIT) {
      await graph.post(`${message(draftId)}/attachments`, fileAttachment(attachment), 1, 1);
      return;
    }
    const item = {
      attachmentType: 'file',
      name: attachment.filename,
      size: attachment.content.length,
      contentType: attachment.contentType,
      ...(attachment.contentId ? { isInline: true, contentId: attachment.contentId } : {}),
    };
    const session = await graph.post<{ uploadUrl: string }>(`${message(draftId)}/attachments/createUploadSession`, { AttachmentItem: item }, 1, 1);
    await uploadChunks(session.uploadUrl, attachment.content, signal);
  }
}

/** PUTs the bytes to an upload session's URL (which carries its own authorization) chunk by chunk. */
async function uploadChunks(uploadUrl: string, content: Buffer, signal?: AbortSignal) {
  for (let start = 0; start < content.length; start += UPLOAD_CHUNK) {
    const chunk = content.subarray(start, Math.min(start + UPLOAD_CHUNK, content.length));
    const end = start + chunk.length - 1;
    const response = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Length': String(chunk.length), 'Content-Range': `bytes ${start}-${end}/${content.length}` },
      body: Uint8Array.from(chunk),
      signal,
    });
    if (!response.ok) {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key] = value;
      });
      throw graphErrorOf(response.status, await response.json().catch(() => undefined), headers);
    }
    await response.arrayBuffer().catch(() => undefined);
  }
}
