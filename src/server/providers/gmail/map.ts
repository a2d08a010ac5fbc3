// Gmail's labels and messages in the port's words. Gmail has labels, not folders: the system
// labels INBOX, SENT, DRAFT, SPAM and TRASH play the folders, user labels are `custom` folders, and
// a message with none of the system ones is archived ("All Mail" only). The port wants archive
// to be a folder too, so it is the synthetic ARCHIVE below. UNREAD and STARRED are flags;
// IMPORTANT and the CATEGORY_* tabs are Gmail's sorting, not places.
import type { gmail_v1 } from '@googleapis/gmail';
import type { FolderKind } from '../../../shared/folders';
import type { RemoteFlagChange, RemoteFolder, RemoteMessage } from '../sync-types';
import { parsedFromPayload } from './payload';

/** Not a Gmail label: the folder of messages that have no system folder label. */
export const ARCHIVE_FOLDER_ID = 'ARCHIVE';

const SYSTEM_FOLDERS: Record<string, { kind: FolderKind; name: string }> = {
  INBOX: { kind: 'inbox', name: 'Inbox' },
  SENT: { kind: 'sent', name: 'Sent' },
  DRAFT: { kind: 'drafts', name: 'Drafts' },
  SPAM: { kind: 'spam', name: 'Spam' },
  TRASH: { kind: 'trash', name: 'Trash' },
};
const FOLDER_ORDER = ['INBOX', 'SENT', 'DRAFT', ARCHIVE_FOLDER_ID, 'SPAM', 'TRASH'];

/** Labels that say something about a message but not where it is. CHAT is kept out altogether (see isChat). */
function isFolderLabel(id: string): boolean {
  return !(id === 'UNREAD' || id === 'STARRED' || id === 'IMPORTANT' || id === 'CHAT' || id.startsWith('CATEGORY_'));
}

/**
 * Hangouts-era chat transcripts live in the mailbox with the CHAT label. They are not mail and
 * have no MIME worth showing, so the adapter leaves them out of every page.
 */
export function isChat(labelIds: readonly string[] | null | undefined): boolean {
  return Boolean(labelIds?.includes('CHAT'));
}

export function folderIdsOf(labelIds: readonly string[]): string[] {
  const folders = labelIds.filter(isFolderLabel);
  if (!folders.some((id) => id in SYSTEM_FOLDERS)) folders.push(ARCHIVE_FOLDER_ID);
  return folders;
}

/** read / starred / folderIds from a message's complete label set. */
export function stateOf(labelIds: readonly string[] | null | undefined): Required<Omit<RemoteFlagChange, 'remoteId'>> {
  const labels = labelIds ?? [];
  return { read: !labels.includes('UNREAD'), starred: labels.includes('STARRED'), folderIds: folderIdsOf(labels) };
}

/**
 * labels.list as folders: the system folders, the synthetic archive, and user labels. Gmail
 * nests user labels by name ("Work/Clients"); the child is named by its last segment under its
 * parent when the parent label exists, and keeps its full name otherwise.
 */
export function foldersFromLabels(labels: gmail_v1.Schema$Label[]): RemoteFolder[] {
  const system: RemoteFolder[] = [{ remoteId: ARCHIVE_FOLDER_ID, name: 'Archive', kind: 'archive' }];
  const user = labels.filter((l) => l.id && l.type === 'user' && l.name);
  const idByName = new Map(user.map((l) => [l.name as string, l.id as string]));
  for (const label of labels) {
    const known = label.id ? SYSTEM_FOLDERS[label.id] : undefined;
    if (known) system.push({ remoteId: label.id as string, ...known });
  }
  system.sort((a, b) => FOLDER_ORDER.indexOf(a.remoteId) - FOLDER_ORDER.indexOf(b.remoteId));
  const custom = user
    .map((label): RemoteFolder => {
      const name = label.name as string;
      const slash = name.lastIndexOf('/');
      const parent = slash > 0 ? idByName.get(name.slice(0, slash)) : undefined;
      return parent
        ? { remoteId: label.id as string, name: name.slice(slash + 1), kind: 'custom', parentRemoteId: parent }
        : { remoteId: label.id as string, name, kind: 'custom' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return [...system, ...custom];
}

/**
 * A messages.get answer as a RemoteMessage: format=full read from its part tree (payload.ts),
 * format=raw from its MIME (`raw` when batch.ts already decoded it, else message.raw).
 * Undefined for chats and incomplete answers; 'raw' for a full answer whose tree cannot say
 * everything (payload.ts), which the caller reads again as format=raw.
 */
export function messageFromGmail(message: gmail_v1.Schema$Message, raw?: Buffer): RemoteMessage | 'raw' | undefined {
  if (!message.id || isChat(message.labelIds)) return undefined;
  const hasRaw = Boolean(raw?.length || message.raw);
  if (!hasRaw && !message.payload) return undefined;
  const internal = Number(message.internalDate);
  const known = {
    remoteId: message.id,
    // Gmail messages are immutable: only their labels change (flags and folders, compared apart).
    contentTag: `gmail:${message.id}`,
    threadKey: message.threadId || message.id,
    ...stateOf(message.labelIds),
    receivedAt: new Date(Number.isFinite(internal) && internal > 0 ? internal : Date.now()),
  };
  // Gmail sends URL-safe base64 with padding; Node's base64url decoder takes both forms.
  if (hasRaw) return { ...known, raw: raw?.length ? raw : Buffer.from(message.raw as string, 'base64url') };
  const parsed = parsedFromPayload(message.payload, message.sizeEstimate);
  return parsed ? { ...known, parsed } : 'raw';
}
