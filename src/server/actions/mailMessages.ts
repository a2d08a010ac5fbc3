// mailMessages:list|setRead|attachment: the block's rows, read state (here and at the
// provider), and attachment downloads streamed from the provider. See shared/mail.ts.
import type { Log } from '../log';
import type { MailReader } from '../mail';
import { viewerOf } from '../mail/scope';
import { respond } from './respond';

export const MESSAGE_ACTIONS = ['list', 'setRead', 'attachment'];

export function mailMessagesResource(mail: MailReader, log: Log) {
  return {
    name: 'mailMessages',
    only: MESSAGE_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => mail.messages.list(await viewerOf(ctx, mail.settings), ctx.action.params)),
      setRead: respond(log, async (ctx) => mail.readState.set(await viewerOf(ctx, mail.settings), ctx.action.params.values)),
      // The body is the provider's stream: errors before it starts answer JSON like any action;
      // a provider failing halfway through ends the response early (the browser sees a failed download).
      attachment: respond(log, async (ctx) => {
        const file = await mail.attachments.download(await viewerOf(ctx, mail.settings), ctx.action.params);
        ctx.withoutDataWrapping = true;
        ctx.set(file.headers);
        file.body.on('error', (err) => log.warn('attachment download broke off', { error: err.message }));
        return file.body;
      }),
    },
  };
}
