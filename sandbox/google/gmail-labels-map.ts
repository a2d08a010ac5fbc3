// Gmail label edits onto the store's one-folder-plus-flags model: INBOX, SPAM and TRASH are
// where a message lives, UNREAD and STARRED are flags, Label_… are user labels.
import type { Mailbox, MessageState } from '../core/types';

/** Labels Gmail has but the store does not model; accepted and ignored, as harmless. */
const IGNORED = new Set(['IMPORTANT', 'CHAT', 'SENT', 'DRAFT', 'CATEGORY_PERSONAL', 'CATEGORY_SOCIAL', 'CATEGORY_PROMOTIONS', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS']);

// Where a message was before it went to TRASH or SPAM, so untrash puts it back there.
const previousFolders = new WeakMap<Mailbox, Map<string, string>>();

function remember(mailbox: Mailbox, m: MessageState) {
  if (m.folderId === 'TRASH' || m.folderId === 'SPAM') return;
  let map = previousFolders.get(mailbox);
  if (!map) previousFolders.set(mailbox, (map = new Map()));
  map.set(m.id, m.folderId);
}

/** The folder a message goes back to when TRASH is taken off. */
export function restoreFolder(mailbox: Mailbox, m: MessageState): string {
  const previous = previousFolders.get(mailbox)?.get(m.id);
  if (previous && mailbox.folders.some((f) => f.id === previous)) return previous;
  return m.from.address.toLowerCase() === mailbox.user.email.toLowerCase() ? 'SENT' : 'INBOX';
}

export type LabelChange = Parameters<Mailbox['modify']>[1];

/** Turns addLabelIds/removeLabelIds into a store change, or names the first label Gmail would refuse. */
export function labelChange(mailbox: Mailbox, m: MessageState, add: string[] = [], remove: string[] = []): { change: LabelChange } | { invalid: string } {
  const userLabels = new Set(mailbox.folders.filter((f) => f.kind === 'custom').map((f) => f.id));
  const known = (id: string) => IGNORED.has(id) || userLabels.has(id) || ['INBOX', 'SPAM', 'TRASH', 'UNREAD', 'STARRED'].includes(id);
  const invalid = [...add, ...remove].find((id) => !known(id));
  if (invalid) return { invalid };
  const change: LabelChange = {};
  let folderId = m.folderId;
  // Removals first, so { remove: [INBOX], add: [TRASH] } ends in TRASH.
  for (const id of remove) {
    if (id === 'INBOX' && folderId === 'INBOX') folderId = 'archive';
    else if (id === 'TRASH' && folderId === 'TRASH') folderId = restoreFolder(mailbox, m);
    else if (id === 'SPAM' && folderId === 'SPAM') folderId = 'archive';
    else if (id === 'UNREAD') change.read = true;
    else if (id === 'STARRED') change.starred = false;
    else if (userLabels.has(id)) (change.removeLabels ??= []).push(id);
  }
  for (const id of add) {
    if (id === 'INBOX' || id === 'TRASH' || id === 'SPAM') {
      if (id !== 'INBOX') remember(mailbox, m);
      folderId = id;
    } else if (id === 'UNREAD') change.read = false;
    else if (id === 'STARRED') change.starred = true;
    else if (userLabels.has(id)) (change.addLabels ??= []).push(id);
  }
  if (folderId !== m.folderId) change.folderId = folderId;
  return { change };
}

export function moveToTrash(mailbox: Mailbox, m: MessageState) {
  remember(mailbox, m);
  return mailbox.modify(m.id, { folderId: 'TRASH' });
}
