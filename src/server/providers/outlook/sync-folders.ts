// The mailbox's folder tree and what each folder is. Graph v1.0 has no wellKnownName on a
// mailFolder (that property is beta only): a well-known folder is found by asking for it by
// name (`/me/mailFolders/inbox`), which answers with its id. The six names the plugin has
// kinds for go in one $batch; everything else is `custom`.
import type { FolderKind } from '../../../shared/folders';
import type { RemoteFolder } from '../sync-types';
import { batchGet } from './graph-batch';
import type { GraphSession } from './graph-session';

export interface GraphFolder {
  id: string;
  displayName?: string | null;
  parentFolderId?: string | null;
  childFolderCount?: number | null;
  totalItemCount?: number | null;
}

export interface ListedFolder extends RemoteFolder {
  /** Messages in the folder now, for first-sync progress. */
  totalItemCount: number;
}

interface FolderPage {
  value?: GraphFolder[];
  '@odata.nextLink'?: string;
}

const WELL_KNOWN: [string, FolderKind][] = [
  ['inbox', 'inbox'],
  ['sentitems', 'sent'],
  ['drafts', 'drafts'],
  ['junkemail', 'spam'],
  ['deleteditems', 'trash'],
  ['archive', 'archive'],
];

const FOLDER_SELECT = 'id,displayName,parentFolderId,childFolderCount,totalItemCount';
/** Graph pages folders by 10 unless asked; 100 keeps most mailboxes to one request per level. */
const FOLDER_PAGE = 100;
/** Outlook nests folders at most a few levels in practice; this only stops a malformed loop. */
const MAX_DEPTH = 16;

/** First sync order: what the user looks at first, then the rest, junk and bin last. */
const SYNC_RANK: Record<FolderKind, number> = { inbox: 0, sent: 1, archive: 2, custom: 3, starred: 3, drafts: 4, spam: 5, trash: 6 };

async function listLevel(graph: GraphSession, path: string): Promise<GraphFolder[]> {
  const out: GraphFolder[] = [];
  let page = await graph.get<FolderPage>(`${path}?$top=${FOLDER_PAGE}&$select=${FOLDER_SELECT}`);
  out.push(...(page.value || []));
  while (page['@odata.nextLink']) {
    page = await graph.get<FolderPage>(page['@odata.nextLink']);
    out.push(...(page.value || []));
  }
  return out;
}

/** Folders depth first (a parent before its children), each with its parent's id. */
async function subtree(graph: GraphSession, parent: GraphFolder | undefined, depth: number): Promise<(GraphFolder & { parentRemoteId?: string })[]> {
  const path = parent ? `/me/mailFolders/${encodeURIComponent(parent.id)}/childFolders` : '/me/mailFolders';
  const level = await listLevel(graph, path);
  // Sibling subtrees are listed concurrently; the pacer keeps that within the mailbox's 4.
  const children = await Promise.all(level.map((f) => ((f.childFolderCount ?? 0) > 0 && depth < MAX_DEPTH ? subtree(graph, f, depth + 1) : [])));
  return level.flatMap((f, i) => [{ ...f, parentRemoteId: parent?.id }, ...children[i]]);
}

/** Folder id → kind for the well-known folders this mailbox has. */
async function wellKnownKinds(graph: GraphSession, concurrency: number): Promise<Map<string, FolderKind>> {
  const answers = await batchGet(
    graph,
    WELL_KNOWN.map(([name]) => ({ key: name, url: `/me/mailFolders/${name}?$select=id` })),
    concurrency,
  );
  const kinds = new Map<string, FolderKind>();
  for (const [name, kind] of WELL_KNOWN) {
    const id = (answers.get(name) as { id?: string } | undefined)?.id;
    if (id && !kinds.has(id)) kinds.set(id, kind);
  }
  return kinds;
}

/** Every mail folder with its kind and parent, depth first. */
export async function listMailFolders(graph: GraphSession, concurrency: number, withKinds = true): Promise<ListedFolder[]> {
  const [tree, kinds] = await Promise.all([subtree(graph, undefined, 0), withKinds ? wellKnownKinds(graph, concurrency) : new Map<string, FolderKind>()]);
  return tree.map((f) => ({
    remoteId: f.id,
    name: f.displayName || '',
    kind: kinds.get(f.id) ?? 'custom',
    parentRemoteId: f.parentRemoteId,
    totalItemCount: f.totalItemCount ?? 0,
  }));
}

/** Inbox first, then sent, archive, custom folders (tree order), drafts, junk, deleted items. */
export function syncOrder<T extends { kind: FolderKind }>(folders: T[]): T[] {
  return folders
    .map((folder, index) => ({ folder, index }))
    .sort((a, b) => SYNC_RANK[a.folder.kind] - SYNC_RANK[b.folder.kind] || a.index - b.index)
    .map((x) => x.folder);
}
