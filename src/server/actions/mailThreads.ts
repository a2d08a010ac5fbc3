// mailThreads:list|get for any signed-in user: the conversations of their own accounts (or of
// an account they may read through the all-mail grant), see shared/mail.ts for the contract.
import type { Context } from '@nocobase/actions';
import type { Log } from '../log';
import type { MailReader } from '../mail';
import { viewerOf } from '../mail/scope';
import { respond } from './respond';

export const THREAD_ACTIONS = ['list', 'get'];

export function mailThreadsResource(mail: MailReader, log: Log) {
  const viewer = (ctx: Context) => viewerOf(ctx, mail.settings);
  return {
    name: 'mailThreads',
    only: THREAD_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => mail.threads.list(await viewer(ctx), ctx.action.params)),
      // Attachments the sync could not list (Outlook) are asked for here, once, best effort.
      get: respond(log, async (ctx) => {
        const who = await viewer(ctx);
        const found = await mail.threads.find(who, ctx.action.params.filterByTk);
        const messages = await mail.attachments.fillIn(found.account, await mail.threads.messagesOf(found.account.id, String(found.row.threadKey)));
        return mail.threads.detail(who, found, messages);
      }),
    },
  };
}
