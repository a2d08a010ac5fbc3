// Sending through the real providers' client libraries against the sandbox, for Gmail and
// Outlook: a new message with an attachment, a reply that stays in its conversation with the
// right headers, reply all, a forward that carries the original's files, a per-recipient send,
// drafts, and the sent message showing up in Sent after the next sync, exactly once.
import type { Model } from '@nocobase/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftDTO, OutboxDTO, SendLimitsDTO } from '../../../src/shared/send';
import { accountOf, contentOf, inFolder, newKey, plugin, recipientFor, send, sendingWorld, sent, upload, uploaded, type SendingWorld } from './setup';

let w: SendingWorld;

beforeAll(async () => {
  w = await sendingWorld(21, 40);
}, 180_000);

afterAll(async () => {
  await w?.app?.destroy();
  await w?.sandbox?.stop();
});

const PROVIDERS = ['google', 'microsoft'] as const;

/** A message in the account from someone else, with a Message-ID, and (when asked) attachments. */
async function sourceMessage(accountId: string | number, withAttachments = false): Promise<Model> {
  const repo = w.app.db.getRepository('mailMessages');
  const rows: Model[] = await repo.find({ filter: withAttachments ? { accountId, hasAttachments: true } : { accountId }, sort: ['-receivedAt'] });
  const own = ['alice@example.com', 'carol@contoso.example'];
  for (const row of rows.filter((r) => r.get('messageId') && !own.includes(r.get('fromAddress') as string))) {
    if (!withAttachments) return row;
    // Outlook's attachments are listed when a message is first opened (the sync stores none).
    const thread = await w.app.db.getRepository('mailThreads').findOne({ filter: { accountId, threadKey: row.get('threadKey') } });
    await w.owner.call('mailThreads', 'get', { filterByTk: thread?.get('id') });
    const fresh = (await repo.findOne({ filterByTk: row.get('id') as string })) as Model;
    if (((fresh.get('attachments') as { inline: boolean }[]) ?? []).some((a) => !a.inline)) return fresh;
  }
  throw new Error('no suitable source message');
}

describe.each(PROVIDERS)('sending from %s', (provider) => {
  it('sends a new message with an attachment to To, Cc and Bcc; recipients never see the Bcc', async () => {
    const account = accountOf(w, provider);
    const file = uploaded(await upload(w.owner, 'report.csv', Buffer.from('a,b\n1,2\n'), 'text/csv'));
    const before = inFolder(w, account.address, 'sent').length;
    const answer = sent(await send(w.owner, {
      accountId: account.id,
      to: [`Rob <${recipientFor(provider)}>`],
      cc: ['someone@example.org'],
      bcc: ['hidden@example.org'],
      subject: `Quarterly figures ${provider}`,
      html: '<p>Hello <b>there</b><script>alert(1)</script></p>',
      uploads: [file.id],
    }));
    expect(answer.items).toHaveLength(1);
    const row = answer.items[0] as OutboxDTO;
    expect(row, JSON.stringify(row.error)).toMatchObject({ status: "sent", attempts: 1, attachmentCount: 1, error: null });
    if (provider === 'google') expect(row.providerMessageId).toBeTruthy();
    const sentCopies = inFolder(w, account.address, 'sent');
    expect(sentCopies).toHaveLength(before + 1);
    const mine = await contentOf(w, account.address, sentCopies[0].id);
    expect(mine.messageId).toBe(row.messageId);
    expect(mine.subject).toBe(`Quarterly figures ${provider}`);
    expect(mine.html).toContain('<b>there</b>');
    expect(mine.html).not.toContain('script');
    expect(mine.text).toContain('Hello there');
    expect(mine.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['report.csv', 'a,b\n1,2\n']]);
    const delivered = inFolder(w, recipientFor(provider), 'inbox').find((m) => m.subject === `Quarterly figures ${provider}`);
    expect(delivered).toBeTruthy();
    const theirs = await contentOf(w, recipientFor(provider), delivered?.id as string);
    expect(theirs.to.map((a) => a.address)).toEqual([recipientFor(provider)]);
    expect(theirs.cc.map((a) => a.address)).toEqual(['someone@example.org']);
    expect(theirs.bcc).toEqual([]);
  });

  it('replies in the same conversation with In-Reply-To and References, and the reply shows in Sent once after the next sync', async () => {
    const account = accountOf(w, provider);
    const source = await sourceMessage(account.id);
    const remote = w.sandbox.state.mailbox(account.address)?.get(source.get('remoteId') as string);
    const answer = sent(await send(w.owner, {
      accountId: account.id,
      mode: 'reply',
      sourceMessageId: source.get('id') as string,
      to: [source.get('fromAddress') as string],
      subject: `Re: ${source.get('subject')}`,
      text: 'Thanks, agreed.\n\n> earlier text',
    }));
    expect(answer.items[0].status).toBe('sent');
    const reply = inFolder(w, account.address, 'sent')[0];
    expect(reply.threadId).toBe(remote?.threadId);
    const headers = await contentOf(w, account.address, reply.id);
    expect(headers.inReplyTo).toBe(source.get('messageId'));
    expect(headers.references).toContain(source.get('messageId'));
    expect(headers.text).toContain('Thanks, agreed.');

    expect(await plugin(w.app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
    const stored: Model[] = await w.app.db.getRepository('mailMessages').find({ filter: { accountId: account.id, messageId: answer.items[0].messageId } });
    expect(stored).toHaveLength(1);
    expect(stored[0].get('threadKey')).toBe(source.get('threadKey'));
    // A second sync changes nothing: still once.
    await plugin(w.app).services.runner.run(account.id);
    expect(await w.app.db.getRepository('mailMessages').count({ filter: { accountId: account.id, messageId: answer.items[0].messageId } })).toBe(1);
  });

  it('replies to all: To and Cc as given, in the conversation', async () => {
    const account = accountOf(w, provider);
    const source = await sourceMessage(account.id);
    const answer = sent(await send(w.owner, {
      accountId: account.id,
      mode: 'replyAll',
      sourceMessageId: source.get('id') as string,
      to: [source.get('fromAddress') as string],
      cc: ['colleague@example.org', 'Other Person <other@example.org>'],
      subject: `Re: ${source.get('subject')}`,
      text: 'To everyone.',
    }));
    expect(answer.items[0]).toMatchObject({ status: 'sent', mode: 'replyAll' });
    expect(answer.items[0].cc).toEqual([{ address: 'colleague@example.org' }, { name: 'Other Person', address: 'other@example.org' }]);
    const reply = inFolder(w, account.address, 'sent')[0];
    const content = await contentOf(w, account.address, reply.id);
    expect(content.cc.map((a) => a.address)).toEqual(['colleague@example.org', 'other@example.org']);
    expect(content.inReplyTo).toBe(source.get('messageId'));
  });

  it("forwards with the original's attachments, byte for byte", async () => {
    const account = accountOf(w, provider);
    const source = await sourceMessage(account.id, true);
    const files = ((source.get('attachments') as { remoteId: string; filename: string; inline: boolean }[]) ?? []).filter((a) => !a.inline);
    expect(files.length).toBeGreaterThan(0);
    const answer = sent(await send(w.owner, {
      accountId: account.id,
      mode: 'forward',
      sourceMessageId: source.get('id') as string,
      to: ['forwardee@example.org'],
      subject: `Fwd: ${source.get('subject')}`,
      text: 'See below.',
      forwarded: files.map((f) => ({ remoteId: f.remoteId })),
    }));
    expect(answer.items[0]).toMatchObject({ status: 'sent', attachmentCount: files.length });
    // A forward saved as a draft reopens with the names and sizes of the files it carries.
    const draft = w.owner.data<DraftDTO>(await w.owner.call('mailDrafts', 'save', { values: { accountId: account.id, mode: 'forward', sourceMessageId: source.get('id'), to: [], subject: 'Fwd', forwarded: [{ remoteId: files[0].remoteId }] } }));
    expect(draft.forwardedInfo?.map((a) => a.filename)).toEqual([files[0].filename]);
    const original = await contentOf(w, account.address, source.get('remoteId') as string);
    const forward = await contentOf(w, account.address, inFolder(w, account.address, 'sent')[0].id);
    const bytes = (list: typeof forward.attachments) => list.filter((a) => !a.inline).map((a) => [a.filename, a.content.toString('base64')]).sort();
    expect(bytes(forward.attachments)).toEqual(bytes(original.attachments));
  });

  it('sends one separate message per recipient, 50 of them, each seeing only their own address', async () => {
    const account = accountOf(w, provider);
    const to = Array.from({ length: 50 }, (_, i) => `customer${i + 1}.${provider}@example.net`);
    const before = inFolder(w, account.address, 'sent').length;
    const answer = sent(await send(w.owner, { accountId: account.id, to, subject: `Offer ${provider}`, text: 'Dear customer', perRecipient: true }));
    expect(answer.bulkId).toBeTruthy();
    expect(answer.items).toHaveLength(50);
    const queue = plugin(w.app).services.send.queue;
    await queue.kick();
    const list = await w.owner.call('mailOutbox', 'list', { bulkId: answer.bulkId, pageSize: 100 });
    const body = list.body as unknown as { data: OutboxDTO[]; meta: { count: number; byStatus: Record<string, number> } };
    expect(body.meta.byStatus).toEqual({ sent: 50 });
    const copies = inFolder(w, account.address, 'sent').slice(0, inFolder(w, account.address, 'sent').length - before);
    expect(copies).toHaveLength(50);
    const seenTo = await Promise.all(copies.map(async (m) => (await contentOf(w, account.address, m.id)).to.map((a) => a.address)));
    expect(seenTo.every((list) => list.length === 1)).toBe(true);
    expect(seenTo.flat().sort()).toEqual([...to].sort());
  });
});

describe('limits and drafts', () => {
  it('tells the client its limits', async () => {
    const limits = w.owner.data<SendLimitsDTO>(await w.owner.call('mailOutbox', 'limits'));
    expect(limits).toEqual({ maxAttachmentBytes: 25 * 1024 * 1024, maxBulkRecipients: 100 });
  });

  it('saves a draft, reopens it, updates it, and sending it removes it', async () => {
    const file = uploaded(await upload(w.owner, 'notes.txt', Buffer.from('draft notes'), 'text/plain'));
    const first = w.owner.data<DraftDTO>(await w.owner.call('mailDrafts', 'save', { values: { accountId: w.gmail.id, mode: 'new', to: ['not-yet-an-addr'], subject: 'Plans', html: '<p>First</p>', uploads: [file.id] } }));
    expect(first.id).toBeTruthy();
    const again = w.owner.data<DraftDTO>(await w.owner.call('mailDrafts', 'save', { values: { id: first.id, accountId: w.gmail.id, mode: 'new', to: ['bob@example.com'], subject: 'Plans', html: '<p>Second</p>', uploads: [file.id] } }));
    expect(again.id).toBe(first.id);
    const listed = (await w.owner.call('mailDrafts', 'list')).body as unknown as { data: DraftDTO[]; meta: { count: number } };
    expect(listed.data.filter((d) => d.id === first.id)).toHaveLength(1);
    const opened = w.owner.data<DraftDTO>(await w.owner.call('mailDrafts', 'get', { filterByTk: first.id }));
    expect(opened).toMatchObject({ to: ['bob@example.com'], subject: 'Plans', html: '<p>Second</p>', uploads: [file.id] });
    expect(opened.uploadsInfo).toEqual([{ id: file.id, filename: 'notes.txt', contentType: 'text/plain', size: 11 }]);
    const answer = sent(await send(w.owner, { ...opened, accountId: w.gmail.id, draftId: first.id }));
    expect(answer.items[0].status).toBe('sent');
    expect((await w.owner.call('mailDrafts', 'get', { filterByTk: first.id })).status).toBe(404);
    // A save with the id of a draft that sending took (say the send was then refused) keeps the text as a new draft.
    const kept = w.owner.data<DraftDTO>(await w.owner.call('mailDrafts', 'save', { values: { id: first.id, accountId: w.gmail.id, to: [], subject: 'Plans, again' } }));
    expect(kept.id).not.toBe(first.id);
    expect(kept.subject).toBe('Plans, again');
    const arrived = inFolder(w, 'bob@example.com', 'inbox').find((m) => m.subject === 'Plans');
    expect((await contentOf(w, 'bob@example.com', arrived?.id as string)).attachments.map((a) => a.filename)).toEqual(['notes.txt']);
  });

  it('sends once for a repeated request, even two at the same moment', async () => {
    const key = newKey();
    const values = { idempotencyKey: key, accountId: w.gmail.id, mode: 'new', to: ['bob@example.com'], subject: `Once ${key}`, text: 'once' };
    const [a, b] = await Promise.all([w.owner.call('mailOutbox', 'send', { values }), w.owner.call('mailOutbox', 'send', { values })]);
    const c = await w.owner.call('mailOutbox', 'send', { values });
    const ids = [a, b, c].map((r) => sent(r).items.map((i) => i.id));
    expect(new Set(ids.flat())).toHaveProperty('size', 1);
    expect(inFolder(w, 'alice@example.com', 'sent').filter((m) => m.subject === `Once ${key}`)).toHaveLength(1);
    expect(inFolder(w, 'bob@example.com', 'inbox').filter((m) => m.subject === `Once ${key}`)).toHaveLength(1);
  });
});
