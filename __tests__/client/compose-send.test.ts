import { describe, expect, it } from 'vitest';
import { draftFor, emptyDraft, type ComposerDraft } from '../../src/client/center/compose';
import { attachmentTotal, composeInput, draftFromSaved, SendKey, sendRequest, splitByLimit } from '../../src/client/center/compose-send';
import { cleanPastedHtml } from '../../src/client/center/paste';
import { attachment, mailMessage } from './fake-server';
import { outboxRow } from './fake-send';

const t = (key: string, options?: Record<string, unknown>) => key.replace(/\{\{(\w+)\}\}/g, (_, name) => String(options?.[name] ?? ''));

describe('draft → send request', () => {
  const original = mailMessage({ accountId: 7, threadKey: 't', subject: 'Budget', attachments: [attachment({ remoteId: 'a1', size: 1000 }), attachment({ remoteId: 'a2', size: 2000 })] });

  it('maps a forward: mode, source message, forwarded originals, uploads, html', () => {
    const draft: ComposerDraft = { ...draftFor('forward', original, [], t, 'en-US'), to: ['Zoe <zoe@example.net>'], uploads: [{ id: 'u1', filename: 'x.pdf', contentType: 'application/pdf', size: 5 }], draftId: 12 };
    const request = sendRequest(draft, 'key-123456');
    expect(request).toMatchObject({
      idempotencyKey: 'key-123456',
      draftId: 12,
      accountId: 7,
      mode: 'forward',
      sourceMessageId: original.id,
      to: ['Zoe <zoe@example.net>'],
      cc: [],
      bcc: [],
      subject: 'Fwd: Budget',
      uploads: ['u1'],
      forwarded: [{ remoteId: 'a1' }, { remoteId: 'a2' }],
    });
    expect(request.html).toContain('---------- Forwarded message ----------');
    expect(request.perRecipient).toBeUndefined();
  });

  it('a reply keeps its quote as a <blockquote>', () => {
    const request = sendRequest(draftFor('reply', original, [], t, 'en-US'), 'k'.repeat(36));
    expect(request.mode).toBe('reply');
    expect(request.html).toMatch(/<blockquote type="cite">Text of message \d+<\/blockquote>$/);
    expect(request.draftId).toBeNull();
  });

  it('asks for one message per recipient only with more than one address', () => {
    const bulk = { ...emptyDraft(1), to: ['a@example.com', 'b@example.com'], perRecipient: true };
    expect(composeInput(bulk).perRecipient).toBe(true);
    expect(composeInput({ ...bulk, to: ['a@example.com'] }).perRecipient).toBeUndefined();
    expect(composeInput({ ...bulk, perRecipient: false }).perRecipient).toBeUndefined();
  });

  it('brings a saved draft back with its account, uploads and forwarded files', () => {
    const draft = draftFromSaved({
      id: 3,
      accountId: 2,
      mode: 'forward',
      sourceMessageId: 44,
      to: ['x@example.com'],
      subject: 'Fwd: Hi',
      html: '<p>Hi</p>',
      uploads: ['u1'],
      uploadsInfo: [{ id: 'u1', filename: 'a.txt', contentType: 'text/plain', size: 3 }],
      forwarded: [{ remoteId: 'r1' }],
      forwardedInfo: [{ remoteId: 'r1', filename: 'plan.pdf', contentType: 'application/pdf', size: 900, inline: false }],
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(draft).toMatchObject({ draftId: 3, accountId: 2, mode: 'forward', source: { id: 44 }, cc: [], bcc: [], html: '<p>Hi</p>' });
    expect(draft.uploads).toEqual([{ id: 'u1', filename: 'a.txt', contentType: 'text/plain', size: 3 }]);
    expect(draft.attachments[0].attachment.filename).toBe('plan.pdf');
    expect(composeInput(draft)).toMatchObject({ uploads: ['u1'], forwarded: [{ remoteId: 'r1' }], sourceMessageId: 44 });
  });
});

describe('idempotency key', () => {
  it('is a UUID, the same for every try of one composer session, and new for the next composer', () => {
    const first = new SendKey();
    const key = first.current;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // A network failure has no answer: the retry carries the same key.
    expect(first.current).toBe(key);
    // Queued or unknown: the same message, the same key.
    first.settle({ items: [outboxRow({ status: 'pending' })] });
    first.settle({ items: [outboxRow({ status: 'unknown' })] });
    expect(first.current).toBe(key);
    expect(new SendKey().current).not.toBe(key);
  });

  it('changes after the server said the message failed, so that Send tries again', () => {
    const session = new SendKey();
    const key = session.current;
    session.settle({ items: [outboxRow({ status: 'failed' })] });
    expect(session.current).not.toBe(key);
  });
});

describe('attachment limit', () => {
  const MB = 1024 * 1024;
  it('adds forwarded originals and uploads', () => {
    expect(attachmentTotal([{ size: 2 * MB }], [{ size: 3 * MB }, { size: 0 }])).toBe(5 * MB);
  });

  it('accepts files in order while they fit, and refuses the rest', () => {
    const files = [{ name: 'a', size: 10 * MB }, { name: 'b', size: 12 * MB }, { name: 'c', size: 2 * MB }];
    const { accepted, refused } = splitByLimit(files, 5 * MB, 25 * MB);
    expect(accepted.map((f) => f.name)).toEqual(['a', 'c']);
    expect(refused.map((f) => f.name)).toEqual(['b']);
    expect(splitByLimit([{ size: 25 * MB }], 0, 25 * MB).accepted).toHaveLength(1);
    expect(splitByLimit([{ size: 1 }], 25 * MB, 25 * MB).refused).toHaveLength(1);
  });
});

describe('paste', () => {
  it('keeps bold, italic, underline, lists, links and paragraphs, and nothing else', () => {
    const html =
      '<meta charset="utf-8"><style>p{color:red}</style><b style="font-weight:normal" id="docs-internal-guid-1"><p style="margin:0"><span style="font-weight:700">Bold</span> and <span style="font-style:italic">it</span></p>' +
      '<ul><li>one</li></ul><a href="https://example.com" onclick="x()">link</a><a href="javascript:alert(1)">bad</a><img src="https://tracker.example/p.gif"><script>alert(1)</script><u>u</u></b>';
    expect(cleanPastedHtml(html)).toBe('<p><strong>Bold</strong> and <em>it</em></p><ul><li>one</li></ul><a href="https://example.com">link</a>bad<u>u</u>');
  });
});
