// users.history.list: the mailbox change log as Gmail history records. One store change is one
// record whose id is the change's sequence number (the historyId). A start point older than the
// retained log answers 404, the signal for a client to do a full sync.
import type { Change, Mailbox, Router, SandboxState } from '../core/types';
import { HistoryExpiredError } from '../core/types';
import { badRequest, notFound } from './errors';
import { pageSize } from './format';
import { gmailMethod } from './gmail-route';

type HistoryType = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';
const TYPES: HistoryType[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

interface MessageRef {
  id: string;
  threadId: string;
  labelIds?: string[];
}

interface HistoryRecord {
  id: string;
  messages: { id: string; threadId: string }[];
  messagesAdded?: { message: MessageRef }[];
  messagesDeleted?: { message: MessageRef }[];
  labelsAdded?: { message: MessageRef; labelIds: string[] }[];
  labelsRemoved?: { message: MessageRef; labelIds: string[] }[];
}

/** 'archive' is the store's name for "no folder label"; it is not a Gmail label. */
const gmailOnly = (labels: string[] = []) => labels.filter((l) => l !== 'archive');

function toRecord(mailbox: Mailbox, change: Change, types: Set<HistoryType>, labelId?: string): HistoryRecord | undefined {
  const current = mailbox.get(change.messageId);
  const ref = (fallback?: string[]): MessageRef => {
    const labelIds = current ? mailbox.gmailLabels(current) : gmailOnly(fallback);
    return { id: change.messageId, threadId: change.threadId, ...(labelIds.length ? { labelIds } : {}) };
  };
  const record: HistoryRecord = { id: String(change.seq), messages: [{ id: change.messageId, threadId: change.threadId }] };
  const involves = (labels: string[]) => !labelId || labels.includes(labelId);
  if (change.type === 'added' && types.has('messageAdded')) {
    const message = ref(change.labelsAdded);
    if (involves(message.labelIds || [])) record.messagesAdded = [{ message }];
  } else if (change.type === 'deleted' && types.has('messageDeleted')) {
    const message = ref(change.labelsRemoved);
    if (involves(message.labelIds || [])) record.messagesDeleted = [{ message }];
  } else if (change.type === 'updated') {
    const added = gmailOnly(change.labelsAdded);
    const removed = gmailOnly(change.labelsRemoved);
    if (added.length && types.has('labelAdded') && involves(added)) record.labelsAdded = [{ message: ref(), labelIds: added }];
    if (removed.length && types.has('labelRemoved') && involves(removed)) record.labelsRemoved = [{ message: ref(), labelIds: removed }];
  }
  const hasContent = record.messagesAdded || record.messagesDeleted || record.labelsAdded || record.labelsRemoved;
  return hasContent ? record : undefined;
}

export function mountHistory(router: Router, state: SandboxState) {
  const on = gmailMethod(router, state);

  on('GET', '/history', 'gmail.users.history.list', 'read', (call) => {
    const { ctx, mailbox } = call;
    const startRaw = ctx.query.get('startHistoryId');
    if (!startRaw) return badRequest(ctx, 'Required parameter: startHistoryId');
    const start = Number(startRaw);
    if (!/^\d+$/.test(startRaw) || !Number.isSafeInteger(start)) return badRequest(ctx, 'Invalid startHistoryId');
    const pageToken = ctx.query.get('pageToken');
    const resume = pageToken ? Number(Buffer.from(pageToken, 'base64url').toString('utf8')) : start;
    if (!Number.isSafeInteger(resume)) return badRequest(ctx, 'Invalid pageToken');
    const asked = ctx.query.getAll('historyTypes').flatMap((v) => v.split(',')).filter(Boolean);
    const unknown = asked.find((t) => !TYPES.includes(t as HistoryType));
    if (unknown) return badRequest(ctx, `Invalid value at 'history_types' (type.googleapis.com/caribou.api.proto.HistoryType), "${unknown}"`);
    const types = new Set<HistoryType>(asked.length ? (asked as HistoryType[]) : TYPES);
    const labelId = ctx.query.get('labelId') || undefined;
    const max = pageSize(ctx.query.get('maxResults'), 100, 500);

    let changes: Change[];
    try {
      changes = mailbox.changesSince(resume);
    } catch (err) {
      if (err instanceof HistoryExpiredError) return notFound(ctx);
      throw err;
    }
    const history: HistoryRecord[] = [];
    let nextPageToken: string | undefined;
    for (const change of changes) {
      const record = toRecord(mailbox, change, types, labelId);
      if (!record) continue;
      if (history.length === max) {
        // More records follow: resume after the last one served.
        nextPageToken = Buffer.from(history[history.length - 1].id).toString('base64url');
        break;
      }
      history.push(record);
    }
    call.ok({ ...(history.length ? { history } : {}), ...(nextPageToken ? { nextPageToken } : {}), historyId: String(mailbox.seq) });
  });
}
