// mailSyncRuns:list — the sync log, newest first, paged. An account's owner reads the runs of
// their own accounts; a mail administrator reads every account's (to see why a mailbox of
// someone else stopped syncing). `accountId` narrows it to one account.
import type { Context } from '@nocobase/actions';
import type { Model } from '@nocobase/database';
import { parseId } from '../accounts/store';
import type { Log } from '../log';
import { isMailAdmin } from './admin';
import { currentUserId, respond } from './respond';

export const SYNC_RUN_ACTIONS = ['list'];
const MAX_PAGE_SIZE = 200;

function pageParams(ctx: Context) {
  const page = Math.max(1, Number.parseInt(String(ctx.action.params.page ?? 1), 10) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number.parseInt(String(ctx.action.params.pageSize ?? 20), 10) || 20));
  return { page, pageSize };
}

export function toSyncRunDTO(run: Model) {
  const account = run.get('account') as Model | undefined;
  return {
    id: run.get('id'),
    accountId: run.get('accountId'),
    ...(account ? { address: account.get('address'), provider: account.get('provider'), userId: account.get('userId') } : {}),
    kind: run.get('kind'),
    status: run.get('status'),
    startedAt: run.get('startedAt'),
    finishedAt: run.get('finishedAt'),
    counts: run.get('counts'),
    node: run.get('node'),
    error: run.get('error') || null,
  };
}

export function mailSyncRunsResource(log: Log) {
  return {
    name: 'mailSyncRuns',
    only: SYNC_RUN_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => {
        const { page, pageSize } = pageParams(ctx);
        const filter: Record<string, string | number> = {};
        if (!isMailAdmin(ctx)) filter['account.userId'] = currentUserId(ctx);
        const requested = ctx.action.params.accountId;
        if (requested !== undefined && requested !== '') {
          // A malformed id matches nothing rather than everything.
          filter.accountId = parseId(requested) ?? '0';
        }
        const [rows, count] = await ctx.db.getRepository('mailSyncRuns').findAndCount({
          filter: filter as never,
          appends: ['account'],
          sort: ['-startedAt', '-id'],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        });
        return { rows: rows.map(toSyncRunDTO), count, page, pageSize, totalPage: Math.ceil(count / pageSize) };
      }),
    },
  };
}
