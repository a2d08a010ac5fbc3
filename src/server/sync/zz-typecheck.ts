import type { SyncDeps } from './runner';
import { ingestPage, upsertFolders } from './ingest';
export const check: SyncDeps['ingest'] = { ingestPage, upsertFolders };
