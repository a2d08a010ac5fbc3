// users.labels: list, get (with counts), create. System labels are listed as Gmail lists them;
// counts appear on labels.get only, as in Gmail.
import type { Folder, Mailbox, Router, SandboxState } from '../core/types';
import { badRequest, notFound, sendGoogleError } from './errors';
import { gmailMethod } from './gmail-route';

interface SystemLabel {
  id: string;
  hidden?: boolean;
}

/** Gmail's system labels; the hidden ones carry messageListVisibility/labelListVisibility "hide". */
const SYSTEM_LABELS: SystemLabel[] = [
  { id: 'CHAT', hidden: true },
  { id: 'SENT' },
  { id: 'INBOX' },
  { id: 'IMPORTANT', hidden: true },
  { id: 'TRASH', hidden: true },
  { id: 'DRAFT', hidden: true },
  { id: 'SPAM', hidden: true },
  { id: 'CATEGORY_FORUMS' },
  { id: 'CATEGORY_UPDATES' },
  { id: 'CATEGORY_PERSONAL' },
  { id: 'CATEGORY_PROMOTIONS' },
  { id: 'CATEGORY_SOCIAL' },
  { id: 'STARRED' },
  { id: 'UNREAD' },
];

function systemLabel(label: SystemLabel) {
  return {
    id: label.id,
    name: label.id,
    ...(label.hidden ? { messageListVisibility: 'hide', labelListVisibility: 'labelHide' } : {}),
    type: 'system',
  };
}

function userLabel(folder: Folder) {
  return { id: folder.id, name: folder.name, messageListVisibility: 'show', labelListVisibility: 'labelShow', type: 'user' };
}

function userLabels(mailbox: Mailbox) {
  return mailbox.folders.filter((f) => f.kind === 'custom');
}

function counts(mailbox: Mailbox, id: string) {
  const messages = mailbox.list({ labelIds: [id], includeSpamTrash: true });
  const threads = new Set(messages.map((m) => m.threadId));
  const unreadThreads = new Set(messages.filter((m) => !m.read).map((m) => m.threadId));
  return {
    messagesTotal: messages.length,
    messagesUnread: messages.filter((m) => !m.read).length,
    threadsTotal: threads.size,
    threadsUnread: unreadThreads.size,
  };
}

export function mountLabels(router: Router, state: SandboxState) {
  const on = gmailMethod(router, state);

  on('GET', '/labels', 'gmail.users.labels.list', 'labels', (call) => {
    call.ok({ labels: [...SYSTEM_LABELS.map(systemLabel), ...userLabels(call.mailbox).map(userLabel)] });
  });

  on('GET', '/labels/:id', 'gmail.users.labels.get', 'labels', (call) => {
    const id = call.ctx.params.id;
    const system = SYSTEM_LABELS.find((l) => l.id === id);
    const folder = userLabels(call.mailbox).find((f) => f.id === id);
    if (!system && !folder) return notFound(call.ctx);
    call.ok({ ...(system ? systemLabel(system) : userLabel(folder as Folder)), ...counts(call.mailbox, id) });
  });

  on('POST', '/labels', 'gmail.users.labels.create', 'labelsWrite', async (call) => {
    const body = await call.json<{ name?: string }>();
    if (!body) return;
    const name = (body.name || '').trim();
    if (!name) return badRequest(call.ctx, 'Invalid label name');
    const taken = [...SYSTEM_LABELS.map((l) => l.id), ...userLabels(call.mailbox).map((f) => f.name)].some((n) => n.toLowerCase() === name.toLowerCase());
    if (taken) return sendGoogleError(call.ctx, 409, 'Label name exists or conflicts', { reason: 'duplicate' });
    call.ok(userLabel(call.mailbox.addFolder({ name })));
  });
}
