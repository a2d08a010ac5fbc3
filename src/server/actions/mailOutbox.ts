// mailOutbox:send|list|get|retry|destroy|limits, mailDrafts:list|get|save|destroy and
// mailUploads:create|destroy: sending mail (shared/send.ts). Every action acts on the signed-in
// user's own rows and accounts only.
import type { Context } from '@nocobase/actions';
import type { Log } from '../log';
import type { SendServices } from '../send';
import { outboxDTO } from '../send/dto';
import { currentUserId, respond } from './respond';

export const OUTBOX_ACTIONS = ['send', 'list', 'get', 'retry', 'destroy', 'limits'];
export const DRAFT_ACTIONS = ['list', 'get', 'save', 'destroy'];
export const UPLOAD_ACTIONS = ['create', 'destroy'];

const userOf = (ctx: Context) => String(currentUserId(ctx));


export function mailOutboxResource(send: SendServices, log: Log) {
  return {
    name: 'mailOutbox',
    only: OUTBOX_ACTIONS,
    actions: {
      // A single message is attempted before the answer, so the composer can say "sent" (or
      // why not); a per-recipient send answers at once and the outbox sends it paced.
      send: respond(log, async (ctx) => {
        const userId = userOf(ctx);
        const { rows, created, bulk } = await send.outbox.submit(userId, ctx.action.params.values);
        if (created && !bulk) {
          // A provider that is slow to take a big message does not hold the request forever:
          // the answer then says 'sending', and the outbox shows how it ends.
          const attempt = send.relay.attempt(String(rows[0].get('id'))).catch((err) => log.error('mail send failed', { error: (err as Error).message }));
          await Promise.race([attempt, new Promise((resolve) => setTimeout(resolve, send.waitMs).unref())]);
        }
        if (created && bulk) void send.queue.kick();
        const key = String((ctx.action.params.values as { idempotencyKey: string }).idempotencyKey);
        return send.outbox.dto(await send.outbox.byKey(userId, key), bulk);
      }),
      list: respond(log, async (ctx) => {
        const { bulkId, status, page, pageSize } = ctx.action.params;
        const result = await send.outbox.list(userOf(ctx), { bulkId, status, page, pageSize });
        ctx.withoutDataWrapping = true;
        return result;
      }),
      get: respond(log, async (ctx) => outboxDTO(await send.outbox.own(userOf(ctx), ctx.action.params.filterByTk))),
      retry: respond(log, async (ctx) => {
        const row = await send.outbox.retry(userOf(ctx), ctx.action.params.filterByTk);
        void send.queue.kick();
        return row;
      }),
      destroy: respond(log, async (ctx) => {
        await send.outbox.remove(userOf(ctx), ctx.action.params.filterByTk);
        return { removed: true };
      }),
      limits: respond(log, async () => send.limits()),
    },
  };
}

export function mailDraftsResource(send: SendServices, log: Log) {
  return {
    name: 'mailDrafts',
    only: DRAFT_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => {
        const { page, pageSize, accountId } = ctx.action.params;
        const result = await send.drafts.list(userOf(ctx), { page, pageSize, accountId });
        ctx.withoutDataWrapping = true;
        return result;
      }),
      get: respond(log, async (ctx) => send.drafts.get(userOf(ctx), ctx.action.params.filterByTk)),
      save: respond(log, async (ctx) => send.drafts.save(userOf(ctx), ctx.action.params.values)),
      destroy: respond(log, async (ctx) => {
        await send.drafts.remove(userOf(ctx), ctx.action.params.filterByTk);
        return { removed: true };
      }),
    },
  };
}

export function mailUploadsResource(send: SendServices, log: Log) {
  return {
    name: 'mailUploads',
    only: UPLOAD_ACTIONS,
    actions: {
      // The file is the raw request body (not multipart): it streams to storage as it arrives.
      create: respond(log, async (ctx) => {
        const length = Number(ctx.get('content-length'));
        return send.uploads.receive(userOf(ctx), {
          body: ctx.req,
          filename: ctx.action.params.filename,
          contentType: ctx.get('content-type'),
          contentLength: Number.isFinite(length) && ctx.get('content-length') !== '' ? length : undefined,
        });
      }),
      destroy: respond(log, async (ctx) => {
        await send.uploads.remove(userOf(ctx), ctx.action.params.filterByTk);
        return { removed: true };
      }),
    },
  };
}
