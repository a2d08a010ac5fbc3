// mailFolders:list[?accountId=]: the folders of the user's accounts with unread counts.
import type { Log } from '../log';
import type { MailReader } from '../mail';
import { viewerOf } from '../mail/scope';
import { respond } from './respond';

export const FOLDER_ACTIONS = ['list'];

export function mailFoldersResource(mail: MailReader, log: Log) {
  return {
    name: 'mailFolders',
    only: FOLDER_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => {
        const viewer = await viewerOf(ctx, mail.settings);
        return mail.folders.list(await mail.scope.accounts(viewer, ctx.action.params.accountId));
      }),
    },
  };
}
