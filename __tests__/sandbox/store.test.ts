// The sandbox's mailboxes: deterministic, threaded with correct headers, MIME that parses
// cleanly, and a change log that clients can follow and that expires on demand.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { HistoryExpiredError } from '../../sandbox/core/types';
import { SandboxMailbox } from '../../sandbox/store/mailbox';
import { buildRaw } from '../../sandbox/store/mime';
import { SEED_USERS } from '../../sandbox/store/users';

const ANCHOR = Date.UTC(2026, 10, 30, 12);
const alice = SEED_USERS.find((u) => u.email === 'alice@example.com')!;
const carol = SEED_USERS.find((u) => u.email === 'carol@contoso.example')!;

describe('seeded mailboxes', () => {
  it('are the same for the same seed and differ for another', async () => {
    const a = new SandboxMailbox(alice, 7, 200, ANCHOR);
    const b = new SandboxMailbox(alice, 7, 200, ANCHOR);
    const c = new SandboxMailbox(alice, 8, 200, ANCHOR);
    expect(a.list({ includeSpamTrash: true }).map((m) => m.id)).toEqual(b.list({ includeSpamTrash: true }).map((m) => m.id));
    const id = a.list()[5].id;
    expect((await a.raw(id)).toString()).toEqual((await b.raw(id)).toString());
    expect(c.list({ includeSpamTrash: true }).map((m) => m.subject)).not.toEqual(a.list({ includeSpamTrash: true }).map((m) => m.subject));
  });

  it('have unique ids, newest first, across every folder kind', () => {
    const mailbox = new SandboxMailbox(alice, 7, 1000, ANCHOR);
    const all = mailbox.list({ includeSpamTrash: true });
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((m) => m.id)).size).toBe(1000);
    expect(all.every((m, i) => i === 0 || all[i - 1].date >= m.date)).toBe(true);
    const folders = new Set(all.map((m) => m.folderId));
    for (const folder of ['INBOX', 'SENT', 'SPAM', 'TRASH', 'archive']) expect(folders).toContain(folder);
    expect(all.some((m) => !m.read)).toBe(true);
    expect(all.some((m) => m.starred)).toBe(true);
    expect(all.some((m) => m.labels.length)).toBe(true);
    // Spam and trash are hidden unless asked for, as Gmail does.
    expect(mailbox.list().some((m) => m.folderId === 'SPAM' || m.folderId === 'TRASH')).toBe(false);
  });

  it('thread replies with In-Reply-To and References that point at their ancestors', async () => {
    const mailbox = new SandboxMailbox(alice, 7, 400, ANCHOR);
    const all = mailbox.list({ includeSpamTrash: true });
    const threadId = all.find((m) => mailbox.thread(m.threadId).length >= 3)?.threadId;
    expect(threadId).toBeTruthy();
    const thread = mailbox.thread(threadId as string);
    const parsed = await Promise.all(thread.map(async (m) => simpleParser(await mailbox.raw(m.id))));
    expect(parsed[0].inReplyTo).toBeUndefined();
    for (let i = 1; i < parsed.length; i++) {
      expect(parsed[i].subject).toBe(`Re: ${parsed[0].subject}`);
      const refs = ([] as string[]).concat(parsed[i].references || []);
      expect(refs[0]).toBe(parsed[0].messageId);
      expect(refs).toContain(parsed[i].inReplyTo);
      expect(parsed.slice(0, i).map((p) => p.messageId)).toContain(parsed[i].inReplyTo);
    }
  });

  it('produce MIME that mailparser reads cleanly: encoded words, both transfer encodings, attachments, inline images', async () => {
    const mailbox = new SandboxMailbox(alice, 7, 600, ANCHOR);
    const raws = await Promise.all(mailbox.list({ includeSpamTrash: true }).slice(0, 600).map((m) => mailbox.raw(m.id)));
    const text = raws.map((r) => r.toString('latin1'));
    expect(text.some((t) => /^Subject: =\?UTF-8\?[BQ]\?/m.test(t))).toBe(true);
    expect(text.some((t) => /^Content-Transfer-Encoding: quoted-printable/m.test(t))).toBe(true);
    expect(text.some((t) => /^Content-Type: text\/plain[^]*?Content-Transfer-Encoding: base64/m.test(t))).toBe(true);
    const parsed = await Promise.all(raws.map((r) => simpleParser(r)));
    for (const p of parsed) {
      expect(p.messageId).toMatch(/^<.+@.+>$/);
      expect(p.from?.value[0].address).toMatch(/@/);
      expect(p.text?.length).toBeGreaterThan(10);
    }
    expect(parsed.some((p) => /[\u4e00-\u9fff]/.test(p.subject || ''))).toBe(true);
    expect(parsed.some((p) => p.attachments.some((a) => a.contentDisposition === 'attachment' && a.size > 1000))).toBe(true);
    expect(parsed.some((p) => p.attachments.some((a) => a.cid === 'logo@sandbox'))).toBe(true);
    expect(parsed.some((p) => !p.html)).toBe(true);
  });

  it('keeps Microsoft mailboxes in Graph folders with well-known names and a child folder', () => {
    const mailbox = new SandboxMailbox(carol, 7, 300, ANCHOR);
    const names = mailbox.folders.map((f) => f.wellKnownName).filter(Boolean);
    expect(names).toEqual(['inbox', 'sentitems', 'drafts', 'junkemail', 'deleteditems', 'archive']);
    expect(mailbox.folders.some((f) => f.parentId)).toBe(true);
    const ids = new Set(mailbox.folders.map((f) => f.id));
    expect(mailbox.list({ includeSpamTrash: true }).every((m) => ids.has(m.folderId) && m.labels.length === 0)).toBe(true);
  });
});

describe('the change log', () => {
  it('records inserts, flag and folder changes and deletions after a history id', async () => {
    const mailbox = new SandboxMailbox(alice, 7, 50, ANCHOR);
    const start = mailbox.seq;
    const target = mailbox.list({ folderIds: ['INBOX'] })[0];
    mailbox.modify(target.id, { read: !target.read });
    mailbox.modify(target.id, { folderId: 'archive' });
    const raw = await buildRaw({ messageId: '<live-1@example.com>', subject: 'Live', from: { address: 'x@example.org' }, to: [{ address: alice.email }], cc: [], bcc: [], date: new Date(), text: 'hi', attachments: [] });
    const added = await mailbox.insert({ raw, folderId: 'INBOX' });
    const victim = mailbox.list()[3].id;
    mailbox.remove(victim);

    const changes = mailbox.changesSince(start);
    expect(changes.map((c) => c.type)).toEqual(['updated', 'updated', 'added', 'deleted']);
    expect(changes[1]).toMatchObject({ folderBefore: 'INBOX', folderAfter: 'archive', labelsRemoved: expect.arrayContaining(['INBOX']) });
    expect(changes[2]).toMatchObject({ messageId: added.id, labelsAdded: expect.arrayContaining(['INBOX', 'UNREAD']) });
    expect(changes[3].messageId).toBe(victim);
    expect(mailbox.get(victim)).toBeUndefined();
    expect(mailbox.changesSince(changes[1].seq).map((c) => c.type)).toEqual(['added', 'deleted']);
    // A no-op modification is not a change.
    expect(mailbox.changesSince(mailbox.seq)).toEqual([]);
    mailbox.modify(added.id, { read: false });
    expect(mailbox.changesSince(changes[3].seq)).toEqual([]);
  });

  it('threads a live reply onto the message it answers', async () => {
    const mailbox = new SandboxMailbox(alice, 7, 50, ANCHOR);
    const original = mailbox.list()[2];
    const { messageId } = await mailbox.content(original.id);
    const raw = await buildRaw({ messageId: '<reply-1@example.com>', inReplyTo: messageId, references: [messageId], subject: `Re: ${original.subject}`, from: { address: alice.email }, to: [{ address: 'x@example.org' }], cc: [], bcc: [], date: new Date(), text: 'ok', attachments: [] });
    const reply = await mailbox.insert({ raw, folderId: 'SENT', read: true });
    expect(reply.threadId).toBe(original.threadId);
    expect(mailbox.thread(original.threadId).map((m) => m.id)).toContain(reply.id);
    expect((await mailbox.raw(reply.id)).equals(raw)).toBe(true);
  });

  it('expires on demand: an older history id is refused, the current one still works', () => {
    const mailbox = new SandboxMailbox(alice, 7, 50, ANCHOR);
    const old = mailbox.seq;
    mailbox.modify(mailbox.list()[0].id, { starred: true });
    mailbox.expireHistory();
    expect(() => mailbox.changesSince(old)).toThrow(HistoryExpiredError);
    expect(mailbox.changesSince(mailbox.seq)).toEqual([]);
  });
});
