// The folder list is small and always complete (listFolders returns every folder), so it is
// mirrored as a whole: new folders added, changed ones updated, vanished ones removed.
import type { Database, Transaction } from '@nocobase/database';
import { FOLDER_KINDS, type FolderKind } from '../../shared/folders';
import type { RemoteFolder } from '../providers/sync-types';
import { bulkUpsert, modelOf, slices, type Row } from './ingest-db';
import { MAX_ID_LENGTH, type AccountId } from './ingest-rows';

export interface FolderCounts {
  added: number;
  updated: number;
  deleted: number;
}

const KINDS = new Set<string>(FOLDER_KINDS);

function folderRow(accountId: AccountId, folder: RemoteFolder) {
  return {
    accountId,
    remoteId: folder.remoteId,
    name: String(folder.name ?? '').replace(/\0/g, ''),
    kind: (KINDS.has(folder.kind) ? folder.kind : 'custom') as FolderKind,
    parentRemoteId: folder.parentRemoteId || null,
  };
}

export async function mirrorFolders(db: Database, accountId: AccountId, folders: RemoteFolder[], transaction: Transaction): Promise<FolderCounts> {
  const incoming = new Map<string, ReturnType<typeof folderRow>>();
  for (const folder of folders) {
    if (folder?.remoteId && folder.remoteId.length <= MAX_ID_LENGTH) incoming.set(folder.remoteId, folderRow(accountId, folder));
  }
  // No folders at all is a provider hiccup, not a mailbox without folders: keep what we have.
  if (!incoming.size) return { added: 0, updated: 0, deleted: 0 };

  const model = modelOf(db, 'mailFolders');
  const existing = new Map<string, Row>();
  for (const row of (await model.findAll({ attributes: ['remoteId', 'name', 'kind', 'parentRemoteId'], where: { accountId }, raw: true, transaction })) as Row[]) {
    existing.set(String(row.remoteId), row);
  }
  const writes: Row[] = [];
  let added = 0;
  for (const row of incoming.values()) {
    const before = existing.get(row.remoteId);
    if (!before) added++;
    else if (before.name === row.name && before.kind === row.kind && (before.parentRemoteId ?? null) === row.parentRemoteId) continue;
    writes.push(row);
  }
  await bulkUpsert(db, 'mailFolders', writes, ['accountId', 'remoteId'], ['name', 'kind', 'parentRemoteId'], transaction);
  const gone = [...existing.keys()].filter((id) => !incoming.has(id));
  for (const slice of slices(gone)) await model.destroy({ where: { accountId, remoteId: slice }, transaction });
  return { added, updated: writes.length - added, deleted: gone.length };
}
