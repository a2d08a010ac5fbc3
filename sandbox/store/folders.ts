// Folder sets per provider: Gmail system labels plus user labels; Graph well-known folders
// plus a custom folder with a child, as real mailboxes have.
import type { Folder, FolderKind, SandboxUser } from '../core/types';
import { LABEL_NAMES } from './corpus';
import { graphId } from './generate';

export function initialFolders(user: SandboxUser): Folder[] {
  if (user.provider === 'google') {
    return [
      { id: 'INBOX', name: 'INBOX', kind: 'inbox' },
      { id: 'SENT', name: 'SENT', kind: 'sent' },
      { id: 'DRAFT', name: 'DRAFT', kind: 'drafts' },
      { id: 'SPAM', name: 'SPAM', kind: 'spam' },
      { id: 'TRASH', name: 'TRASH', kind: 'trash' },
      { id: 'archive', name: 'All Mail', kind: 'archive' },
      ...LABEL_NAMES.map((name, i): Folder => ({ id: `Label_${i + 1}`, name, kind: 'custom' })),
    ];
  }
  const id = (name: string) => graphId('AAMkADI1AAA', user.email, 'folder', name) + 'AAA=';
  const projects = id('Projects');
  return [
    { id: id('Inbox'), name: 'Inbox', kind: 'inbox', wellKnownName: 'inbox' },
    { id: id('Sent Items'), name: 'Sent Items', kind: 'sent', wellKnownName: 'sentitems' },
    { id: id('Drafts'), name: 'Drafts', kind: 'drafts', wellKnownName: 'drafts' },
    { id: id('Junk Email'), name: 'Junk Email', kind: 'spam', wellKnownName: 'junkemail' },
    { id: id('Deleted Items'), name: 'Deleted Items', kind: 'trash', wellKnownName: 'deleteditems' },
    { id: id('Archive'), name: 'Archive', kind: 'archive', wellKnownName: 'archive' },
    { id: projects, name: 'Projects', kind: 'custom' },
    { id: id('Projects/2026'), name: '2026', kind: 'custom', parentId: projects },
  ];
}

/** The folder a planned message of `kind` lives in (custom: the n-th custom folder). */
export function folderFor(folders: Folder[], kind: FolderKind, label = 0): Folder {
  if (kind === 'custom') {
    const custom = folders.filter((f) => f.kind === 'custom');
    return custom[label % custom.length];
  }
  const found = folders.find((f) => f.kind === kind);
  if (!found) throw new Error(`no ${kind} folder`);
  return found;
}
