// Reading mail through the plugin's API against a real NocoBase and the provider sandbox: folders
// with unread counts, the thread list (folders, search, unread, paging), the thread view with
// inline images, read state here and at Gmail and Outlook, attachment downloads, the badge and
// the block's message list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPath, INLINE_SRC, type MailFolderDTO, type MailMessageDTO, type MailThreadDetailDTO, type MailThreadDTO, type UnreadDTO } from '../../../src/shared/mail';
import { download, ok, readingWorld, type ReadingWorld, type Rows } from './setup';

let w: ReadingWorld;
type M = { get(key: string): unknown };

beforeAll(async () => {
  w = await readingWorld();
}, 120_000);

afterAll(async () => {
  await w?.app?.destroy();
  await w?.sandbox?.stop();
});

const threads = (params: Record<string, unknown> = {}) => ok<Rows<MailThreadDTO>>(w.owner.call('mailThreads', 'list', params));
const thread = (id: unknown) => ok<{ data: MailThreadDetailDTO }>(w.owner.call('mailThreads', 'get', { filterByTk: id })).then((r) => r.data);
const allThreads = async () => w.app.db.getRepository('mailThreads').find();

describe('folders', () => {
  it('lists system folders first with the conversations that have unread mail', async () => {
    const { data } = await ok<{ data: MailFolderDTO[] }>(w.owner.call('mailFolders', 'list'));
    const gmail = data.filter((f) => String(f.accountId) === String(w.gmail.id));
    expect(gmail.slice(0, 3).map((f) => f.kind)).toEqual(['inbox', 'sent', 'drafts']);
    expect(data.some((f) => String(f.accountId) === String(w.outlook.id) && f.kind === 'inbox')).toBe(true);
    for (const folder of data) {
      const expected = (await allThreads()).filter((t: M) => String(t.get('accountId')) === String(folder.accountId) && (t.get('folderIds') as string[]).includes(folder.remoteId) && (t.get('unreadCount') as number) > 0).length;
      expect(folder.unreadCount, `${folder.name}`).toBe(expected);
    }
    expect(data.find((f) => f.kind === 'inbox' && f.unreadCount > 0)).toBeTruthy();
    const one = await ok<{ data: MailFolderDTO[] }>(w.owner.call('mailFolders', 'list', { accountId: w.outlook.id }));
    expect(new Set(one.data.map((f) => String(f.accountId)))).toEqual(new Set([String(w.outlook.id)]));
  });
});

describe('the thread list', () => {
  it('gives the inboxes of every account newest first, paged', async () => {
    const page1 = await threads({ folder: 'inbox', pageSize: 5 });
    const inboxIds = new Set(((await ok<{ data: MailFolderDTO[] }>(w.owner.call('mailFolders', 'list'))).data).filter((f) => f.kind === 'inbox').map((f) => `${f.accountId}:${f.remoteId}`));
    const expected = (await allThreads()).filter((t: M) => (t.get('folderIds') as string[]).some((id) => inboxIds.has(`${t.get('accountId')}:${id}`)));
    expect(page1.meta).toMatchObject({ count: expected.length, page: 1, pageSize: 5, totalPage: Math.ceil(expected.length / 5) });
    expect(new Set(page1.data.map((t) => String(t.accountId)))).toEqual(new Set([String(w.gmail.id), String(w.outlook.id)]));
    const page2 = await threads({ folder: 'inbox', pageSize: 5, page: 2 });
    const dates = [...page1.data, ...page2.data].map((t) => t.lastMessageAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set([...page1.data, ...page2.data].map((t) => t.id)).size).toBe(10);
  });

  it('takes a folder by remoteId with its account, and leaves spam and trash out when no folder is chosen', async () => {
    const folders = (await ok<{ data: MailFolderDTO[] }>(w.owner.call('mailFolders', 'list', { accountId: w.gmail.id }))).data;
    const trash = folders.find((f) => f.kind === 'trash') as MailFolderDTO;
    const inTrash = await threads({ accountId: w.gmail.id, folder: trash.remoteId, pageSize: 200 });
    expect(inTrash.data.every((t) => t.folderIds.includes(trash.remoteId))).toBe(true);
    const all = await threads({ accountId: w.gmail.id, pageSize: 200 });
    const onlyTrash = inTrash.data.filter((t) => t.folderIds.every((id) => id === trash.remoteId || folders.find((f) => f.remoteId === id)?.kind === 'spam'));
    for (const t of onlyTrash) expect(all.data.map((x) => x.id)).not.toContain(t.id);
    expect((await w.owner.call('mailThreads', 'list', { folder: 'Label_1' })).status).toBe(400);
    expect((await w.owner.call('mailThreads', 'list', { folder: 'no-such-folder', accountId: w.gmail.id })).status).toBe(404);
  });

  it('filters unread conversations', async () => {
    const unread = await threads({ unread: true, pageSize: 200 });
    expect(unread.data.length).toBeGreaterThan(0);
    expect(unread.data.every((t) => t.unreadCount > 0)).toBe(true);
    expect((await threads({ unread: false, pageSize: 200 })).data.every((t) => t.unreadCount === 0)).toBe(true);
  });

  it('searches subject, participants and body whatever the case', async () => {
    const messages = await w.app.db.getRepository('mailMessages').find({ filter: { accountId: w.outlook.id }, sort: ['id'] });
    const sample = messages.find((m: M) => ((m.get('subject') as string) || '').length > 8) as M;
    const word = (sample.get('subject') as string).split(/\s+/).find((x) => x.length >= 4) as string;
    for (const q of [word.toUpperCase(), word.toLowerCase()]) {
      const found = await threads({ q, pageSize: 200 });
      expect(found.data.map((t) => t.threadKey), q).toContain(sample.get('threadKey'));
    }
    const address = (sample.get('fromAddress') as string).toUpperCase();
    expect((await threads({ q: address, pageSize: 200 })).data.map((t) => t.threadKey)).toContain(sample.get('threadKey'));
    const bodyWord = ((sample.get('text') as string) || '').split(/\s+/).find((x) => /^[a-z]{6,}$/i.test(x)) as string;
    if (bodyWord) expect((await threads({ q: bodyWord.toUpperCase(), pageSize: 200 })).data.map((t) => t.threadKey)).toContain(sample.get('threadKey'));
    expect((await threads({ q: 'zzqx-nothing-like-this' })).meta.count).toBe(0);
    expect((await threads({ q: '100%_' })).meta.count).toBe(0);
  });
});

describe('a conversation', () => {
  it('has its messages oldest first, and inline images pointing at their attachment', async () => {
    const rows = await w.app.db.getRepository('mailMessages').find({ filter: { accountId: w.gmail.id } });
    const withCid = rows.find((m: M) => /src="cid:/.test((m.get('html') as string) || '')) as { get(k: string): unknown };
    expect(withCid, 'the sandbox has a message with an inline image').toBeTruthy();
    const threadRow = await w.app.db.getRepository('mailThreads').findOne({ filter: { accountId: w.gmail.id, threadKey: withCid.get('threadKey') as string } });
    const detail = await thread(threadRow?.get('id'));
    expect(detail.readOnly).toBe(false);
    expect(detail.account).toMatchObject({ provider: 'google', address: 'alice@example.com' });
    const times = detail.messages.map((m) => m.receivedAt);
    expect(times).toEqual([...times].sort());
    const message = detail.messages.find((m) => String(m.id) === String(withCid.get('id'))) as MailMessageDTO;
    expect(message.html).not.toContain('cid:');
    const inline = message.attachments.find((a) => a.contentId && message.html?.includes(attachmentPath(message.id, a.remoteId, true).replace(/&/g, '&amp;')));
    expect(inline, message.html?.slice(0, 300)).toBeTruthy();
    expect(message.html).toContain(`${INLINE_SRC}="`);
    const image = await download(w.owner, attachmentPath(message.id, inline?.remoteId as string, true));
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\//);
    expect(image.headers['content-disposition']).toMatch(/^inline; /);
    expect(image.body.length).toBe(inline?.size);
  });

  it('lists Outlook attachments when opened, and downloads them streamed', async () => {
    const row = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.outlook.id, hasAttachments: true } });
    const threadRow = await w.app.db.getRepository('mailThreads').findOne({ filter: { accountId: w.outlook.id, threadKey: row?.get('threadKey') as string } });
    const detail = await thread(threadRow?.get('id'));
    const message = detail.messages.find((m) => String(m.id) === String(row?.get('id'))) as MailMessageDTO;
    const file = message.attachments.find((a) => !a.inline);
    expect(file).toBeTruthy();
    const content = (await w.sandbox.state.mailbox('carol@contoso.example')?.content(message.remoteId))?.attachments.find((a) => a.filename === file?.filename);
    const got = await download(w.owner, attachmentPath(message.id, file?.remoteId as string));
    expect(got.status).toBe(200);
    expect(got.body.equals(content?.content as Buffer)).toBe(true);
    expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(file?.filename as string)}`);
    expect(got.headers['content-type']).toBe(file?.contentType.toLowerCase());
    expect(got.headers['x-content-type-options']).toBe('nosniff');
  });

  it('downloads a Gmail attachment found by its MIME part', async () => {
    const row = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.gmail.id, hasAttachments: true } });
    const attachment = (row?.get('attachments') as MailMessageDTO['attachments']).find((a) => !a.inline) as MailMessageDTO['attachments'][0];
    const content = (await w.sandbox.state.mailbox('alice@example.com')?.content(row?.get('remoteId') as string))?.attachments.find((a) => a.filename === attachment.filename);
    const got = await download(w.owner, attachmentPath(row?.get('id') as string, attachment.remoteId));
    expect(got.status).toBe(200);
    expect(got.body.equals(content?.content as Buffer)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="/);
  });
});

describe('read state', () => {
  it('marks whole conversations read and unread here and at both providers, recounting threads and the badge', async () => {
    const before = (await ok<{ data: UnreadDTO }>(w.owner.call('mailAccounts', 'unread'))).data;
    expect(before.total).toBeGreaterThan(0);
    const unread = (await threads({ folder: 'inbox', unread: true, pageSize: 200 })).data;
    const picks = [unread.find((t) => String(t.accountId) === String(w.gmail.id)), unread.find((t) => String(t.accountId) === String(w.outlook.id))] as MailThreadDTO[];
    const answer = await ok<{ data: { updated: number; providerError?: string } }>(w.owner.call('mailMessages', 'setRead', { values: { threadIds: picks.map((t) => t.id), read: true } }));
    expect(answer.data.providerError).toBeUndefined();
    expect(answer.data.updated).toBe(picks.reduce((n, t) => n + t.unreadCount, 0));
    for (const pick of picks) {
      const detail = await thread(pick.id);
      expect(detail.thread.unreadCount).toBe(0);
      const mailbox = w.sandbox.state.mailbox(detail.account.address);
      for (const m of detail.messages) expect(mailbox?.get(m.remoteId)?.read, m.remoteId).toBe(true);
    }
    const after = (await ok<{ data: UnreadDTO }>(w.owner.call('mailAccounts', 'unread'))).data;
    expect(after.total).toBe(before.total - 2);

    const one = (await thread(picks[1].id)).messages[0];
    expect((await ok<{ data: { updated: number } }>(w.owner.call('mailMessages', 'setRead', { values: { messageIds: [one.id], read: false } }))).data.updated).toBe(1);
    expect((await thread(picks[1].id)).thread.unreadCount).toBe(1);
    expect(w.sandbox.state.mailbox('carol@contoso.example')?.get(one.remoteId)?.read).toBe(false);
    // Already in that state: nothing to do, nothing sent.
    expect((await ok<{ data: { updated: number } }>(w.owner.call('mailMessages', 'setRead', { values: { messageIds: [one.id], read: false } }))).data.updated).toBe(0);
    expect((await w.owner.call('mailMessages', 'setRead', { values: { messageIds: [one.id] } })).status).toBe(400);
  });
});

describe('the block', () => {
  const list = (params: Record<string, unknown>) => ok<Rows<MailMessageDTO>>(w.owner.call('mailMessages', 'list', params));

  it('filters by participant and domain whatever the case, sorts and pages', async () => {
    const domain = 'EXAMPLE.COM';
    const byDomain = await list({ filter: { participantDomains: { $includes: domain } }, pageSize: 200 });
    expect(byDomain.data.length).toBeGreaterThan(0);
    for (const m of byDomain.data) expect([m.from, ...m.to, ...m.cc, ...m.bcc].some((a) => a?.address.endsWith('example.com'))).toBe(true);
    const someone = byDomain.data[0].from?.address as string;
    const byAddress = await list({ filter: { $and: [{ participants: { $eq: someone.toUpperCase() } }] }, sort: ['receivedAt'] });
    expect(byAddress.meta.count).toBeGreaterThan(0);
    const times = byAddress.data.map((m) => m.receivedAt);
    expect(times).toEqual([...times].sort());
    expect(byAddress.data[0]).not.toHaveProperty('html');
    // Whole addresses: a part of one does not match under $eq.
    expect((await list({ filter: { participants: { $eq: someone.slice(1) } } })).meta.count).toBe(0);
    const page = await list({ pageSize: 3, page: 2 });
    expect(page.meta).toMatchObject({ page: 2, pageSize: 3 });
    expect(page.data).toHaveLength(3);
    // Each row names its conversation, which the thread view opens.
    for (const row of page.data) {
      expect((await thread(row.threadId)).messages.map((m) => m.id)).toContain(row.id);
    }
  });

  it("refuses filters outside its fields, and every user's mail without the grant", async () => {
    for (const filter of [{ html: { $includes: 'x' } }, { subject: { $dateOn: 'x' } }, { 'account.userId': 1 }, { $and: 'x' }, { subject: { $includes: { nested: 1 } } }]) {
      const answer = await w.owner.call('mailMessages', 'list', { filter });
      expect(answer.status, JSON.stringify(filter)).toBe(400);
      expect(answer.body.errors?.[0].code).toBe('E_MAIL_INVALID_FILTER');
      expect(answer.body.errors?.[0].message).toMatch(/^filter: /);
    }
    expect((await w.owner.call('mailMessages', 'list', { sort: ['html'] })).status).toBe(400);
    const all = await w.owner.call('mailMessages', 'list', { scope: 'all' });
    expect(all.status).toBe(403);
    expect(all.body.errors?.[0].code).toBe('E_MAIL_ALL_FORBIDDEN');
  });
});
