// MIME parsing, normalisation and HTML sanitising, on messages built by nodemailer's
// MailComposer (real RFC 2047 / quoted-printable / base64 encodings) and on broken input.
// No database: these are the functions ingest calls for every message.
import { describe, expect, it } from 'vitest';
import { cleanCss } from '../../src/server/mime/css';
import { normalizeAddresses, normalizeReferences, participantDomainsText, participantsText, snippetOf } from '../../src/server/mime/normalize';
import { parseMessage } from '../../src/server/mime/parse';
import { REMOTE_SRC, sanitizeMailHtml } from '../../src/server/mime/sanitize';
import { compose, graphMessage, rawBytes, rawMessage, remote } from './helpers/mail-messages';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');

function html(input: string) {
  return sanitizeMailHtml(input);
}

describe('sanitizeMailHtml', () => {
  it('removes scripts, their content included', () => {
    const out = html('<p>hi<script>alert(1)</script></p><SCRIPT src="https://x.example/a.js"></SCRIPT><noscript>no</noscript>');
    expect(out.html).toBe('<p>hi</p>');
  });

  it('removes event handler attributes', () => {
    const out = html('<img src="cid:a" onerror="alert(1)"><div onclick="steal()" onmouseover=x style="color:red">t</div><body onload="x()">b</body>');
    expect(out.html).not.toMatch(/on(error|click|mouseover|load)/i);
    expect(out.html).toContain('<div style="color:red">t</div>');
  });

  it('drops javascript: and data: links, obfuscated ones too, and keeps web and mail links', () => {
    const out = html(
      '<a href="javascript:alert(1)">a</a><a href="jav&#x09;ascript:alert(1)">b</a><a href=" JAVASCRIPT:alert(1)">c</a>' +
        '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a><a href="https://ok.example/x?a=1&amp;b=2">ok</a><a href="mailto:a@b.example">m</a>',
    );
    expect(out.html).not.toMatch(/javascript|data:/i);
    expect(out.html).toContain('href="https://ok.example/x?a=1&amp;b=2"');
    expect(out.html).toContain('href="mailto:a@b.example"');
    // Links open outside the mail view and send no referrer.
    expect(out.html).toContain('rel="noopener noreferrer"');
  });

  it('removes frames, objects, forms and page-level tags', () => {
    const out = html(
      '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf"><frameset><frame src="y"></frameset>' +
        '<form action="https://phish.example"><input name="password"><button>Log in</button><textarea>secret</textarea><select><option>o</option></select></form>' +
        '<meta http-equiv="refresh" content="0;url=https://x.example"><base href="https://x.example/"><link rel="stylesheet" href="https://x.example/a.css"><title>Title</title><p>body</p>',
    );
    expect(out.html).not.toMatch(/<(iframe|object|embed|frame|form|input|button|textarea|select|option|meta|base|link|title)\b/i);
    expect(out.html).not.toMatch(/evil|phish|secret|Title/);
    expect(out.html).toContain('<p>body</p>');
  });

  it('blocks remote images behind data-remote-src and says so', () => {
    const out = html('<p><img src="https://tracker.example/p.gif" width="1" alt="x"><img src="http://img.example/a.png"><img src="//cdn.example/b.png"></p>');
    expect(out.hasRemoteImages).toBe(true);
    expect(out.html).not.toMatch(/\ssrc=/);
    expect(out.html).toContain(`${REMOTE_SRC}="https://tracker.example/p.gif"`);
    expect(out.html).toContain(`${REMOTE_SRC}="http://img.example/a.png"`);
    expect(out.html).toContain(`${REMOTE_SRC}="https://cdn.example/b.png"`);
  });

  it('keeps cid: images and small raster data: images, which load nothing remote', () => {
    const out = html('<img src="cid:logo@example.com" alt="logo"><img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml;base64,PHN2Zz4=">');
    expect(out.hasRemoteImages).toBe(false);
    expect(out.html).toContain('src="cid:logo@example.com"');
    expect(out.html).toContain('alt="logo"');
    expect(out.html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(out.html).not.toContain('svg');
  });

  it('does not trust a data-remote-src the message brought itself', () => {
    const out = html('<img data-remote-src="https://sneaky.example/x.png" src="cid:a"><p data-remote-src="x">p</p>');
    expect(out.html).toBe('<img src="cid:a" /><p>p</p>');
    expect(out.hasRemoteImages).toBe(false);
  });

  it('keeps style attributes but strips url(), escaped or not, and script hooks', () => {
    const out = html(
      '<div style="color:red;background:url(https://t.example/p.gif) no-repeat;background-image: url(\'https://t.example/q.gif\')">s</div>' +
        '<p style="b\\61 ckground:\\75 rl(https://t.example/escaped.gif)">e</p>' +
        '<p style="behavior:url(x.htc);width:expression(alert(1));font-weight:bold">ie</p>',
    );
    expect(out.html).not.toMatch(/url\(|t\.example|expression\(|behavior/i);
    expect(out.html).toContain('color:red');
    expect(out.html).toContain('font-weight:bold');
    expect(out.hasRemoteImages).toBe(false);
  });

  it('keeps <style> elements without @import, url() or a way out of the element', () => {
    const out = html(
      '<style>@import url(https://x.example/y.css); @import "https://x.example/z.css"; body{background:url(https://t.example/s.gif)} .a{color:blue}' +
        ' .b::after{content:"\\3c/style\\3e<script>alert(1)</script>"}</style><p class="a">styled</p>',
    );
    expect(out.html).toContain('.a{color:blue}');
    expect(out.html).not.toMatch(/@import|url\(|x\.example|t\.example/);
    // Exactly one element closing tag, the real one: no </style><script> breakout.
    expect(out.html.match(/<\/style>/g)).toHaveLength(1);
    expect(out.html).not.toMatch(/<script/i);
  });

  it('handles empty and missing input', () => {
    expect(html('')).toEqual({ html: '', hasRemoteImages: false });
    expect(sanitizeMailHtml(undefined)).toEqual({ html: '', hasRemoteImages: false });
  });
});

describe('cleanCss and the text of an HTML body', () => {
  it('neutralises every way of spelling url(', () => {
    for (const css of ['background:url(x)', 'background:URL( "x" )', 'background:\\75 rl(x)', 'background:u\\72l(x)', 'background:url(x', 'background:image-set("x.png" 1x)', 'background:u/**/rl(x)']) {
      expect(cleanCss(css), css).not.toMatch(/url\(|image-set\(/i);
    }
  });

  it('collects the visible text in words and lines while sanitising', () => {
    const out = sanitizeMailHtml(
      '<html><head><title>T</title><style>p>b{color:red}</style></head><body><table><tr><td>a &amp; b</td><td>c &lt; d</td></tr></table>' +
        '<p>line1<br>line2</p><p>x&nbsp;y</p><script>hidden()</script></body></html>',
      { withText: true },
    );
    expect(out.text).toBe('a & b c < d\n\nline1\nline2\nx y');
    expect(html('<p>x</p>').text).toBeUndefined();
  });
});

describe('normalize', () => {
  it('lower-cases and de-duplicates addresses, keeping the first name found', () => {
    expect(normalizeAddresses([{ address: ' Bob@Example.COM ' }, { name: ' "Bob  B." ', address: 'bob@example.com' }, { name: 'Ann', address: 'ANN@x.example' }, { address: '' }, null])).toEqual([
      { name: 'Bob B.', address: 'bob@example.com' },
      { name: 'Ann', address: 'ann@x.example' },
    ]);
  });

  it('builds space-padded participant and domain strings', () => {
    expect(participantsText(['a@x.example', 'b@y.example', 'a@x.example'])).toBe(' a@x.example b@y.example ');
    expect(participantDomainsText(['a@x.example', 'b@x.example', 'root', 'c@y.example'])).toBe(' x.example y.example ');
    expect(participantsText([])).toBe('');
  });

  it('cuts snippets at 200 code units without splitting an emoji', () => {
    const text = `${'a'.repeat(199)}😀 and more text`;
    const snippet = snippetOf(text);
    expect(snippet.length).toBeLessThanOrEqual(200);
    expect(snippet).toBe('a'.repeat(199));
    expect(snippetOf('  several\n\n lines\tof   text ')).toBe('several lines of text');
  });

  it('brackets message ids and keeps the root of long References', () => {
    const ids = Array.from({ length: 80 }, (_, i) => `<m${i}@x.example>`);
    const refs = normalizeReferences(ids.join(' '));
    expect(refs).toHaveLength(50);
    expect(refs[0]).toBe('<m0@x.example>');
    expect(refs[49]).toBe('<m79@x.example>');
    expect(normalizeReferences(['bare@x.example'])).toEqual(['<bare@x.example>']);
  });
});

async function richMessage() {
  return rawMessage({
    from: { name: 'Jürgen Müller', address: 'Juergen.Mueller@Example.DE' },
    to: [{ name: '王伟', address: 'Wang.Wei@Example.CN' }, 'wang.wei@example.cn', 'Zoë Ñúñez <ZOE@Partner.example>'],
    cc: 'Team <TEAM@Example.com>',
    bcc: 'hidden@Secret.example',
    replyTo: 'Replies <replies@example.com>',
    subject: 'Grüße – 会议安排 📅',
    messageId: '<abc@example.de>',
    inReplyTo: '<root@example.de>',
    references: ['<root@example.de>', '<mid@example.de>'],
    date: new Date('2025-03-04T05:06:07Z'),
    text: 'Hallo Welt,\n\nZweite Zeile mit Umlauten: äöü.',
    html: '<p>Hallo <b>Welt</b></p><img src="cid:logo@example.de"><img src="https://tracker.example/p.gif"><script>alert(1)</script>',
    attachments: [
      { filename: 'Bericht – März.pdf', content: Buffer.alloc(1234, 7), contentType: 'application/pdf' },
      { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@example.de' },
    ],
  });
}

describe('parseMessage (raw MIME)', () => {
  it('decodes encoded subjects and names and normalises every field', async () => {
    const message = await richMessage();
    const source = (message.raw as Buffer).toString('latin1');
    // The fixture really is encoded: RFC 2047 words in the headers.
    expect(source).toMatch(/Subject: =\?UTF-8\?/);
    expect(source).toMatch(/From: =\?UTF-8\?/);

    const content = await parseMessage(message);
    expect(content.malformed).toBe(false);
    expect(content.subject).toBe('Grüße – 会议安排 📅');
    expect(content.from).toEqual({ name: 'Jürgen Müller', address: 'juergen.mueller@example.de' });
    expect(content.to).toEqual([
      { name: '王伟', address: 'wang.wei@example.cn' },
      { name: 'Zoë Ñúñez', address: 'zoe@partner.example' },
    ]);
    expect(content.cc).toEqual([{ name: 'Team', address: 'team@example.com' }]);
    expect(content.replyTo).toEqual([{ name: 'Replies', address: 'replies@example.com' }]);
    expect(content.messageId).toBe('<abc@example.de>');
    expect(content.inReplyTo).toBe('<root@example.de>');
    expect(content.references).toEqual(['<root@example.de>', '<mid@example.de>']);
    expect(content.sentAt?.toISOString()).toBe('2025-03-04T05:06:07.000Z');
    expect(content.text).toContain('Zweite Zeile mit Umlauten: äöü.');
    expect(content.snippet).toBe('Hallo Welt, Zweite Zeile mit Umlauten: äöü.');
    expect(content.size).toBe((message.raw as Buffer).length);
  });

  it('keeps the Bcc header when the message has one (sent mail)', async () => {
    const raw = await compose({ from: 'me@example.com', bcc: 'Hidden <Hidden@Secret.example>', subject: 's', text: 't' }, { keepBcc: true });
    const content = await parseMessage({ ...remote(), raw });
    expect(content.bcc).toEqual([{ name: 'Hidden', address: 'hidden@secret.example' }]);
  });

  it('sanitises the HTML body and keeps cid: links for the inline image', async () => {
    const content = await parseMessage(await richMessage());
    expect(content.html).toContain('<p>Hallo <b>Welt</b></p>');
    expect(content.html).toContain('src="cid:logo@example.de"');
    expect(content.html).not.toContain('data:image');
    expect(content.html).not.toMatch(/<script/);
    expect(content.hasRemoteImages).toBe(true);
  });

  it('describes attachments without their content; an inline image is not an attachment', async () => {
    const content = await parseMessage(await richMessage());
    expect(content.attachments).toHaveLength(2);
    const [pdf, logo] = [content.attachments.find((a) => a.contentType === 'application/pdf'), content.attachments.find((a) => a.contentType === 'image/png')];
    expect(pdf).toMatchObject({ filename: 'Bericht – März.pdf', size: 1234, inline: false });
    expect(pdf?.remoteId).toMatch(/^part:[\d.]+$/);
    expect(logo).toMatchObject({ filename: 'logo.png', size: PNG.length, inline: true, contentId: 'logo@example.de' });
    expect(JSON.stringify(content.attachments)).not.toContain('content"');
    expect(content.hasAttachments).toBe(true);

    const onlyInline = await parseMessage(await rawMessage({ from: 'a@x.example', html: '<img src="cid:i@x">', attachments: [{ filename: 'i.png', content: PNG, cid: 'i@x' }] }));
    expect(onlyInline.hasAttachments).toBe(false);
  });

  it('sizes big attachments by their decoded bytes, and reads the text after them', async () => {
    // Several MB flow through mailparser's stream in many chunks: each is counted and dropped.
    const big = Buffer.alloc(3_000_001, 7);
    const content = await parseMessage(await rawMessage({ from: 'a@x.example', subject: 'big', text: 'see files', attachments: [{ filename: 'a.bin', content: big }, { filename: 'b.txt', content: 'tail' }] }));
    expect(content.attachments.map((a) => [a.filename, a.size])).toEqual([['a.bin', big.length], ['b.txt', 4]]);
    expect(content.text.trim()).toBe('see files');
    expect(content.malformed).toBe(false);
  });

  it('derives text from an HTML-only message and leaves html empty for a text-only one', async () => {
    const htmlOnly = await parseMessage(await rawMessage({ from: 'a@x.example', subject: 'h', html: '<h1>Title</h1><p>Para&nbsp;one</p>' }));
    expect(htmlOnly.text).toMatch(/title/i);
    expect(htmlOnly.text).toMatch(/Para.one/);
    const textOnly = await parseMessage(await rawMessage({ from: 'a@x.example', subject: 't', text: 'Only text' }));
    expect(textOnly.html).toBe('');
    expect(textOnly.text.trim()).toBe('Only text');
    expect(textOnly.hasRemoteImages).toBe(false);
  });

  it('ignores an unreadable Date header instead of inventing one', async () => {
    const content = await parseMessage(rawBytes('From: a@x.example\r\nDate: not a date\r\nSubject: s\r\n\r\nbody\r\n'));
    expect(content.sentAt).toBeUndefined();
    expect(content.malformed).toBe(false);
  });
});

describe('parseMessage (malformed MIME never throws)', () => {
  it('stores a truncated multipart with what was read, flagged', async () => {
    const full = (await richMessage()).raw as Buffer;
    const cut = full.subarray(0, Math.floor(full.length * 0.8));
    const content = await parseMessage({ ...remote(), raw: cut });
    expect(content.malformed).toBe(true);
    expect(content.parseError).toMatch(/truncated/);
    expect(content.subject).toBe('Grüße – 会议安排 📅');
    expect(content.from?.address).toBe('juergen.mueller@example.de');
    expect(content.text).toContain('Zweite Zeile');
  });

  it('flags bad base64 and keeps the rest of the message', async () => {
    const raw =
      'From: =?UTF-8?Q?J=C3=BCrgen?= <j@x.example>\r\nSubject: Bad base64\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n' +
      '--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nReadable part\r\n' +
      '--B\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="x.pdf"\r\n\r\nJVBERi0x!!!*** not base64 ***\r\n' +
      '--B--\r\n';
    const content = await parseMessage(rawBytes(raw));
    expect(content.malformed).toBe(true);
    expect(content.parseError).toMatch(/base64/);
    expect(content.subject).toBe('Bad base64');
    expect(content.from).toEqual({ name: 'Jürgen', address: 'j@x.example' });
    expect(content.text).toContain('Readable part');
    expect(content.attachments.map((a) => a.filename)).toEqual(['x.pdf']);
  });

  it('checks the structure on bytes: bare LF line ends, a last line without a newline, a byte outside ASCII in base64', async () => {
    const head = 'From: a@x.example\nSubject: Bytes\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\nHi\n';
    const attachment = (body: Buffer) => Buffer.concat([Buffer.from(`${head}--B\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n`), body, Buffer.from('\n--B--')]);
    const clean = await parseMessage({ ...remote(), raw: attachment(Buffer.from('JVBE\u00a0Ri0x', 'latin1')) });
    expect(clean).toMatchObject({ malformed: false, subject: 'Bytes' });
    const badByte = await parseMessage({ ...remote(), raw: attachment(Buffer.from([0x4a, 0x56, 0xc3, 0xa9, 0x42])) });
    expect(badByte.parseError).toMatch(/base64/);
    const cut = await parseMessage({ ...remote(), raw: Buffer.from(`${head}--B\nContent-Type: text/plain\n\nno end`) });
    expect(cut.parseError).toMatch(/truncated/);
  });

  it('keeps the body of a message without headers as its text', async () => {
    const content = await parseMessage(rawBytes('just some body text\nwith a second line\n'));
    expect(content).toMatchObject({ malformed: true, subject: '', to: [], attachments: [] });
    expect(content.parseError).toMatch(/no header/);
    expect(content.text).toContain('with a second line');
  });

  it('survives empty input, binary garbage and a message without content', async () => {
    const empty = await parseMessage({ ...remote(), raw: Buffer.alloc(0) });
    expect(empty).toMatchObject({ malformed: true, parseError: 'the message is empty' });
    const garbage = await parseMessage({ ...remote(), raw: Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 10, 13, 0x80, 0x81]) });
    expect(garbage.malformed).toBe(true);
    const nothing = await parseMessage(remote());
    expect(nothing).toMatchObject({ malformed: true, parseError: 'the provider sent no content' });
  });
});

describe('parseMessage (Graph-like parsed fields)', () => {
  it('normalises the fields, sanitises the HTML and derives text from it', async () => {
    const content = await parseMessage(
      graphMessage({
        messageId: '<graph-1@contoso.example>',
        inReplyTo: 'root@contoso.example',
        references: ['<root@contoso.example>'],
        subject: 'Quarterly – Q3 ✓',
        from: { name: 'Carol de Vries', address: 'Carol@Contoso.Example' },
        to: [{ name: 'Dave', address: 'DAVE@contoso.example' }, { address: 'dave@contoso.example' }],
        cc: [{ address: 'Team@Partner.Example' }],
        sentAt: new Date('2025-05-06T07:08:09Z'),
        html: '<html><head><title>t</title></head><body><p>Numbers &amp; plans</p><img src="https://cdn.example/x.png"><script>x()</script></body></html>',
        snippet: 'Numbers & plans',
        attachments: [{ remoteId: 'AAMk-att-1', filename: 'plan.xlsx', contentType: 'application/vnd.ms-excel', size: 2048, inline: false }, { remoteId: 'AAMk-att-2', filename: 'sig.png', contentType: 'image/png', size: 10, inline: true, contentId: '<sig@contoso>' }],
      }),
    );
    expect(content).toMatchObject({
      messageId: '<graph-1@contoso.example>',
      inReplyTo: '<root@contoso.example>',
      references: ['<root@contoso.example>'],
      subject: 'Quarterly – Q3 ✓',
      from: { name: 'Carol de Vries', address: 'carol@contoso.example' },
      to: [{ name: 'Dave', address: 'dave@contoso.example' }],
      cc: [{ address: 'team@partner.example' }],
      snippet: 'Numbers & plans',
      text: 'Numbers & plans',
      hasRemoteImages: true,
      hasAttachments: true,
      malformed: false,
    });
    expect(content.sentAt?.toISOString()).toBe('2025-05-06T07:08:09.000Z');
    expect(content.html).not.toMatch(/<script|<title|\ssrc="https/);
    expect(content.attachments[1]).toEqual({ remoteId: 'AAMk-att-2', filename: 'sig.png', contentType: 'image/png', size: 10, inline: true, contentId: 'sig@contoso' });
  });

  it('builds the snippet from the text when the provider sent none', async () => {
    const content = await parseMessage(graphMessage({ text: `${'word '.repeat(100)}end` }));
    expect(content.snippet.length).toBeLessThanOrEqual(200);
    expect(content.snippet.startsWith('word word')).toBe(true);
  });
});

describe('compose fixture', () => {
  it('round-trips through MailComposer (guards the helpers above)', async () => {
    const raw = await compose({ from: 'a@x.example', to: 'b@y.example', subject: 'x', text: 'y' });
    expect(raw.toString()).toContain('Subject: x');
  });
});
