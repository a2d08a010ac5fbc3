// A second NocoBase instance on the database another one already installed: what a new node of
// a cluster, or a restarted process, does. It loads the same plugins and starts, but neither
// installs nor cleans (either would wipe the first instance's data).
import { createMockServer, type MockServer } from '@nocobase/test';
import type { Services } from '../../../src/server/services';
import { SyncRunner } from '../../../src/server/sync/runner';
import { Leases } from '../../../src/server/sync/lease';
import { ingestPage, upsertFolders } from '../../../src/server/sync/ingest';
import { PluginEmailManagerServer, plugin } from './app';

export async function bootInstance({ inProcess = false } = {}): Promise<MockServer> {
  return createMockServer({
    acl: true,
    skipInstall: true,
    // A second app of the same name in one process must stay out of the process-wide app
    // supervisor (it would replace the first there). The name stays: it locates the AES key
    // that decrypts the tokens the first instance stored, as a shared key does in a cluster.
    skipSupervisor: inProcess,
    // Same plugins as bootApp(); the schedule stays off: the caller decides when to sync.
    plugins: ['field-sort', 'users', 'auth', 'acl', 'data-source-manager', [PluginEmailManagerServer, { name: 'email-manager', syncSchedule: false }]],
  });
}

export interface RunnerOptions {
  nodeId: string;
  pageSize?: number;
  /** Lease time-to-live; production uses LEASE_TTL_MS. */
  leaseTtlMs?: number;
}

/** The plugin's SyncRunner, built from the instance's own services, with a node id of its own. */
export function runnerOf(app: MockServer, { nodeId, pageSize, leaseTtlMs }: RunnerOptions): SyncRunner {
  const s: Services = plugin(app).services;
  return new SyncRunner({
    db: app.db,
    log: s.log,
    leases: new Leases(app.db, leaseTtlMs),
    nodeId,
    adapterFor: async (name) => (await s.settings.ready(name, { forLinking: false })).adapter,
    accessToken: (id, options) => s.tokens.getAccessToken(id, options),
    ingest: { ingestPage, upsertFolders },
    pageSize,
  });
}
