// The sync engine's writer against a real NocoBase (SQLite or PostgreSQL per DB_DIALECT):
// messages from real MIME (the sandbox's Gmail mailbox, MailComposer) and from Graph-like
// fields are stored normalised, replays change nothing, flag changes and deletions keep the
// thread table exact, broken mail is stored flagged, and an account's mail goes with it.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteMessage } from '../../src/server/providers/sync-types';
import { ingestPage, upsertFolders } from '../../src/server/sync/ingest';
import { Api } from './helpers/api';
import { bootApp, createUser } from './helpers/app';
import { countOf, createAccount, expectedThreads, messageOf, messagesOf, storedThreads, threadOf, threadsOf, type AccountId } from './helpers/mail-db';
import { graphMessage, rawBytes, rawMessage, sandboxFolderIds, sandboxMailbox, sandboxMessage } from './helpers/mail-messages';

let app: MockServer;

beforeAll(async () => {
  app = await bootApp();
});

afterAll(async () => {
  await app?.destroy();
});

const at = (minute: number) => new Date(Date.UTC(2025, 4, 1, 12, minute));

async function ingest(account: { row: unknown }, page: Parameters<typeof ingestPage>[2]) {
  return ingestPage(app.db, account.row as never, page);
}

async function expectThreadsExact(accountId: AccountId) {
  expect(await storedThreads(app, accountId)).toEqual(await expectedThreads(app, accountId));
}

describe('schema', () => {
  it('has the indexes that listing by account and date needs, also after a second sync', async () => {
    const indexes = async (collection: string) => {
      const rows = (await app.db.sequelize.getQueryInterface().showIndex(app.db.getCollection(collection).getTableNameWithSchema())) as Array<{ unique: boolean; fields: Array<{ attribute: string }> }>;
      const field = (name: string) => app.db.getCollection(collection).model.rawAttributes[name].field;
      return { rows, has: (unique: boolean, ...names: string[]) => rows.some((i) => i.unique === unique && i.fields.map((f) => f.attribute).join() === names.map(field).join()) };
    };
    const check = async () => {
      const messages = await indexes('mailMessages');
      expect(messages.has(true, 'accountId', 'remoteId')).toBe(true);
      expect(messages.has(false, 'accountId', 'receivedAt')).toBe(true);
      expect(messages.has(false, 'accountId', 'threadKey')).toBe(true);
      // No stray single-column unique index (remote ids repeat across accounts).
      expect(messages.has(true, 'remoteId')).toBe(false);
      const threads = await indexes('mailThreads');
      expect(threads.has(true, 'accountId', 'threadKey')).toBe(true);
      expect(threads.has(false, 'accountId', 'lastMessageAt')).toBe(true);
      expect((await indexes('mailFolders')).has(true, 'accountId', 'remoteId')).toBe(true);
      expect((await indexes('mailSyncRuns')).has(false, 'accountId', 'startedAt')).toBe(true);
    };
    await check();
    // NocoBase syncs collections again on upgrade; on SQLite a column it thinks changed makes it
    // rebuild the table without its indexes.
    for (const collection of ['mailFolders', 'mailMessages', 'mailThreads', 'mailSyncRuns']) await app.db.getCollection(collection).sync();
    await check();
  });
});

describe('ingestPage: storing', () => {
  it('stores a page of the sandbox Gmail mailbox (raw MIME) and its threads', async () => {
    const account = await createAccount(app);
    const mailbox = sandboxMailbox(7, 40);
    const states = mailbox.list({ includeSpamTrash: true });
    const page = await Promise.all(states.map((state) => sandboxMessage(mailbox, state)));

    expect(await ingest(account, { messages: page })).toMatchObject({ added: 40, updated: 0, deleted: 0, missing: [] });
    const stored = new Map((await messagesOf(app, account.id)).map((m) => [m.remoteId, m]));
    expect(stored.size).toBe(40);
    for (const state of states) {
      const row = stored.get(state.id) as Record<string, unknown>;
      expect(row).toMatchObject({
        threadKey: state.threadId,
        folderIds: sandboxFolderIds(mailbox, state).sort(),
        read: state.read,
        starred: state.starred,
        subject: state.subject,
        fromAddress: state.from.address.toLowerCase(),
        malformed: false,
      });
      expect(new Date(row.receivedAt as string).getTime()).toBe(state.date);
      expect(row.participants).toContain(` ${state.from.address.toLowerCase()} `);
      expect(row.participants).toContain(' alice@example.com ');
    }
    // The generated mailbox has non-ASCII subjects and replies in threads: both are covered.
    expect(states.some((s) => /[^\x00-\x7f]/.test(s.subject))).toBe(true);
    expect(new Set(states.map((s) => s.threadId)).size).toBeLessThan(40);
    expect((await threadsOf(app, account.id)).length).toBe(new Set(states.map((s) => s.threadId)).size);
    await expectThreadsExact(account.id);
  });

  it('stores MIME fields normalised: decoded subject and names, lower-cased participants and domains', async () => {
    const account = await createAccount(app);
    const message = await rawMessage(
      {
        from: { name: 'Jürgen Müller', address: 'Juergen.Mueller@Example.DE' },
        to: [{ name: '王伟', address: 'Wang.Wei@Example.CN' }, 'WANG.WEI@example.cn'],
        cc: 'Zoë Ñúñez <ZOE@Partner.Example>',
        subject: 'Grüße – 会议安排',
        messageId: '<m1@example.de>',
        date: new Date('2025-03-04T05:06:07Z'),
        html: '<p>Hallo</p><img src="https://tracker.example/p.gif"><script>alert(1)</script>',
        attachments: [{ filename: 'Bericht – März.pdf', content: Buffer.alloc(300, 1), contentType: 'application/pdf' }],
      },
      { remoteId: 'mime-1', threadKey: 'thread-mime', folderIds: ['INBOX', 'Label_2'] },
    );
    await ingest(account, { messages: [message] });
    const row = await messageOf(app, account.id, 'mime-1');
    expect(row).toMatchObject({
      subject: 'Grüße – 会议安排',
      fromName: 'Jürgen Müller',
      fromAddress: 'juergen.mueller@example.de',
      to: [{ name: '王伟', address: 'wang.wei@example.cn' }],
      cc: [{ name: 'Zoë Ñúñez', address: 'zoe@partner.example' }],
      participants: ' juergen.mueller@example.de wang.wei@example.cn zoe@partner.example ',
      participantDomains: ' example.de example.cn partner.example ',
      messageId: '<m1@example.de>',
      folderIds: ['INBOX', 'Label_2'],
      hasRemoteImages: true,
      hasAttachments: true,
      malformed: false,
    });
    expect(new Date(row.sentAt as string).toISOString()).toBe('2025-03-04T05:06:07.000Z');
    expect(row.html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(row.html).not.toMatch(/<script|\ssrc=/);
    expect(row.attachments).toEqual([expect.objectContaining({ filename: 'Bericht – März.pdf', contentType: 'application/pdf', size: 300, inline: false })]);

    // What the participants columns are for: "mail with this address / domain", whatever its case was.
    const repo = app.db.getRepository('mailMessages');
    expect(await repo.count({ filter: { accountId: account.id, participants: { $includes: ' zoe@partner.example ' } } })).toBe(1);
    expect(await repo.count({ filter: { accountId: account.id, participantDomains: { $includes: ' example.cn ' } } })).toBe(1);
    expect(await repo.count({ filter: { accountId: account.id, participants: { $includes: ' oe@partner.example ' } } })).toBe(0);
  });

  it('stores Graph-like parsed fields, text derived from the HTML body', async () => {
    const account = await createAccount(app);
    const message = graphMessage(
      {
        messageId: '<g1@contoso.example>',
        subject: 'Plan für Q3',
        from: { name: 'Carol de Vries', address: 'Carol@Contoso.Example' },
        to: [{ name: 'Dave Müller', address: 'Dave@Contoso.Example' }],
        html: '<div><p>Numbers &amp; plans</p><img src="cid:sig@contoso"></div>',
        snippet: 'Numbers & plans',
        attachments: [{ remoteId: 'att-1', filename: 'sig.png', contentType: 'image/png', size: 12, inline: true, contentId: 'sig@contoso' }],
      },
      { remoteId: 'graph-1', threadKey: 'conv-1', read: true, receivedAt: at(1) },
    );
    expect(await ingest(account, { messages: [message] })).toMatchObject({ added: 1 });
    expect(await messageOf(app, account.id, 'graph-1')).toMatchObject({
      subject: 'Plan für Q3',
      fromAddress: 'carol@contoso.example',
      to: [{ name: 'Dave Müller', address: 'dave@contoso.example' }],
      participants: ' carol@contoso.example dave@contoso.example ',
      participantDomains: ' contoso.example ',
      text: 'Numbers & plans',
      snippet: 'Numbers & plans',
      html: '<div><p>Numbers &amp; plans</p><img src="cid:sig@contoso" /></div>',
      hasRemoteImages: false,
      hasAttachments: false,
      read: true,
    });
    expect(await threadOf(app, account.id, 'conv-1')).toMatchObject({ messageCount: 1, unreadCount: 0, subject: 'Plan für Q3' });
  });

  it('keeps accounts apart: the same remote id in two accounts is two messages', async () => {
    const [a, b] = [await createAccount(app), await createAccount(app)];
    const message = graphMessage({ subject: 'Shared' }, { remoteId: 'same-id', threadKey: 'same-thread' });
    await ingest(a, { messages: [message] });
    await ingest(b, { messages: [message] });
    expect(await ingest(a, { deletions: ['same-id'] })).toMatchObject({ deleted: 1 });
    expect(await countOf(app, 'mailMessages', a.id)).toBe(0);
    expect(await countOf(app, 'mailMessages', b.id)).toBe(1);
    expect(await threadOf(app, b.id, 'same-thread')).toMatchObject({ messageCount: 1 });
  });
});

describe('ingestPage: replays, flags, deletions and threads', () => {
  it('ingesting the same page twice adds nothing and changes nothing', async () => {
    const account = await createAccount(app);
    const mailbox = sandboxMailbox(8, 20);
    const page = {
      messages: [
        ...(await Promise.all(mailbox.list({ includeSpamTrash: true }).map((state) => sandboxMessage(mailbox, state)))),
        graphMessage({ subject: 'Graph' }, { remoteId: 'g-replay', threadKey: 'g-thread' }),
      ],
    };
    expect(await ingest(account, page)).toMatchObject({ added: 21, updated: 0, deleted: 0 });
    const messages = await messagesOf(app, account.id);
    const threads = await threadsOf(app, account.id);

    expect(await ingest(account, page)).toEqual({ added: 0, updated: 0, deleted: 0, missing: [], skipped: 0 });
    // Same rows, same ids, same updatedAt: nothing was rewritten.
    expect(await messagesOf(app, account.id)).toEqual(messages);
    expect(await threadsOf(app, account.id)).toEqual(threads);

    // A replayed page of flag changes and deletions is a no-op the second time too.
    const changes = { flagChanges: [{ remoteId: 'g-replay', read: true }], deletions: [messages[0].remoteId as string] };
    expect(await ingest(account, changes)).toMatchObject({ updated: 1, deleted: 1 });
    const after = await messagesOf(app, account.id);
    expect(await ingest(account, changes)).toMatchObject({ added: 0, updated: 0, deleted: 0 });
    expect(await messagesOf(app, account.id)).toEqual(after);
  });

  it('keeps unread count, message count, folders and last date exact through flag changes and deletions', async () => {
    const account = await createAccount(app);
    const message = (n: number, read: boolean, folderIds: string[]) =>
      graphMessage({ subject: n === 1 ? 'Plan' : 'Re: Plan', from: { address: `p${n}@x.example` }, text: `message ${n}` }, { remoteId: `t-${n}`, threadKey: 'T', read, folderIds, receivedAt: at(n) });
    await ingest(account, { messages: [message(1, true, ['INBOX']), message(2, false, ['INBOX']), message(3, false, ['SENT'])] });
    expect(await threadOf(app, account.id, 'T')).toMatchObject({ messageCount: 3, unreadCount: 2, subject: 'Plan', snippet: 'message 3', folderIds: ['INBOX', 'SENT'], starred: false });
    expect(new Date((await threadOf(app, account.id, 'T'))?.lastMessageAt as string).toISOString()).toBe(at(3).toISOString());

    expect(await ingest(account, { flagChanges: [{ remoteId: 't-2', read: true }] })).toMatchObject({ updated: 1 });
    expect(await threadOf(app, account.id, 'T')).toMatchObject({ unreadCount: 1 });
    // The same change again is nothing (the provider repeats itself; counts must not drift).
    expect(await ingest(account, { flagChanges: [{ remoteId: 't-2', read: true }] })).toMatchObject({ updated: 0 });
    expect(await threadOf(app, account.id, 'T')).toMatchObject({ unreadCount: 1 });

    const result = await ingest(account, { flagChanges: [{ remoteId: 't-1', starred: true, folderIds: ['Label_9', 'INBOX'] }, { remoteId: 'not-stored', read: true }] });
    expect(result).toMatchObject({ updated: 1, missing: ['not-stored'] });
    expect(await messageOf(app, account.id, 't-1')).toMatchObject({ read: true, starred: true, folderIds: ['INBOX', 'Label_9'] });
    expect(await threadOf(app, account.id, 'T')).toMatchObject({ starred: true, folderIds: ['INBOX', 'Label_9', 'SENT'] });
    await expectThreadsExact(account.id);

    // Deleting the newest message moves the thread's last date and snippet back.
    expect(await ingest(account, { deletions: ['t-3', 'never-stored'] })).toMatchObject({ deleted: 1 });
    const thread = await threadOf(app, account.id, 'T');
    expect(thread).toMatchObject({ messageCount: 2, unreadCount: 0, snippet: 'message 2', folderIds: ['INBOX', 'Label_9'] });
    expect(new Date(thread?.lastMessageAt as string).toISOString()).toBe(at(2).toISOString());
    await expectThreadsExact(account.id);

    // A message coming back unread counts again; deleting the last ones removes the thread.
    await ingest(account, { messages: [message(3, false, ['INBOX'])] });
    expect(await threadOf(app, account.id, 'T')).toMatchObject({ messageCount: 3, unreadCount: 1 });
    expect(await ingest(account, { deletions: ['t-1', 't-2', 't-3'] })).toMatchObject({ deleted: 3 });
    expect(await threadOf(app, account.id, 'T')).toBeUndefined();
  });

  it('builds one thread from pages that arrive newest first', async () => {
    const account = await createAccount(app);
    const root = await rawMessage({ from: 'Ann <Ann@A.example>', to: 'bob@b.example', subject: 'Budget', messageId: '<root@a.example>', text: 'first' }, { remoteId: 'root', threadKey: 'TB', receivedAt: at(1), read: true });
    const reply = await rawMessage(
      { from: 'Bob <bob@b.example>', to: 'ann@a.example', subject: 'Re: Budget', messageId: '<r1@b.example>', inReplyTo: '<root@a.example>', references: '<root@a.example>', text: 'second' },
      { remoteId: 'reply-1', threadKey: 'TB', receivedAt: at(2) },
    );
    const reply2 = graphMessage({ subject: 'RE: Re: Budget', from: { name: 'Cleo', address: 'cleo@c.example' }, cc: [{ address: 'ann@a.example' }], text: 'third' }, { remoteId: 'reply-2', threadKey: 'TB', receivedAt: at(3) });

    await ingest(account, { messages: [reply2] });
    expect(await threadOf(app, account.id, 'TB')).toMatchObject({ messageCount: 1, subject: 'RE: Re: Budget' });
    await ingest(account, { messages: [reply, root] });
    const thread = await threadOf(app, account.id, 'TB');
    expect(thread).toMatchObject({ messageCount: 3, unreadCount: 2, subject: 'Budget', snippet: 'third' });
    // Senders in the order they wrote, then the other recipients.
    expect(thread?.participants).toEqual([
      { name: 'Ann', address: 'ann@a.example' },
      { name: 'Bob', address: 'bob@b.example' },
      { name: 'Cleo', address: 'cleo@c.example' },
    ]);
    expect(await threadsOf(app, account.id)).toHaveLength(1);
    await expectThreadsExact(account.id);
  });

  it('rewrites a message whose content changed, in place, and moves it between threads', async () => {
    const account = await createAccount(app);
    const started = Date.now();
    await ingest(account, { messages: [graphMessage({ subject: 'Draft v1' }, { remoteId: 'd-1', threadKey: 'A', receivedAt: at(5) })] });
    const before = await messageOf(app, account.id, 'd-1');
    // Bulk writes stamp rows themselves (no model instances): both timestamps are set, on threads too.
    const time = (value: unknown) => new Date(value as string).getTime();
    expect(time(before.createdAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(time(before.updatedAt)).toBe(time(before.createdAt));
    expect(time((await threadOf(app, account.id, 'A'))?.createdAt)).toBeGreaterThanOrEqual(started - 1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ingest(account, { messages: [graphMessage({ subject: 'Draft v2' }, { remoteId: 'd-1', threadKey: 'B', receivedAt: at(5) })] })).toMatchObject({ added: 0, updated: 1 });
    const after = await messageOf(app, account.id, 'd-1');
    expect(after).toMatchObject({ id: before.id, subject: 'Draft v2', threadKey: 'B' });
    expect(time(after.createdAt)).toBe(time(before.createdAt));
    expect(time(after.updatedAt)).toBeGreaterThan(time(before.updatedAt));
    expect(await countOf(app, 'mailMessages', account.id)).toBe(1);
    expect(await threadOf(app, account.id, 'A')).toBeUndefined();
    expect(await threadOf(app, account.id, 'B')).toMatchObject({ subject: 'Draft v2', messageCount: 1 });
  });

  it("takes a provider's content tag for the content: same tag, not parsed again (flags still apply); new tag, rewritten", async () => {
    const account = await createAccount(app);
    const tagged = (subject: string, tag: string, read: boolean) => graphMessage({ subject }, { remoteId: 'k-1', threadKey: 'K', receivedAt: at(7), read, contentTag: tag });
    await ingest(account, { messages: [tagged('Original', 'gmail:k-1', false)] });
    const stored = await messageOf(app, account.id, 'k-1');
    // What a provider with immutable messages would never send: other content under the same tag.
    expect(await ingest(account, { messages: [tagged('Other bytes', 'gmail:k-1', false)] })).toMatchObject({ added: 0, updated: 0 });
    expect(await messageOf(app, account.id, 'k-1')).toEqual(stored);
    expect(await ingest(account, { messages: [tagged('Other bytes', 'gmail:k-1', true)] })).toMatchObject({ updated: 1 });
    expect(await messageOf(app, account.id, 'k-1')).toMatchObject({ subject: 'Original', read: true });
    expect(await ingest(account, { messages: [tagged('Second version', 'gmail:k-1#2', true)] })).toMatchObject({ updated: 1 });
    expect(await messageOf(app, account.id, 'k-1')).toMatchObject({ subject: 'Second version', read: true });
  });

  it('within a page, fetched content wins over a deletion or flag change of the same message', async () => {
    const account = await createAccount(app);
    const message = graphMessage({ subject: 'Moved' }, { remoteId: 'w-1', threadKey: 'W', read: false });
    expect(await ingest(account, { messages: [message], deletions: ['w-1'], flagChanges: [{ remoteId: 'w-1', read: true }] })).toMatchObject({ added: 1, deleted: 0 });
    expect(await messageOf(app, account.id, 'w-1')).toMatchObject({ read: false });
  });

  it('stores a malformed message flagged, and the rest of its page normally', async () => {
    const account = await createAccount(app);
    const good = await rawMessage({ from: 'a@x.example', subject: 'Fine', text: 'ok' }, { remoteId: 'ok-raw', threadKey: 'M1' });
    const full = (await rawMessage({ from: 'a@x.example', subject: 'Cut off', text: 'start', attachments: [{ filename: 'big.bin', content: Buffer.alloc(5000, 3) }] })).raw as Buffer;
    const page: RemoteMessage[] = [
      good,
      { ...good, remoteId: 'truncated', threadKey: 'M2', raw: full.subarray(0, full.length - 1500) },
      rawBytes('From: a@x.example\r\nSubject: Bad\r\nContent-Transfer-Encoding: base64\r\n\r\n%%% not base64 %%%\r\n', { remoteId: 'bad-base64', threadKey: 'M3' }),
      rawBytes('no headers at all, only text\n', { remoteId: 'no-headers', threadKey: 'M4' }),
      { ...good, remoteId: 'garbage', threadKey: 'M5', raw: Buffer.from([0xff, 0x00, 0x41, 0x00, 0x0a, 0x42, 0xfe]) },
      // PostgreSQL refuses U+0000 in text and jsonb; one such value must not sink the batch.
      graphMessage({ subject: 'Nul\u0000byte', from: { name: 'N\u0000N', address: 'n@x.example' }, text: 'a\u0000b' }, { remoteId: 'nul-fields', threadKey: 'M6' }),
    ];
    expect(await ingest(account, { messages: page })).toMatchObject({ added: 6 });
    const rows = new Map((await messagesOf(app, account.id)).map((m) => [m.remoteId, m]));
    expect(rows.get('ok-raw')).toMatchObject({ malformed: false, subject: 'Fine', parseError: null });
    expect(rows.get('truncated')).toMatchObject({ malformed: true, subject: 'Cut off' });
    expect(rows.get('truncated')?.parseError).toMatch(/truncated/);
    expect(rows.get('bad-base64')).toMatchObject({ malformed: true, subject: 'Bad' });
    expect(rows.get('no-headers')).toMatchObject({ malformed: true, text: 'no headers at all, only text\n' });
    expect(rows.get('garbage')).toMatchObject({ malformed: true });
    expect(rows.get('nul-fields')).toMatchObject({ subject: 'Nulbyte', fromName: 'NN', text: 'ab', malformed: false });
    expect(await threadsOf(app, account.id)).toHaveLength(6);
  });

  it('keeps counts exact at volume: 1,000 messages in 100 threads in one page', async () => {
    const account = await createAccount(app);
    const page = Array.from({ length: 1000 }, (_, i) =>
      graphMessage({ subject: `S${i % 100}`, from: { address: `u${i % 13}@x.example` }, html: `<p>body ${i}</p>` }, { remoteId: `v-${i}`, threadKey: `V${i % 100}`, read: i % 3 === 0, receivedAt: at(i) }),
    );
    expect(await ingest(account, { messages: page })).toMatchObject({ added: 1000 });
    expect(await countOf(app, 'mailMessages', account.id)).toBe(1000);
    expect(await threadOf(app, account.id, 'V7')).toMatchObject({ messageCount: 10, unreadCount: 7 });
    await expectThreadsExact(account.id);
    const flags = page.filter((_, i) => i % 10 === 0).map((m) => ({ remoteId: m.remoteId, read: true, starred: true }));
    expect(await ingest(account, { flagChanges: flags, deletions: page.slice(0, 50).map((m) => m.remoteId) })).toMatchObject({ updated: 95, deleted: 50 });
    await expectThreadsExact(account.id);
  });
});

describe('upsertFolders', () => {
  it('mirrors the folder list: adds, renames, removes, and replays as a no-op', async () => {
    const account = await createAccount(app);
    const folders = async () => (await app.db.getRepository('mailFolders').find({ filter: { accountId: account.id }, sort: ['remoteId'] })).map((f: { get(k: string): unknown }) => [f.get('remoteId'), f.get('name'), f.get('kind'), f.get('parentRemoteId')]);
    const list = [
      { remoteId: 'INBOX', name: 'Inbox', kind: 'inbox' as const },
      { remoteId: 'Label_1', name: 'Projects', kind: 'custom' as const },
      { remoteId: 'Label_2', name: 'Projects/2025', kind: 'custom' as const, parentRemoteId: 'Label_1' },
    ];
    expect(await upsertFolders(app.db, account.row as never, list)).toEqual({ added: 3, updated: 0, deleted: 0 });
    expect(await upsertFolders(app.db, account.row as never, list)).toEqual({ added: 0, updated: 0, deleted: 0 });
    const next = [list[0], { ...list[1], name: 'Work' }, { remoteId: 'SENT', name: 'Sent', kind: 'sent' as const }];
    expect(await upsertFolders(app.db, account.row as never, next)).toEqual({ added: 1, updated: 1, deleted: 1 });
    expect(await folders()).toEqual([
      ['INBOX', 'Inbox', 'inbox', null],
      ['Label_1', 'Work', 'custom', null],
      ['SENT', 'Sent', 'sent', null],
    ]);
    // An empty answer is a provider hiccup, not a mailbox without folders.
    expect(await upsertFolders(app.db, account.row as never, [])).toEqual({ added: 0, updated: 0, deleted: 0 });
    expect(await folders()).toHaveLength(3);
  });
});

describe('deleting an account', () => {
  async function accountWithMail(userId?: unknown) {
    const account = await createAccount(app, userId);
    await upsertFolders(app.db, account.row as never, [{ remoteId: 'INBOX', name: 'Inbox', kind: 'inbox' }]);
    await ingest(account, { messages: [graphMessage({ subject: 'a' }, { threadKey: 'X' }), graphMessage({ subject: 'b' }, { threadKey: 'X' }), graphMessage({ subject: 'c' })] });
    await app.db.getRepository('mailSyncRuns').create({ values: { accountId: account.id, kind: 'first', status: 'succeeded', startedAt: new Date(), counts: { added: 3 } } });
    return account;
  }

  async function mailCounts(accountId: AccountId) {
    return Promise.all(['mailMessages', 'mailThreads', 'mailFolders', 'mailSyncRuns'].map((c) => countOf(app, c, accountId)));
  }

  it('removes its messages, threads, folders and sync runs, and nothing of other accounts', async () => {
    const user = await createUser(app);
    const doomed = await accountWithMail(user.get('id'));
    const kept = await accountWithMail(user.get('id'));
    expect(await mailCounts(doomed.id)).toEqual([3, 2, 1, 1]);

    const owner = await Api.as(app, user);
    expect((await owner.call('mailAccounts', 'destroy', { filterByTk: doomed.id })).status).toBe(200);
    expect(await mailCounts(doomed.id)).toEqual([0, 0, 0, 0]);
    expect(await mailCounts(kept.id)).toEqual([3, 2, 1, 1]);
  });

  it('also when NocoBase deletes the account itself (its user was deleted)', async () => {
    const user = await createUser(app);
    const account = await accountWithMail(user.get('id'));
    // In bulk: NocoBase's own cascade would load and destroy every message one by one.
    let oneByOne = 0;
    const count = () => void oneByOne++;
    app.db.on('mailMessages.beforeDestroy', count);
    await app.db.getRepository('users').destroy({ filterByTk: user.get('id') as number });
    app.db.off('mailMessages.beforeDestroy', count);
    expect(oneByOne).toBe(0);
    expect(await app.db.getRepository('mailAccounts').count({ filter: { id: account.id } })).toBe(0);
    expect(await mailCounts(account.id)).toEqual([0, 0, 0, 0]);
  });
});
