// Messages as the adapters hand them to ingest: raw MIME built by nodemailer's MailComposer or
// taken from the sandbox's generated mailboxes (the same bytes its Gmail emulator serves), and
// Graph-like parsed fields.
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { createState } from '../../../sandbox/core/state';
import type { Mailbox, MessageState } from '../../../sandbox';
import type { RemoteMessage } from '../../../src/server/providers/sync-types';

type Remote = Omit<RemoteMessage, 'raw' | 'parsed'>;

export function compose(mail: Mail.Options, { keepBcc = false } = {}): Promise<Buffer> {
  const node = new MailComposer(mail).compile();
  // MailComposer leaves Bcc out unless asked; a mail client keeps it in its own sent copy.
  node.keepBcc = keepBcc;
  return node.build();
}

let seq = 0;
/** Mailbox state for a test message; unique ids unless given. */
export function remote(overrides: Partial<Remote> = {}): Remote {
  seq += 1;
  return {
    remoteId: `msg-${seq}`,
    threadKey: `thread-${seq}`,
    folderIds: ['INBOX'],
    read: false,
    starred: false,
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, seq)),
    ...overrides,
  };
}

export async function rawMessage(mail: Mail.Options, overrides: Partial<Remote> = {}): Promise<RemoteMessage> {
  return { ...remote(overrides), raw: await compose(mail) };
}

export function rawBytes(text: string, overrides: Partial<Remote> = {}): RemoteMessage {
  return { ...remote(overrides), raw: Buffer.from(text, 'latin1') };
}

/** What Graph hands over with $select: fields, HTML body, bodyPreview. */
export function graphMessage(parsed: Partial<NonNullable<RemoteMessage['parsed']>> = {}, overrides: Partial<Remote> = {}): RemoteMessage {
  return {
    ...remote(overrides),
    parsed: { subject: 'Graph message', to: [], cc: [], bcc: [], replyTo: [], attachments: [], ...parsed },
  };
}

/** The sandbox's generated mailbox (no HTTP needed: the emulators serve these same bytes). */
export function sandboxMailbox(seed: number, size: number, email = 'alice@example.com'): Mailbox {
  const mailbox = createState({ seed, size }).mailbox(email);
  if (!mailbox) throw new Error(`no sandbox mailbox ${email}`);
  return mailbox;
}

/** Folder ids as the Gmail adapter reports them: labels minus UNREAD/STARRED/IMPORTANT/CATEGORY_*. */
export function sandboxFolderIds(mailbox: Mailbox, state: MessageState): string[] {
  return mailbox.gmailLabels(state).filter((l) => !/^(UNREAD|STARRED|IMPORTANT|CATEGORY_)/.test(l));
}

export async function sandboxMessage(mailbox: Mailbox, state: MessageState): Promise<RemoteMessage> {
  return {
    remoteId: state.id,
    threadKey: state.threadId,
    folderIds: sandboxFolderIds(mailbox, state),
    read: state.read,
    starred: state.starred,
    receivedAt: new Date(state.date),
    raw: await mailbox.raw(state.id),
  };
}
