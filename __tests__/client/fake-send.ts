// The sending contract (src/shared/send.ts) on a FakeMailServer: limits, uploads, drafts and an
// outbox that keeps the rows of each idempotency key. Tests decide each single send's fate with
// `fate` (sent by default) and can break the transport with `server.on(...)` as usual.
import type { DraftDTO, MailUploadDTO, OutboxDTO, OutboxStatus, SendRequest } from '../../src/shared/send';
import { fail, ok, type Call, type FakeMailServer } from './fake-server';

export interface FakeSend {
  limits: { maxAttachmentBytes: number; maxBulkRecipients: number };
  uploads: Map<string, MailUploadDTO>;
  drafts: DraftDTO[];
  outbox: OutboxDTO[];
  /** What a single send does: a status (and error) for its row. */
  fate: (request: SendRequest) => { status: OutboxStatus; error?: { code: string; message: string }; nextAttemptAt?: string };
  /** The request bodies of mailOutbox:send, in order. */
  sends: SendRequest[];
  /** How many of the next sends fail in transit (no answer, as when the network drops). */
  dropNext: number;
}

let nextId = 1;
const address = (line: string) => {
  const angle = /^(.*)<([^<>]+)>$/.exec(line.trim());
  return angle ? { name: angle[1].trim() || undefined, address: angle[2] } : { address: line.trim() };
};

export function outboxRow(values: Partial<OutboxDTO> = {}): OutboxDTO {
  const id = nextId++;
  return {
    id,
    accountId: 1,
    bulkId: null,
    mode: 'new',
    status: 'sent',
    to: [{ address: `to${id}@example.org` }],
    cc: [],
    bcc: [],
    subject: `Subject ${id}`,
    messageId: `<o${id}@example.com>`,
    attempts: 1,
    error: null,
    attachmentCount: 0,
    createdAt: new Date(Date.UTC(2026, 0, 10, 9, 0) + id * 60_000).toISOString(),
    sentAt: null,
    ...values,
  };
}

export function installSend(server: FakeMailServer): FakeSend {
  const state: FakeSend = {
    limits: { maxAttachmentBytes: 25 * 1024 * 1024, maxBulkRecipients: 100 },
    uploads: new Map(),
    drafts: [],
    outbox: [],
    fate: () => ({ status: 'sent' }),
    sends: [],
    dropNext: 0,
  };
  // As NocoBase does: the request body is the action's values.
  const values = (call: Call) => (call.data ?? {}) as Record<string, unknown>;
  const byId = <T extends { id: number | string }>(list: T[], id: unknown) => list.find((item) => String(item.id) === String(id));
  const page = <T>(list: T[], params: Record<string, unknown>) => {
    const number = Number(params.page ?? 1);
    const size = Number(params.pageSize ?? 20);
    return { body: { data: list.slice((number - 1) * size, number * size), meta: { count: list.length, page: number, pageSize: size } } };
  };

  server.on('mailOutbox:limits', () => ok(state.limits));
  server.on('mailUploads:create', (call) => {
    const file = call.data as unknown as Blob;
    const total = [...state.uploads.values()].reduce((sum, u) => sum + u.size, 0);
    if (file.size + total > state.limits.maxAttachmentBytes) return fail(413, 'E_SEND_TOO_LARGE', 'Attachments over 25 MB');
    const upload = { id: `up${nextId++}`, filename: String(call.params.filename), contentType: file.type || 'application/octet-stream', size: file.size };
    state.uploads.set(upload.id, upload);
    return ok(upload);
  });
  server.on('mailUploads:destroy', (call) => (state.uploads.delete(String(call.params.filterByTk)) ? ok(1) : fail(404, 'E_NOT_FOUND', 'No such upload')));

  server.on('mailDrafts:save', (call) => {
    const input = values(call);
    const existing = input.id !== undefined ? byId(state.drafts, input.id) : undefined;
    if (input.id !== undefined && !existing) return fail(404, 'E_NOT_FOUND', 'No such draft');
    const uploadsInfo = ((input.uploads as string[]) ?? []).map((id) => state.uploads.get(id)!).filter(Boolean);
    const draft = { ...(existing ?? {}), ...input, id: existing?.id ?? nextId++, uploadsInfo, updatedAt: new Date().toISOString() } as DraftDTO;
    state.drafts = [draft, ...state.drafts.filter((d) => d !== existing)];
    return ok(draft);
  });
  server.on('mailDrafts:list', (call) => page(state.drafts, call.params));
  server.on('mailDrafts:get', (call) => {
    const draft = byId(state.drafts, call.params.filterByTk);
    return draft ? ok(draft) : fail(404, 'E_NOT_FOUND', 'No such draft');
  });
  server.on('mailDrafts:destroy', (call) => {
    const draft = byId(state.drafts, call.params.filterByTk);
    state.drafts = state.drafts.filter((d) => d !== draft);
    return draft ? ok(1) : fail(404, 'E_NOT_FOUND', 'No such draft');
  });

  server.on('mailOutbox:send', (call) => {
    const request = values(call) as unknown as SendRequest;
    state.sends.push(request);
    if (state.dropNext > 0) {
      state.dropNext -= 1;
      throw new Error('Network Error');
    }
    const same = state.outbox.filter((row) => row.bulkId === request.idempotencyKey || row.messageId === `<${request.idempotencyKey}>`);
    if (same.length) return ok({ bulkId: request.perRecipient ? request.idempotencyKey : null, items: same });
    if (!request.to?.length) return fail(400, 'E_SEND_NO_RECIPIENTS', 'Add at least one recipient');
    const base = { accountId: request.accountId, mode: request.mode, subject: request.subject, cc: (request.cc ?? []).map(address), bcc: (request.bcc ?? []).map(address), attachmentCount: (request.uploads?.length ?? 0) + (request.forwarded?.length ?? 0) };
    let rows: OutboxDTO[];
    if (request.perRecipient) {
      rows = request.to.map((to) => outboxRow({ ...base, bulkId: request.idempotencyKey, status: 'pending', to: [address(to)], attempts: 0 }));
    } else {
      const fate = state.fate(request);
      rows = [outboxRow({ ...base, messageId: `<${request.idempotencyKey}>`, to: request.to.map(address), ...fate, error: fate.error ?? null, sentAt: fate.status === 'sent' ? new Date().toISOString() : null })];
    }
    state.outbox = [...rows, ...state.outbox];
    const accepted = rows.some((row) => row.status !== 'failed');
    if (accepted && request.draftId) state.drafts = state.drafts.filter((d) => String(d.id) !== String(request.draftId));
    return ok({ bulkId: request.perRecipient ? request.idempotencyKey : null, items: rows });
  });
  server.on('mailOutbox:list', (call) => {
    const bulkId = call.params.bulkId as string | undefined;
    const rows = state.outbox.filter((row) => !bulkId || row.bulkId === bulkId);
    const reply = page(rows, call.params);
    if (bulkId) {
      const byStatus: Record<string, number> = {};
      for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
      Object.assign(reply.body.meta, { byStatus });
    }
    return reply;
  });
  server.on('mailOutbox:retry', (call) => {
    const row = byId(state.outbox, call.params.filterByTk);
    if (!row) return fail(404, 'E_NOT_FOUND', 'No such message');
    if (row.status !== 'failed' && row.status !== 'unknown') return fail(409, 'E_SEND_WRONG_STATE', 'Only failed or unknown messages can be sent again');
    Object.assign(row, { status: 'pending', attempts: row.attempts });
    return ok(row);
  });
  server.on('mailOutbox:destroy', (call) => {
    const row = byId(state.outbox, call.params.filterByTk);
    if (!row) return fail(404, 'E_NOT_FOUND', 'No such message');
    if (row.status === 'sending') return fail(409, 'E_SEND_WRONG_STATE', 'It is being sent');
    state.outbox = state.outbox.filter((other) => other !== row);
    return ok(1);
  });
  return state;
}
