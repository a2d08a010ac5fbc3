// Gmail's format=full part tree → parsed fields, for what the sandbox's corpus does not hold:
// bodies in legacy charsets, a charset nobody knows, a body Gmail keeps out of line, and header
// sections Gmail could not read. The whole-corpus comparison with the raw reading is in
// gmail-sync.test.ts.
import type { gmail_v1 } from '@googleapis/gmail';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/server/mime/parse';
import { attachmentRemoteId, gmailPartId, parsedFromPayload } from '../../../src/server/providers/gmail/payload';
import type { RemoteMessage } from '../../../src/server/providers/sync-types';

const b64 = (bytes: Buffer) => bytes.toString('base64url');
const HEADERS = [
  { name: 'From', value: '"Müller, Dave" <dave@contoso.example>' },
  { name: 'To', value: 'a@example.com, Bob 王伟 <bob@example.com>' },
  { name: 'Subject', value: 'Grüße' },
  { name: 'Date', value: 'Tue, 1 Dec 2026 09:30:00 +0100' },
  { name: 'Message-ID', value: '<m1@example.com>' },
  { name: 'References', value: '<a@x> <b@x>' },
];

/** What the row builder makes of the parsed fields (addresses are split there, in a worker on a sync). */
function content(parsed: RemoteMessage['parsed']) {
  return parseMessage({ remoteId: 'm', threadKey: 'm', folderIds: [], read: false, starred: false, receivedAt: new Date(), parsed });
}

function leaf(partId: string, mimeType: string, body: gmail_v1.Schema$MessagePartBody, headers: gmail_v1.Schema$MessagePartHeader[] = [], filename = ''): gmail_v1.Schema$MessagePart {
  return { partId, mimeType, filename, headers, body };
}

describe('parsedFromPayload', () => {
  it('reads headers, addresses and bodies in their own charsets', async () => {
    const latin = Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]); // "Grüße" in windows-1252
    const chinese = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // "你好" in GBK
    const parsed = parsedFromPayload(
      {
        partId: '',
        mimeType: 'multipart/alternative',
        headers: HEADERS,
        parts: [
          leaf('0', 'text/plain', { size: latin.length, data: b64(latin) }, [{ name: 'Content-Type', value: 'text/plain; charset="ISO-8859-1"' }]),
          leaf('1', 'text/html', { size: chinese.length, data: b64(chinese) }, [{ name: 'Content-Type', value: 'text/html; charset=gb2312' }]),
        ],
      },
      1234,
    );
    // Address headers are handed on as written; the parser splits them.
    expect(parsed?.addressHeaders).toEqual({ from: '"Müller, Dave" <dave@contoso.example>', to: 'a@example.com, Bob 王伟 <bob@example.com>' });
    expect(parsed).toMatchObject({ to: [], cc: [], bcc: [], replyTo: [] });
    expect(await content(parsed)).toMatchObject({
      from: { name: 'Müller, Dave', address: 'dave@contoso.example' },
      to: [{ address: 'a@example.com' }, { name: 'Bob 王伟', address: 'bob@example.com' }],
    });
    expect(parsed).toMatchObject({
      subject: 'Grüße',
      messageId: '<m1@example.com>',
      references: ['<a@x> <b@x>'],
      text: 'Grüße',
      html: '你好',
      attachments: [],
      size: 1234,
    });
    expect(parsed?.sentAt?.toISOString()).toBe('2026-12-01T08:30:00.000Z');
  });

  it('decodes encoded words Gmail left in a subject or a name, as the raw reading does', async () => {
    const parsed = parsedFromPayload(
      leaf('', 'text/plain', { size: 2, data: 'aGk' }, [
        { name: 'Subject', value: '=?UTF-8?B?5oql5Lu35Y2V?= =?ISO-8859-1?Q?Gr=FC=DFe?=' },
        { name: 'From', value: '=?UTF-8?Q?M=C3=BCller=2C_Dave?= <dave@contoso.example>' },
      ]),
    );
    expect(parsed?.subject).toBe('报价单Grüße');
    expect((await content(parsed)).from).toEqual({ name: 'Müller, Dave', address: 'dave@contoso.example' });
  });

  it('reads a body in a charset the runtime does not know as UTF-8', () => {
    const parsed = parsedFromPayload(leaf('', 'text/plain', { size: 5, data: b64(Buffer.from('héllo')) }, [...HEADERS, { name: 'Content-Type', value: 'text/plain; charset=x-unheard-of' }]));
    expect(parsed?.text).toBe('héllo');
  });

  it('lists attachments with the raw reading ids, inline images of a related part as inline', () => {
    const parsed = parsedFromPayload({
      partId: '',
      mimeType: 'multipart/mixed',
      headers: HEADERS,
      parts: [
        {
          partId: '0',
          mimeType: 'multipart/related',
          parts: [
            leaf('0.0', 'text/html', { size: 4, data: b64(Buffer.from('<p/>')) }),
            leaf('0.1', 'image/png', { size: 10, attachmentId: 'A1' }, [{ name: 'Content-ID', value: '<logo@x>' }], 'logo.png'),
          ],
        },
        leaf('1', 'application/pdf', { size: 2048, attachmentId: 'A2' }, [{ name: 'Content-Disposition', value: 'attachment; filename="q.pdf"' }], 'q.pdf'),
      ],
    });
    expect(parsed?.attachments).toEqual([
      { remoteId: 'part:1.2', filename: 'logo.png', contentType: 'image/png', size: 10, inline: true, contentId: 'logo@x' },
      { remoteId: 'part:2', filename: 'q.pdf', contentType: 'application/pdf', size: 2048, inline: false },
    ]);
    expect(attachmentRemoteId('')).toBe('part:');
    // Downloads find the part again by the inverse.
    for (const partId of ['', '0', '1', '0.1', '2.0.3']) expect(gmailPartId(attachmentRemoteId(partId))).toBe(partId);
  });

  it('gives up (the caller reads the message raw) on a body kept out of line or an unreadable header section', () => {
    expect(parsedFromPayload(leaf('', 'text/html', { size: 9_000_000, attachmentId: 'BIG' }, HEADERS))).toBeUndefined();
    expect(parsedFromPayload(leaf('', 'text/plain', { size: 3, data: 'aGk' }, [{ name: 'no header section, a line of text', value: '' }]))).toBeUndefined();
    expect(parsedFromPayload(leaf('', 'text/plain', { size: 3, data: 'aGk' }, []))).toBeUndefined();
    expect(parsedFromPayload(undefined)).toBeUndefined();
  });
});
