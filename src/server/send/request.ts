// A send or draft request, checked: every field the client sent, parsed into what the outbox
// stores, with a clear 400/404/413 naming what is wrong. Nothing is stored or sent before this
// has passed.
import type { Database, Model } from '@nocobase/database';
import { MAIL_ERRORS, type MailAttachmentDTO } from '../../shared/mail';
import { SEND_ERRORS, type ComposeInput, type ComposeMode, type MailUploadDTO } from '../../shared/send';
import { parseId } from '../accounts/store';
import { MailApiError } from '../errors';
import type { OutgoingAddress } from '../providers/send-types';
import { parseRecipients } from './addresses';
import { tooLarge, type Uploads } from './uploads';

const MODES: ComposeMode[] = ['new', 'reply', 'replyAll', 'forward'];
const MAX_SUBJECT = 998;
const MAX_BODY = 5 * 1024 * 1024;

export interface ForwardedFile {
  remoteId: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface CheckedMessage {
  account: Model;
  mode: ComposeMode;
  source?: Model;
  to: OutgoingAddress[];
  cc: OutgoingAddress[];
  bcc: OutgoingAddress[];
  subject: string;
  html?: string;
  text?: string;
  uploads: MailUploadDTO[];
  forwarded: ForwardedFile[];
  perRecipient: boolean;
}

export interface SendLimits {
  maxAttachmentBytes: number;
  maxBulkRecipients: number;
}

export function invalid(field: string, message: string): MailApiError {
  return new MailApiError(SEND_ERRORS.INVALID, message, 400, field);
}

function optionalString(values: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = values[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${field} must be text.`);
  if (value.length > max) throw invalid(field, `${field} is too long.`);
  return value;
}

/** The user's own account to send from: 404 for anyone else's (the all-mail grant never sends). */
export async function ownAccount(db: Database, userId: string, id: unknown): Promise<Model> {
  const key = parseId(id);
  const row = key ? await db.getRepository('mailAccounts').findOne({ filter: { id: key, userId } }) : null;
  if (!row) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such mail account.', 404, 'accountId');
  return row;
}

/** The message answered or forwarded, from the same account. */
async function sourceMessage(db: Database, account: Model, id: unknown): Promise<Model> {
  const key = parseId(id);
  const row = key ? await db.getRepository('mailMessages').findOne({ filter: { id: key, accountId: account.get('id') as string } }) : null;
  if (!row) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'The message to answer or forward is not in this account (any more).', 404, 'sourceMessageId');
  return row;
}

function forwardedFiles(source: Model | undefined, refs: unknown): ForwardedFile[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs) || refs.some((r) => !r || typeof (r as { remoteId?: unknown }).remoteId !== 'string')) {
    throw invalid('forwarded', 'forwarded must be a list of { remoteId }.');
  }
  if (!refs.length) return [];
  if (!source) throw invalid('forwarded', 'forwarded needs the sourceMessageId of the message forwarded.');
  const stored = ((source.get('attachments') as MailAttachmentDTO[] | null) ?? []).filter((a) => !a.inline);
  return [...new Set((refs as { remoteId: string }[]).map((r) => r.remoteId))].map((remoteId) => {
    const found = stored.find((a) => a.remoteId === remoteId);
    if (!found) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'An attachment to forward is not in the original message.', 404, 'forwarded');
    return { remoteId, filename: found.filename, contentType: found.contentType, size: found.size };
  });
}

/**
 * Checks a send (`strict`) or a draft (recipients and limits not yet enforced: a draft may be
 * unfinished). Throws MailApiError.
 */
export async function checkMessage(db: Database, uploads: Uploads, userId: string, raw: unknown, limits: SendLimits, strict: boolean): Promise<CheckedMessage> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('values', 'values must be an object.');
  const values = raw as Record<string, unknown> & Partial<ComposeInput>;
  const account = await ownAccount(db, userId, values.accountId);
  const mode = (values.mode ?? 'new') as ComposeMode;
  if (!MODES.includes(mode)) throw invalid('mode', `mode must be one of ${MODES.join(', ')}.`);
  const hasSource = values.sourceMessageId !== undefined && values.sourceMessageId !== null && values.sourceMessageId !== '';
  if (mode !== 'new' && !hasSource && strict) throw invalid('sourceMessageId', `A ${mode} needs the sourceMessageId of the message it answers.`);
  const source = hasSource ? await sourceMessage(db, account, values.sourceMessageId) : undefined;
  const perRecipient = values.perRecipient === true;
  const recipients = (field: 'to' | 'cc' | 'bcc') => {
    if (strict) return parseRecipients(field, values[field]);
    const list = values[field];
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((e) => typeof e !== 'string'))) throw invalid(field, `${field} must be a list of addresses.`);
    return ((list as string[] | undefined) ?? []).map((address) => ({ address }));
  };
  const to = recipients('to');
  const cc = recipients('cc');
  const bcc = recipients('bcc');
  const subject = optionalString(values, 'subject', MAX_SUBJECT) ?? '';
  const html = optionalString(values, 'html', MAX_BODY);
  const text = optionalString(values, 'text', MAX_BODY);
  const files = await uploads.info(userId, values.uploads);
  const forwarded = mode === 'forward' || !strict ? forwardedFiles(source, values.forwarded) : [];
  const total = files.reduce((sum, f) => sum + f.size, 0) + forwarded.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxAttachmentBytes) throw tooLarge(limits.maxAttachmentBytes);
  if (strict) {
    if (!to.length && !cc.length && !bcc.length) throw new MailApiError(SEND_ERRORS.NO_RECIPIENTS, 'Add at least one recipient.', 400, 'to');
    if (perRecipient) {
      if (cc.length || bcc.length) throw invalid('cc', 'A message per recipient goes to the To addresses only; leave Cc and Bcc empty.');
      if (to.length > limits.maxBulkRecipients) {
        throw new MailApiError(SEND_ERRORS.TOO_MANY_RECIPIENTS, `A message per recipient may go to at most ${limits.maxBulkRecipients} recipients at once.`, 400, 'to');
      }
    }
  }
  return { account, mode, source, to, cc, bcc, subject, html, text, uploads: files, forwarded, perRecipient };
}
