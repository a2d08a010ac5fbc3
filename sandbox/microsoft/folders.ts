// Folder lookup and Graph mailFolder JSON. Well-known names (inbox, sentitems, …) work wherever
// a folder id does; `msgfolderroot` is the synthetic parent of the top-level folders.
import { createHash } from 'node:crypto';
import type { Folder, Mailbox } from '../core/types';
import { notFound } from './errors';

export const ROOT_NAME = 'msgfolderroot';

export function rootFolderId(mailbox: Mailbox) {
  return 'AAMkADI1AAA' + createHash('sha1').update(`root|${mailbox.user.email}`).digest('base64url').slice(0, 24) + 'AAE=';
}

export function findFolder(mailbox: Mailbox, idOrName: string): Folder | undefined {
  const lower = idOrName.toLowerCase();
  return mailbox.folders.find((f) => f.id === idOrName) || mailbox.folders.find((f) => f.wellKnownName === lower);
}

/** A folder or the root; throws Graph's 404 otherwise. */
export function resolveFolder(mailbox: Mailbox, idOrName: string): Folder | 'root' {
  if (idOrName.toLowerCase() === ROOT_NAME || idOrName === rootFolderId(mailbox)) return 'root';
  const folder = findFolder(mailbox, idOrName);
  if (!folder) throw notFound();
  return folder;
}

export function requireFolder(mailbox: Mailbox, idOrName: string): Folder {
  const folder = resolveFolder(mailbox, idOrName);
  if (folder === 'root') throw notFound();
  return folder;
}

export function folderOfKind(mailbox: Mailbox, kind: Folder['kind']): Folder {
  const folder = mailbox.folders.find((f) => f.kind === kind);
  if (!folder) throw new Error(`mailbox ${mailbox.user.email} has no ${kind} folder`);
  return folder;
}

export function childrenOf(mailbox: Mailbox, parent: Folder | 'root') {
  return mailbox.folders.filter((f) => (parent === 'root' ? !f.parentId : f.parentId === parent.id));
}

/** Item counts for every folder in one pass over the mailbox state. */
export function folderCounts(mailbox: Mailbox) {
  const counts = new Map<string, { total: number; unread: number; size: number }>();
  for (const m of mailbox.list({ includeSpamTrash: true })) {
    const c = counts.get(m.folderId) || { total: 0, unread: 0, size: 0 };
    c.total += 1;
    if (!m.read) c.unread += 1;
    c.size += m.size;
    counts.set(m.folderId, c);
  }
  return counts;
}

export function formatFolder(mailbox: Mailbox, folder: Folder, counts = folderCounts(mailbox)) {
  const c = counts.get(folder.id) || { total: 0, unread: 0, size: 0 };
  return {
    id: folder.id,
    displayName: folder.name,
    parentFolderId: folder.parentId || rootFolderId(mailbox),
    childFolderCount: mailbox.folders.filter((f) => f.parentId === folder.id).length,
    unreadItemCount: c.unread,
    totalItemCount: c.total,
    sizeInBytes: c.size,
    isHidden: false,
  };
}

export function formatRoot(mailbox: Mailbox) {
  return {
    id: rootFolderId(mailbox),
    displayName: 'Top of Information Store',
    parentFolderId: 'AAMkADI1AAA' + createHash('sha1').update(`ipm|${mailbox.user.email}`).digest('base64url').slice(0, 24) + 'AAE=',
    childFolderCount: childrenOf(mailbox, 'root').length,
    unreadItemCount: 0,
    totalItemCount: 0,
    sizeInBytes: 0,
    isHidden: false,
  };
}
