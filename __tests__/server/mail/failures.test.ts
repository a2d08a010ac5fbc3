// What reading does when a provider misbehaves: the local change survives an outage, a revoked
// grant is named as such (and the account goes reauth_required, as in a sync), and unknown ids
// or malformed filters answer 404 and 400 with a code the client can show.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPath, type MailMessageDTO, type MailThreadDTO } from '../../../src/shared/mail';
import { download, ok, readingWorld, type ReadingWorld, type Rows } from './setup';

let w: ReadingWorld;

beforeAll(async () => {
  w = await readingWorld(11, 60);
}, 120_000);

afterEach(() => {
  w.sandbox.state.faults.clear();
});

afterAll(async () => {
  await w?.app?.destroy();
  await w?.sandbox?.stop();
});

const unreadThread = async (accountId: unknown) =>
  (await ok<Rows<MailThreadDTO>>(w.owner.call('mailThreads', 'list', { accountId, unread: true }))).data[0];

describe('a provider outage', () => {
  it.each(['google', 'microsoft'] as const)('keeps the read state set here and reports providerError (%s)', async (provider) => {
    const account = provider === 'google' ? w.gmail : w.outlook;
    w.sandbox.state.faults.add({ provider, status: 503, path: provider === 'google' ? 'batchModify' : '\\$batch' });
    const thread = await unreadThread(account.id);
    const answer = await ok<{ data: { updated: number; providerError?: string } }>(w.owner.call('mailMessages', 'setRead', { values: { threadIds: [thread.id], read: true } }));
    expect(answer.data.updated).toBe(thread.unreadCount);
    expect(answer.data.providerError).toMatch(/503/);
    const after = await ok<{ data: { thread: MailThreadDTO; messages: MailMessageDTO[] } }>(w.owner.call('mailThreads', 'get', { filterByTk: thread.id }));
    expect(after.data.thread.unreadCount).toBe(0);
    // The provider still has it unread: the next sync or setRead settles it.
    const mailbox = w.sandbox.state.mailbox(account.address);
    expect(after.data.messages.some((m) => mailbox?.get(m.remoteId)?.read === false)).toBe(true);
  });
});

describe('unknown and malformed requests', () => {
  it('answers 404 for an unknown thread, message or attachment, and 400 for a malformed filter', async () => {
    expect((await w.owner.call('mailThreads', 'get', { filterByTk: 99999999 })).body.errors?.[0].code).toBe('E_MAIL_NOT_FOUND');
    const row = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.gmail.id, hasAttachments: true } });
    const unknown = await download(w.owner, attachmentPath(row?.get('id') as string, 'part:99'));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).errors[0].code).toBe('E_MAIL_NOT_FOUND');
    expect((await download(w.owner, attachmentPath(99999999, 'part:2'))).status).toBe(404);
    const malformed = await w.owner.call('mailMessages', 'list', { filter: { participants: { $regexp: '.*' } } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]).toMatchObject({ code: 'E_MAIL_INVALID_FILTER' });
    expect(malformed.body.errors?.[0].message).toContain('participants does not take $regexp');
    expect((await w.owner.call('mailThreads', 'list', { unread: 'maybe' })).status).toBe(400);
    expect((await w.owner.call('mailMessages', 'setRead', { values: { messageIds: ['x'], read: true } })).status).toBe(400);
  });
});

describe('a revoked grant', () => {
  it.each(['google', 'microsoft'] as const)('answers E_MAIL_REAUTH_REQUIRED on a download and marks the account (%s)', async (provider) => {
    const account = provider === 'google' ? w.gmail : w.outlook;
    const thread = (await ok<Rows<MailThreadDTO>>(w.owner.call('mailThreads', 'list', { accountId: account.id, pageSize: 200 }))).data.find((t) => t.hasAttachments) as MailThreadDTO;
    // Opening it lists Outlook's attachments while the grant still works.
    const detail = await ok<{ data: { messages: MailMessageDTO[] } }>(w.owner.call('mailThreads', 'get', { filterByTk: thread.id }));
    const message = detail.data.messages.find((m) => m.attachments.length) as MailMessageDTO;
    await fetch(`${w.sandbox.controlUrl}/users/${account.address}/revoke`, { method: 'POST' });
    await fetch(`${w.sandbox.controlUrl}/tokens/expire`, { method: 'POST' });
    const got = await download(w.owner, attachmentPath(message.id, message.attachments[0].remoteId));
    expect(got.status).toBe(409);
    expect(JSON.parse(got.body.toString()).errors[0].code).toBe('E_MAIL_REAUTH_REQUIRED');
    const stored = await w.app.db.getRepository('mailAccounts').findOne({ filterByTk: account.id });
    expect(stored?.get('status')).toBe('reauth_required');
    // The thread still reads from the database.
    expect((await w.owner.call('mailThreads', 'get', { filterByTk: thread.id })).status).toBe(200);
    const set = await ok<{ data: { updated: number; providerError?: string } }>(w.owner.call('mailMessages', 'setRead', { values: { threadIds: [thread.id], read: !message.read } }));
    expect(set.data.providerError).toMatch(/reconnect/);
  });
});
