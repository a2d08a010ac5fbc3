// From what the composer holds (ComposerDraft) to the send contract (shared/send.ts): the
// request body of mailOutbox:send and mailDrafts:save, the idempotency key's life, and the
// attachment size arithmetic the composer shows and enforces.
import type { ComposeInput, DraftDTO, SendRequest, SendResponse } from '../../shared/send';
import type { ComposerDraft } from './compose';

/** One key per message the user means to send (a UUID, 8–100 characters as the contract asks). */
export function newIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The key of one composer session. It stays the same across a double click, a network retry
 * or a server error without an answer (the server then answers the rows it already made), and
 * changes only after the server said the message failed: a second Send is then a new attempt.
 */
export class SendKey {
  private key = newIdempotencyKey();

  get current() {
    return this.key;
  }

  /** After an answer: a failed message gets a fresh key for the user's next try. */
  settle(response: SendResponse) {
    if (response.items.length && response.items.every((item) => item.status === 'failed')) this.key = newIdempotencyKey();
  }
}

/** Per-recipient sending applies to more than one address; one address is a normal send. */
export function isPerRecipient(draft: Pick<ComposerDraft, 'perRecipient' | 'to'>) {
  return !!draft.perRecipient && draft.to.length > 1;
}

/** The contract's ComposeInput (the body of mailDrafts:save and the core of mailOutbox:send). */
export function composeInput(draft: ComposerDraft): ComposeInput {
  const perRecipient = isPerRecipient(draft);
  return {
    accountId: draft.accountId as number | string,
    mode: draft.mode,
    sourceMessageId: draft.source?.id ?? null,
    to: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
    subject: draft.subject ?? '',
    html: draft.html ?? '',
    uploads: (draft.uploads ?? []).map((upload) => upload.id),
    forwarded: draft.attachments.map(({ attachment }) => ({ remoteId: attachment.remoteId })),
    ...(perRecipient ? { perRecipient: true } : {}),
  };
}

export function sendRequest(draft: ComposerDraft, idempotencyKey: string): SendRequest {
  return { ...composeInput(draft), idempotencyKey, draftId: draft.draftId ?? null };
}

/** A saved draft back in the composer: its content, uploads, account and forwarded files. */
export function draftFromSaved(saved: DraftDTO): ComposerDraft {
  const info = new Map((saved.forwardedInfo ?? []).map((a) => [a.remoteId, a]));
  const sourceId = saved.sourceMessageId ?? undefined;
  return {
    mode: saved.mode,
    accountId: saved.accountId,
    to: saved.to ?? [],
    cc: saved.cc ?? [],
    bcc: saved.bcc ?? [],
    subject: saved.subject ?? '',
    html: saved.html ?? (saved.text ? saved.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>') : ''),
    source: sourceId !== undefined ? { id: sourceId } : undefined,
    attachments: (saved.forwarded ?? []).map(({ remoteId }) => ({
      messageId: sourceId as number | string,
      attachment: info.get(remoteId) ?? { remoteId, filename: remoteId, contentType: 'application/octet-stream', size: 0, inline: false },
    })),
    uploads: saved.uploadsInfo ?? [],
    perRecipient: saved.perRecipient,
    draftId: saved.id,
  };
}

/** The bytes a message carries: forwarded originals plus uploads (finished or on their way). */
export function attachmentTotal(forwarded: Array<{ size: number }>, uploads: Array<{ size: number }>) {
  return [...forwarded, ...uploads].reduce((sum, file) => sum + (file.size || 0), 0);
}

/**
 * Which of `files` fit, in order, under `limit` on top of `total`; the rest are refused
 * before anything is uploaded.
 */
export function splitByLimit<F extends { size: number }>(files: F[], total: number, limit: number) {
  const accepted: F[] = [];
  const refused: F[] = [];
  let running = total;
  for (const file of files) {
    if (running + file.size > limit) refused.push(file);
    else {
      accepted.push(file);
      running += file.size;
    }
  }
  return { accepted, refused };
}
