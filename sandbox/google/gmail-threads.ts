// users.threads: list and get. A thread is listed where its newest matching message is.
import type { MessageState, Router, SandboxState } from '../core/types';
import { badRequest, notFound, sendGoogleError } from './errors';
import { escapeSnippet, pageSize } from './format';
import { listMessages } from './gmail-messages';
import { metadataHeadersOf, messageResource, parseFormat } from './gmail-resource';
import { gmailMethod } from './gmail-route';
import { paginate } from './paging';

export function mountThreads(router: Router, state: SandboxState) {
  const on = gmailMethod(router, state);

  on('GET', '/threads', 'gmail.users.threads.list', 'read', (call) => {
    const found = listMessages(call);
    if (!found) return;
    // Newest first already: the first message seen of a thread is its newest match.
    const newest = new Map<string, MessageState>();
    for (const m of found) if (!newest.has(m.threadId)) newest.set(m.threadId, m);
    const threads = [...newest.values()];
    const page = paginate(threads, (m) => ({ id: m.threadId, date: m.date }), call.ctx.query.get('pageToken'), pageSize(call.ctx.query.get('maxResults'), 100, 500));
    if (!page) return badRequest(call.ctx, 'Invalid pageToken');
    call.ok({
      ...(page.items.length
        ? {
            threads: page.items.map((m) => ({
              id: m.threadId,
              snippet: escapeSnippet(m.snippet),
              historyId: String(Math.max(...call.mailbox.thread(m.threadId).map((t) => t.seq))),
            })),
          }
        : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      resultSizeEstimate: threads.length,
    });
  });

  on('GET', '/threads/:id', 'gmail.users.threads.get', 'read', async (call) => {
    const { ctx, mailbox } = call;
    const format = parseFormat(ctx.query.get('format'));
    // threads.get has no raw format.
    if (!format || format === 'raw') return badRequest(ctx, `Invalid value at 'format', "${ctx.query.get('format')}"`);
    if (call.metadataOnly && format === 'full') return sendGoogleError(ctx, 403, "Metadata scope doesn't allow format FULL", { reason: 'forbidden' });
    const messages = mailbox.thread(ctx.params.id);
    if (!messages.length) return notFound(ctx);
    const headers = metadataHeadersOf(ctx.query);
    call.ok({
      id: ctx.params.id,
      historyId: String(Math.max(...messages.map((m) => m.seq))),
      messages: await Promise.all(messages.map((m) => messageResource(mailbox, m, format, headers))),
    });
  });
}
