// mailMessages:setRead. The local change comes first, in one transaction with the recount of
// the threads it touched (so the list and the badge are right at once), then the provider is
// told, account by account. If the provider cannot be told, the local change stays and the
// answer says so (providerError): the mailbox at the provider still has the old state, and a
// later setRead or the user's own mail client settles it; the next sync may also bring the old
// state back, which is the provider's truth at that moment.
import type { Database } from '@nocobase/database';
import type { SetReadResponse } from '../../shared/mail';
import { parseId } from '../accounts/store';
import { MailApiError } from '../errors';
import { recomputeThreads } from '../sync/ingest-threads';
import { asBoolean, slices, type Row } from '../sync/ingest-db';
import type { ProviderCalls } from './provider';
import { invalidQuery, notFound, owns, type MailScope, type Viewer } from './scope';

export const MAX_SET_READ = 1000;

interface Target {
  id: string;
  accountId: string;
  remoteId: string;
  threadKey: string;
  read: boolean;
}

function idList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidQuery(`${name}: a list of ids`);
  return value.map((v) => {
    const id = parseId(v);
    if (!id) throw invalidQuery(`${name}: "${String(v).slice(0, 40)}" is not an id`);
    return id;
  });
}

export class ReadState {
  constructor(
    private readonly db: Database,
    private readonly scope: MailScope,
    private readonly provider: ProviderCalls,
  ) {}

  private async targets(messageIds: string[], threadIds: string[]): Promise<{ rows: Target[]; missing: boolean }> {
    const messages = this.db.getModel('mailMessages');
    const attributes = ['id', 'accountId', 'remoteId', 'threadKey', 'read'];
    const found = new Map<string, Row>();
    for (const slice of slices(messageIds)) {
      for (const row of (await messages.findAll({ where: { id: slice }, attributes, raw: true })) as unknown as Row[]) found.set(String(row.id), row);
    }
    let missing = found.size < new Set(messageIds).size;
    if (threadIds.length) {
      const threads = (await this.db.getModel('mailThreads').findAll({ where: { id: threadIds }, attributes: ['accountId', 'threadKey'], raw: true })) as unknown as Row[];
      if (threads.length < new Set(threadIds).size) missing = true;
      for (const thread of threads) {
        const rows = (await messages.findAll({ where: { accountId: thread.accountId, threadKey: thread.threadKey }, attributes, raw: true, limit: MAX_SET_READ + 1 })) as unknown as Row[];
        for (const row of rows) found.set(String(row.id), row);
      }
    }
    const rows = [...found.values()].map((r) => ({ id: String(r.id), accountId: String(r.accountId), remoteId: String(r.remoteId), threadKey: String(r.threadKey), read: asBoolean(r.read) }));
    return { rows, missing };
  }

  async set(viewer: Viewer, values: unknown): Promise<SetReadResponse> {
    const input = (values && typeof values === 'object' ? values : {}) as Record<string, unknown>;
    if (typeof input.read !== 'boolean') throw invalidQuery('read: true or false');
    const read = input.read;
    const messageIds = idList(input.messageIds, 'messageIds');
    const threadIds = idList(input.threadIds, 'threadIds');
    if (!messageIds.length && !threadIds.length) throw invalidQuery('messageIds or threadIds: name at least one message or conversation');
    if (messageIds.length > MAX_SET_READ || threadIds.length > MAX_SET_READ) throw invalidQuery(`at most ${MAX_SET_READ} ids per call`);

    const { rows, missing } = await this.targets(messageIds, threadIds);
    if (rows.length > MAX_SET_READ) throw invalidQuery(`at most ${MAX_SET_READ} messages per call, conversations included`);
    const accounts = await this.scope.byIds(viewer, rows.map((r) => r.accountId));
    // One id the user may not see and nothing happens: 404, like an id that does not exist.
    if (missing || rows.some((r) => !accounts.has(r.accountId))) throw notFound('message or conversation');

    // Another user's mail seen through the all-mail grant is read, not changed.
    const changed = rows.filter((r) => r.read !== read && owns(viewer, accounts.get(r.accountId) as never));
    if (!changed.length) return { updated: 0 };
    const byAccount = new Map<string, Target[]>();
    for (const row of changed) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row]);

    await this.db.sequelize.transaction(async (transaction) => {
      for (const slice of slices(changed.map((r) => r.id))) {
        await this.db.getModel('mailMessages').update({ read }, { where: { id: slice }, transaction });
      }
      for (const [accountId, list] of byAccount) await recomputeThreads(this.db, accountId, list.map((r) => r.threadKey), transaction);
    });

    const failures: string[] = [];
    for (const [accountId, list] of byAccount) {
      const account = accounts.get(accountId);
      if (!account) continue;
      try {
        await this.provider.run(account, (mail, session) => mail.setRead(session, list.map((r) => r.remoteId), read));
      } catch (err) {
        // ProviderCalls answers MailApiErrors with safe messages and logs the provider's side.
        failures.push(`${account.address}: ${err instanceof MailApiError ? err.message : 'the provider call failed'}`);
      }
    }
    return failures.length ? { updated: changed.length, providerError: failures.join('; ') } : { updated: changed.length };
  }
}
