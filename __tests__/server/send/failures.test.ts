// What sending does when something goes wrong, for Gmail and Outlook: files over the limit are
// refused with 413 before anything is sent; big files go through Gmail's upload endpoint and
// Graph's upload session; a 5xx is retried and sends once; a 400 fails with the provider's
// reason; a broken connection leaves the message 'unknown' until the user says; a revoked grant
// fails with a reconnect message; bad addresses and another user's account are refused.
import type { Model } from '@nocobase/database';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDTO } from '../../../src/shared/send';
import { Api } from '../helpers/api';
import { accountOf, contentOf, createUser, inFolder, plugin, recipientFor, send, sendingWorld, sent, upload, uploaded, type SendingWorld } from './setup';

let w: SendingWorld;
const PROVIDERS = ['google', 'microsoft'] as const;
const MB = 1024 * 1024;

beforeAll(async () => {
  w = await sendingWorld(23, 20);
}, 180_000);

afterEach(() => {
  w.sandbox.state.faults.clear();
});

afterAll(async () => {
  await w?.app?.destroy();
  await w?.sandbox?.stop();
});

const sendOperation = (provider: 'google' | 'microsoft') => (provider === 'google' ? 'gmail.users.messages.send' : 'graph.sendMail');
const sentCount = (provider: 'google' | 'microsoft') => inFolder(w, accountOf(w, provider).address, 'sent').length;

/** A file of `size` bytes that does not compress to nothing. */
function bigFile(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.writeUInt32LE(x, Math.min(i, size - 4));
  }
  return out;
}

describe.each(PROVIDERS)('%s', (provider) => {
  it('sends a 20 MB attachment (Gmail: media upload; Outlook: a draft and an upload session)', async () => {
    const account = accountOf(w, provider);
    const content = bigFile(20 * MB);
    const file = uploaded(await upload(w.owner, 'big.bin', content));
    expect(file.size).toBe(20 * MB);
    const answer = sent(await send(w.owner, { accountId: account.id, to: [recipientFor(provider)], subject: `Big ${provider}`, text: 'A big file.', uploads: [file.id] }));
    expect(answer.items[0], JSON.stringify(answer.items[0].error)).toMatchObject({ status: 'sent' });
    const copy = inFolder(w, account.address, 'sent')[0];
    const got = await contentOf(w, account.address, copy.id);
    expect(got.subject).toBe(`Big ${provider}`);
    expect(got.attachments.map((a) => a.filename)).toEqual(['big.bin']);
    expect(got.attachments[0].content.equals(content)).toBe(true);
    expect(inFolder(w, account.address, 'drafts').some((m) => m.subject === `Big ${provider}`)).toBe(false);
  }, 120_000);

  it('keeps a reply with a 5 MB attachment in its conversation (Outlook: createReply draft, then PATCH)', async () => {
    const account = accountOf(w, provider);
    const source = (await w.app.db.getRepository('mailMessages').find({ filter: { accountId: account.id }, sort: ['-receivedAt'] })).find((r: Model) => r.get('messageId') && r.get('fromAddress') !== account.address);
    const remote = w.sandbox.state.mailbox(account.address)?.get(source?.get('remoteId') as string);
    const file = uploaded(await upload(w.owner, 'plan.pdf', bigFile(5 * MB), 'application/pdf'));
    const answer = sent(await send(w.owner, {
      accountId: account.id, mode: 'reply', sourceMessageId: source?.get('id') as string,
      to: [source?.get('fromAddress') as string], subject: `Re: big ${provider}`, html: '<p>Plan attached.</p>', uploads: [file.id],
    }));
    expect(answer.items[0], JSON.stringify(answer.items[0].error)).toMatchObject({ status: 'sent' });
    const copy = inFolder(w, account.address, 'sent')[0];
    expect(copy.threadId).toBe(remote?.threadId);
    const got = await contentOf(w, account.address, copy.id);
    expect(got.subject).toBe(`Re: big ${provider}`);
    expect(got.messageId).toBe(answer.items[0].messageId);
    expect(got.html).toContain('Plan attached.');
    expect(got.attachments.map((a) => [a.filename, a.content.length])).toEqual([['plan.pdf', 5 * MB]]);
  }, 120_000);

  it('refuses a 30 MB attachment with 413, keeps nothing and sends nothing', async () => {
    const before = sentCount(provider);
    const answer = await upload(w.owner, 'huge.bin', bigFile(30 * MB));
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]).toMatchObject({ code: 'E_SEND_TOO_LARGE', message: expect.stringContaining('25 MB') });
    expect(await w.app.db.getRepository('mailUploads').count({ filter: { filename: 'huge.bin' } })).toBe(0);
    // Two files under the limit that add up to more are refused when sending.
    const a = uploaded(await upload(w.owner, 'a.bin', bigFile(13 * MB)));
    const b = uploaded(await upload(w.owner, 'b.bin', bigFile(13 * MB)));
    const together = await send(w.owner, { accountId: accountOf(w, provider).id, to: ['x@example.org'], subject: 'too much', uploads: [a.id, b.id] });
    expect(together.status).toBe(413);
    expect(await w.app.db.getRepository('mailOutbox').count({ filter: { subject: 'too much' } })).toBe(0);
    expect(sentCount(provider)).toBe(before);
  }, 120_000);

  it('retries a 5xx and sends exactly once', async () => {
    const before = sentCount(provider);
    w.sandbox.state.faults.add({ provider, operation: sendOperation(provider), status: 503, times: 1 });
    const answer = sent(await send(w.owner, { accountId: accountOf(w, provider).id, to: ['x@example.org'], subject: `Retried ${provider}`, text: 'again' }));
    const first = answer.items[0];
    expect(first).toMatchObject({ status: 'pending', attempts: 1, error: { code: 'E_MAIL_PROVIDER_UNAVAILABLE' } });
    expect(first.nextAttemptAt).toBeTruthy();
    expect(sentCount(provider)).toBe(before);
    await new Promise((r) => setTimeout(r, 20));
    await plugin(w.app).services.send.queue.kick();
    const after = w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: first.id }));
    expect(after).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(sentCount(provider)).toBe(before + 1);
  });

  it('reports a 400 as failed with the provider reason, and does not retry it', async () => {
    const before = sentCount(provider);
    w.sandbox.state.faults.add({ provider, operation: sendOperation(provider), status: 400, times: 1 });
    const answer = sent(await send(w.owner, { accountId: accountOf(w, provider).id, to: ['x@example.org'], subject: `Refused ${provider}`, text: 'no' }));
    expect(answer.items[0]).toMatchObject({ status: 'failed', error: { code: 'E_MAIL_PROVIDER_REJECTED', message: expect.stringContaining('400') } });
    await plugin(w.app).services.send.queue.kick();
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: answer.items[0].id })).status).toBe('failed');
    expect(sentCount(provider)).toBe(before);
    // The user's say: send it again.
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'retry', { filterByTk: answer.items[0].id })).status).toMatch(/pending|sending|sent/);
    await plugin(w.app).services.send.queue.kick();
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: answer.items[0].id })).status).toBe('sent');
    expect(sentCount(provider)).toBe(before + 1);
  });

  it('answers "sending" when the provider is slow, and the message still goes out once', async () => {
    const before = sentCount(provider);
    w.sandbox.state.faults.add({ provider, operation: sendOperation(provider), latencyMs: 2500, times: 1 });
    const services = plugin(w.app).services.send;
    const waitMs = services.waitMs;
    services.waitMs = 500;
    let answer;
    try {
      answer = sent(await send(w.owner, { accountId: accountOf(w, provider).id, to: ['x@example.org'], subject: `Slow ${provider}`, text: 'slow' }));
    } finally {
      services.waitMs = waitMs;
    }
    expect(answer.items[0].status).toBe('sending');
    const id = answer.items[0].id;
    for (let i = 0; i < 100 && w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: id })).status === 'sending'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: id })).status).toBe('sent');
    expect(sentCount(provider)).toBe(before + 1);
  });

  it('leaves a send whose connection broke as unknown, never resent without the user', async () => {
    w.sandbox.state.faults.add({ provider, operation: sendOperation(provider), drop: true, times: 1 });
    const answer = sent(await send(w.owner, { accountId: accountOf(w, provider).id, to: ['x@example.org'], subject: `Dropped ${provider}`, text: '?' }));
    expect(answer.items[0]).toMatchObject({ status: 'unknown', error: { code: 'E_SEND_FATE_UNKNOWN' } });
    await plugin(w.app).services.send.queue.kick();
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: answer.items[0].id })).status).toBe('unknown');
  });

  it('answers 400 naming each bad address, and for no recipients', async () => {
    const bad = await send(w.owner, { accountId: accountOf(w, provider).id, to: ['ok@example.org', 'not an address', 'x@'], subject: 's' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toMatchObject({ code: 'E_SEND_INVALID_ADDRESS', field: 'to' });
    expect(bad.body.errors?.[0].message).toContain('"not an address"');
    expect(bad.body.errors?.[0].message).toContain('"x@"');
    expect(bad.body.errors?.[0].message).not.toContain('ok@example.org');
    const none = await send(w.owner, { accountId: accountOf(w, provider).id, to: [], subject: 's' });
    expect(none.body.errors?.[0]).toMatchObject({ code: 'E_SEND_NO_RECIPIENTS' });
  });
});

describe('the outbox itself', () => {
  it('turns a row a dead node left in sending into unknown, and never sends it by itself', async () => {
    const answer = sent(await send(w.owner, { accountId: w.gmail.id, to: ['x@example.org'], subject: 'left behind', text: 'x' }));
    const id = answer.items[0].id;
    const before = sentCount('google');
    // As a node that claimed it and died 11 minutes ago would have left it.
    await w.app.db.getModel('mailOutbox').update({ status: 'sending', claimedAt: new Date(Date.now() - 11 * 60_000) }, { where: { id } });
    await plugin(w.app).services.send.queue.kick();
    expect(w.owner.data<OutboxDTO>(await w.owner.call('mailOutbox', 'get', { filterByTk: id }))).toMatchObject({ status: 'unknown', error: { code: 'E_SEND_FATE_UNKNOWN' } });
    expect(sentCount('google')).toBe(before);
    // A row being sent right now cannot be removed or retried.
    await w.app.db.getModel('mailOutbox').update({ status: 'sending', claimedAt: new Date() }, { where: { id } });
    expect((await w.owner.call('mailOutbox', 'destroy', { filterByTk: id })).body.errors?.[0].code).toBe('E_SEND_WRONG_STATE');
    expect((await w.owner.call('mailOutbox', 'retry', { filterByTk: id })).body.errors?.[0].code).toBe('E_SEND_WRONG_STATE');
  });

  it('deletes week-old uploads that no draft or unsent message holds, and keeps the others', async () => {
    const uploads = plugin(w.app).services.send.uploads;
    const loose = uploaded(await upload(w.owner, 'loose.txt', Buffer.from('loose')));
    const drafted = uploaded(await upload(w.owner, 'drafted.txt', Buffer.from('drafted')));
    const failed = uploaded(await upload(w.owner, 'failed.txt', Buffer.from('failed')));
    await w.owner.call('mailDrafts', 'save', { values: { accountId: w.gmail.id, to: [], subject: 'keeps a file', uploads: [drafted.id] } });
    w.sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.send', status: 400, times: 1 });
    expect(sent(await send(w.owner, { accountId: w.gmail.id, to: ['x@example.org'], subject: 'failed with a file', uploads: [failed.id] })).items[0].status).toBe('failed');
    // Not old enough yet: nothing goes.
    expect(await uploads.sweep(7 * 24 * 3600_000)).toBe(0);
    // A week later, only the loose one goes (from the table and from storage).
    expect(await uploads.sweep(7 * 24 * 3600_000, Date.now() + 8 * 24 * 3600_000)).toBeGreaterThanOrEqual(1);
    const left = (await w.app.db.getRepository('mailUploads').find({ filter: { id: [loose.id, drafted.id, failed.id] } })).map((u: Model) => u.get('filename'));
    expect(left.sort()).toEqual(['drafted.txt', 'failed.txt']);
    await expect(uploads.content([loose])).rejects.toThrow();
  });

  it('refuses a per-recipient send over the recipient limit, and one with Cc', async () => {
    const to = Array.from({ length: 101 }, (_, i) => `r${i}@example.net`);
    const over = await send(w.owner, { accountId: w.gmail.id, to, subject: 'too many', perRecipient: true });
    expect(over.body.errors?.[0]).toMatchObject({ code: 'E_SEND_TOO_MANY_RECIPIENTS' });
    const cc = await send(w.owner, { accountId: w.gmail.id, to: ['a@example.net'], cc: ['b@example.net'], subject: 'cc', perRecipient: true });
    expect(cc.body.errors?.[0]).toMatchObject({ code: 'E_SEND_INVALID', field: 'cc' });
    expect(await w.app.db.getRepository('mailOutbox').count({ filter: { subject: ['too many', 'cc'] } })).toBe(0);
  });
});

describe('ownership', () => {
  it("refuses another user's account, draft, upload and outbox rows with 404", async () => {
    const stranger = await Api.as(w.app, await createUser(w.app));
    const before = sentCount('google');
    const attempt = await send(stranger, { accountId: w.gmail.id, to: ['x@example.org'], subject: 'not mine', text: 'x' });
    expect(attempt.status).toBe(404);
    expect(sentCount('google')).toBe(before);
    const file = uploaded(await upload(w.owner, 'mine.txt', Buffer.from('mine')));
    const draft = w.owner.data<{ id: string }>(await w.owner.call('mailDrafts', 'save', { values: { accountId: w.gmail.id, to: [], subject: 'private', uploads: [file.id] } }));
    const mine = sent(await send(w.owner, { accountId: w.gmail.id, to: ['x@example.org'], subject: 'mine', text: 'x' }));
    expect((await stranger.call('mailDrafts', 'get', { filterByTk: draft.id })).status).toBe(404);
    expect((await stranger.call('mailDrafts', 'destroy', { filterByTk: draft.id })).status).toBe(404);
    // Saving with my draft's id makes them a draft of their own and leaves mine alone.
    const theirs = await stranger.call('mailDrafts', 'save', { values: { id: draft.id, accountId: w.gmail.id, to: [], subject: 'hijack' } });
    expect(theirs.status).toBe(404);
    expect(w.owner.data<{ subject: string }>(await w.owner.call('mailDrafts', 'get', { filterByTk: draft.id })).subject).toBe('private');
    expect((await stranger.call('mailOutbox', 'get', { filterByTk: mine.items[0].id })).status).toBe(404);
    expect((await stranger.call('mailOutbox', 'retry', { filterByTk: mine.items[0].id })).status).toBe(404);
    expect((await stranger.call('mailUploads', 'destroy', { filterByTk: file.id })).status).toBe(404);
    const list = (await stranger.call('mailOutbox', 'list')).body as unknown as { data: unknown[] };
    expect(list.data).toEqual([]);
    // Their own account with my upload id: not theirs.
    expect((await stranger.call('mailDrafts', 'list')).body).toMatchObject({ data: [] });
    // The plugin's collections are not reachable through NocoBase's generic actions either.
    expect((await stranger.call('mailOutbox', 'update', { filterByTk: mine.items[0].id, values: { status: 'pending' } })).status).toBeGreaterThanOrEqual(400);
  });
});

describe('a revoked grant', () => {
  it('fails the send with a reconnect message and keeps the row to send again', async () => {
    const stranger = await Api.as(w.app, await createUser(w.app));
    const account = stranger.data<{ account: { id: string } }>(await stranger.link('google', 'bob@example.com', { syncFrom: 'all' })).account;
    await fetch(`${w.sandbox.controlUrl}/users/bob@example.com/revoke`, { method: 'POST' });
    await fetch(`${w.sandbox.controlUrl}/tokens/expire`, { method: 'POST' });
    const answer = sent(await send(stranger, { accountId: account.id, to: ['x@example.org'], subject: 'after revoke', text: 'x' }));
    expect(answer.items[0]).toMatchObject({ status: 'failed', error: { code: 'E_MAIL_REAUTH_REQUIRED' } });
    expect(await w.app.db.getRepository('mailOutbox').count({ filter: { subject: 'after revoke' } })).toBe(1);
  });
});
