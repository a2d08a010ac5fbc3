// Sending large mail the way Google and Microsoft require it, through the official clients:
// Gmail's media upload (/upload/gmail/v1/…/messages/send, up to 35 MB) and Graph's 4 MB request
// limit with attachment upload sessions (createUploadSession + PUTs to the pre-authenticated
// uploadUrl, driven by the Graph client's LargeFileUploadTask).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { Client, FileUpload, GraphError, LargeFileUploadTask, ResponseType, RetryHandlerOptions, type Range } from '@microsoft/microsoft-graph-client';
import { GaxiosError } from 'gaxios';
import { OAuth2Client } from 'google-auth-library';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { googleEndpoints } from '../../sandbox/google';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@contoso.example';
const DAVE = 'dave@contoso.example';
const MiB = 1024 * 1024;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, size: 40, smallSize: 20 });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A token as the sandbox's token endpoint would issue it (the OAuth flows are covered elsewhere). */
function token(email: string, scopes: string[]) {
  const user = sandbox.state.findUser(email)!;
  const client = user.provider === 'google' ? 'sandbox-google-client' : 'sandbox-microsoft-client';
  return sandbox.state.tokens.issue(user.provider, client, user, scopes).accessToken;
}

function compose(options: Mail.Options) {
  const mail = new MailComposer(options).compile();
  return new Promise<Buffer>((resolve, reject) => mail.build((err, buf) => (err ? reject(err) : resolve(buf))));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Gmail media upload (messages.send)', () => {
  let api: gmail_v1.Gmail;
  let root: string;

  beforeAll(() => {
    root = `${sandbox.googleUrl}/`;
    const auth = new OAuth2Client({ clientId: 'sandbox-google-client', clientSecret: 'sandbox-google-secret', endpoints: googleEndpoints(sandbox.googleUrl) });
    auth.setCredentials({ access_token: token(ALICE, ['https://www.googleapis.com/auth/gmail.modify']) });
    api = gmail({ version: 'v1', auth: auth as never, rootUrl: root });
  });

  it('sends a 20 MB reply as multipart/related (metadata + stream): SENT, threadId kept, delivered, 100 quota units', async () => {
    const original = (await api.users.messages.list({ userId: 'me', labelIds: ['INBOX'], maxResults: 1 })).data.messages![0];
    const headers = (await api.users.messages.get({ userId: 'me', id: original.id!, format: 'metadata', metadataHeaders: ['Subject', 'Message-ID'] })).data.payload!.headers!;
    const header = (name: string) => headers.find((h) => h.name!.toLowerCase() === name.toLowerCase())!.value!;
    const attachment = randomBytes(15 * MiB);
    const raw = await compose({
      from: ALICE,
      to: BOB,
      subject: `Re: ${header('Subject')}`,
      inReplyTo: header('Message-ID'),
      references: [header('Message-ID')],
      text: 'The big file.',
      attachments: [{ filename: 'big.bin', content: attachment, contentType: 'application/octet-stream' }],
    });
    expect(raw.length).toBeGreaterThan(20 * MiB);
    const unitsBefore = sandbox.state.counters.quotaUnits[ALICE] ?? 0;

    // The library sends media only to the per-call rootUrl (a client-level rootUrl is not applied
    // to upload URLs), and a multipart body must be a string or a stream, not a Buffer.
    const res = await api.users.messages.send(
      { userId: 'me', requestBody: { threadId: original.threadId }, media: { mimeType: 'message/rfc822', body: Readable.from([raw]) } },
      { rootUrl: root },
    );
    expect(res.config.url?.toString()).toContain('/upload/gmail/v1/users/me/messages/send');
    expect(res.data).toMatchObject({ threadId: original.threadId, labelIds: ['SENT'] });
    expect(sandbox.state.counters.quotaUnits[ALICE] - unitsBefore).toBe(100);

    const sent = (await api.users.messages.get({ userId: 'me', id: res.data.id!, format: 'metadata' })).data;
    expect(sent.sizeEstimate).toBeGreaterThanOrEqual(raw.length);
    const bob = sandbox.state.mailbox(BOB)!;
    const atBob = bob.list({ folderIds: ['INBOX'] }).find((m) => m.subject === `Re: ${header('Subject')}`);
    expect(atBob).toBeTruthy();
    const parsed = await simpleParser(await bob.raw(atBob!.id));
    expect(sha(parsed.attachments[0].content)).toBe(sha(attachment));
  });

  it('takes uploadType=media (Buffer body) and a base64 part with Content-Transfer-Encoding', async () => {
    const raw = await compose({ from: ALICE, to: BOB, subject: 'Media upload', text: 'Body only.' });
    const media = await api.users.messages.send({ userId: 'me', media: { mimeType: 'message/rfc822', body: raw } }, { rootUrl: root });
    expect(media.config.url?.toString()).toContain('uploadType=media');
    expect(media.data.labelIds).toEqual(['SENT']);

    // Clients other than the Node library may send the message base64-encoded inside the multipart body.
    const thread = media.data.threadId!;
    const boundary = 'sbx-boundary-1';
    const body = [
      `--${boundary}`, 'Content-Type: application/json; charset=UTF-8', '', JSON.stringify({ threadId: thread }),
      `--${boundary}`, 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '',
      (await compose({ from: ALICE, to: BOB, subject: 'Re: Media upload', text: 'Again.' })).toString('base64').replace(/.{76}/g, '$&\r\n'),
      `--${boundary}--`, '',
    ].join('\r\n');
    const auth = `Bearer ${token(ALICE, ['https://www.googleapis.com/auth/gmail.send'])}`;
    const res = await fetch(`${sandbox.googleUrl}/upload/gmail/v1/users/me/messages/send?uploadType=multipart`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ threadId: thread, labelIds: ['SENT'] });

    const wrongType = await fetch(`${sandbox.googleUrl}/upload/gmail/v1/users/me/messages/send?uploadType=media`, {
      method: 'POST', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: 'x',
    });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).error.message).toBe("Media type 'application/octet-stream' is not supported. Valid media types: [message/*]");
  });

  it('refuses a message over 35 MB with 413 and sends nothing', async () => {
    const head = Buffer.from(`From: ${ALICE}\r\nTo: ${BOB}\r\nSubject: Too big\r\n\r\n`);
    const raw = Buffer.concat([head, Buffer.alloc(36 * MiB - head.length, 'a')]);
    const sentBefore = sandbox.state.mailbox(ALICE)!.list({ folderIds: ['SENT'] }).length;
    // A stream: on an error gaxios serialises a Buffer body into the error (about 20 s for 36 MB).
    const body = Readable.from([raw]);
    const err = await api.users.messages.send({ userId: 'me', media: { mimeType: 'message/rfc822', body } }, { rootUrl: root }).catch((e: GaxiosError) => e);
    expect(err).toBeInstanceOf(GaxiosError);
    const failure = err as GaxiosError<Json>;
    expect(failure.response?.status).toBe(413);
    expect(failure.response?.data.error).toMatchObject({ code: 413, message: 'Media larger than: 36700160', errors: [{ reason: 'uploadTooLarge', domain: 'global' }] });
    expect(sandbox.state.mailbox(ALICE)!.list({ folderIds: ['SENT'] }).length).toBe(sentBefore);
  });

  it('the library cannot put a Buffer into a multipart upload (pass a string or a stream)', async () => {
    const raw = await compose({ from: ALICE, to: BOB, subject: 'Buffer', text: 'x' });
    await expect(api.users.messages.send({ userId: 'me', requestBody: {}, media: { mimeType: 'message/rfc822', body: raw } }, { rootUrl: root })).rejects.toThrow(/pipe is not a function/);
  });
});

describe('Graph: 4 MB requests, attachments and upload sessions', () => {
  const tokens = new Map<string, string>();
  const noRetry = () => [new RetryHandlerOptions(0, 0)];
  const graph = (email: string) => Client.init({
    baseUrl: sandbox.microsoftUrl,
    customHosts: new Set(['localhost']),
    authProvider: (done) => done(null, tokens.get(email) || ''),
  });
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: GraphError) => e);
  const draft = async (subject: string, extra: Json = {}) =>
    (await graph(CAROL).api('/me/messages').post({ subject, body: { contentType: 'text', content: 'See attached.' }, toRecipients: [{ emailAddress: { address: DAVE } }], ...extra })) as Json;
  const session = async (id: string, size: number) =>
    (await graph(CAROL).api(`/me/messages/${id}/attachments/createUploadSession`).post({ AttachmentItem: { attachmentType: 'file', name: 'big.bin', size } })) as Json;

  beforeAll(() => {
    for (const email of [CAROL, DAVE]) tokens.set(email, token(email, ['Mail.ReadWrite', 'Mail.Send', 'User.Read']));
  });

  it('uploads a 20 MB attachment to a draft with LargeFileUploadTask in 4 MB ranges, then sends it', async () => {
    const message = await draft('Quarterly archive');
    const file = randomBytes(20 * MiB);
    const client = graph(CAROL);
    const upload = await LargeFileUploadTask.createUploadSession(client, `/me/messages/${message.id}/attachments/createUploadSession`, {
      AttachmentItem: { attachmentType: 'file', name: 'archive.zip', size: file.length, contentType: 'application/zip' },
    });
    expect(upload.url).toMatch(/^https:\/\/localhost:\d+\/api\/v2\.0\/Users\('[^']+'\)\/Messages\('[^']+'\)\/AttachmentSessions\('[^']+'\)\?authtoken=/);
    const ranges: Range[] = [];
    const task = new LargeFileUploadTask(client, new FileUpload(file, 'archive.zip', file.length), upload, {
      rangeSize: 4 * MiB,
      uploadEventHandlers: { progress: (range) => range && ranges.push(range) },
    });
    const result = await task.upload();
    expect(ranges).toHaveLength(5);
    expect(ranges.every((r) => r.maxValue - r.minValue + 1 <= 4 * MiB)).toBe(true);
    expect(result.location).toMatch(/\/Messages\('[^']+'\)\/Attachments\('[^']+'\)$/);

    const attachments = (await client.api(`/me/messages/${message.id}/attachments`).select('name,size,contentType').get()).value as Json[];
    expect(attachments).toEqual([expect.objectContaining({ name: 'archive.zip', size: file.length, contentType: 'application/zip' })]);
    expect(attachments[0].contentBytes).toBeUndefined();

    const sendRes = await client.api(`/me/messages/${message.id}/send`).responseType(ResponseType.RAW).post(null);
    expect(sendRes.status).toBe(202);
    const sentItems = (await client.api('/me/mailFolders/sentitems').get()).id;
    const sent = await client.api(`/me/messages/${message.id}`).select('parentFolderId,isDraft,hasAttachments').get();
    expect(sent).toMatchObject({ parentFolderId: sentItems, isDraft: false, hasAttachments: true });

    const inbox = (await graph(DAVE).api('/me/mailFolders/inbox/messages').top(5).select('subject,hasAttachments').get()).value as Json[];
    const received = inbox.find((m) => m.subject === 'Quarterly archive');
    expect(received).toMatchObject({ hasAttachments: true });
    const theirs = (await graph(DAVE).api(`/me/messages/${received!.id}/attachments`).select('name,size').get()).value as Json[];
    expect(theirs).toEqual([expect.objectContaining({ name: 'archive.zip', size: file.length })]);
    const bytes = await graph(DAVE).api(`/me/messages/${received!.id}/attachments/${theirs[0].id}/$value`).responseType(ResponseType.ARRAYBUFFER).get();
    expect(sha(Buffer.from(bytes as ArrayBuffer))).toBe(sha(file));
  });

  it('answers 413 to requests over 4 MB: sendMail (JSON or MIME) and POST attachments', async () => {
    const big = randomBytes(5 * MiB);
    const json = await failure(graph(CAROL).api('/me/sendMail').middlewareOptions(noRetry()).post({
      message: { subject: 'Too big', toRecipients: [{ emailAddress: { address: DAVE } }], attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'big.bin', contentBytes: big.toString('base64') }] },
    }));
    expect(json).toMatchObject({ statusCode: 413, code: 'ErrorRequestEntityTooLarge' });
    const mime = await compose({ from: CAROL, to: DAVE, subject: 'Too big MIME', attachments: [{ filename: 'big.bin', content: big }] });
    const asMime = await failure(graph(CAROL).api('/me/sendMail').header('Content-Type', 'text/plain').middlewareOptions(noRetry()).post(mime.toString('base64')));
    expect(asMime).toMatchObject({ statusCode: 413 });
    expect((await graph(DAVE).api('/me/mailFolders/inbox/messages').top(5).select('subject').get()).value.map((m: Json) => m.subject)).not.toContain('Too big');

    const message = await draft('Small and large');
    const tooLarge = await failure(graph(CAROL).api(`/me/messages/${message.id}/attachments`).middlewareOptions(noRetry()).post({
      '@odata.type': '#microsoft.graph.fileAttachment', name: 'three-and-a-half.bin', contentBytes: randomBytes(3.5 * MiB).toString('base64'),
    }));
    expect(tooLarge).toMatchObject({ statusCode: 413 });
    const small = randomBytes(2.5 * MiB);
    const added = await graph(CAROL).api(`/me/messages/${message.id}/attachments`).post({
      '@odata.type': '#microsoft.graph.fileAttachment', name: 'small.bin', contentType: 'application/pdf', contentBytes: small.toString('base64'),
    });
    expect(added).toMatchObject({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'small.bin', size: small.length, contentType: 'application/pdf', isInline: false });
    const listed = (await graph(CAROL).api(`/me/messages/${message.id}/attachments`).select('name').get()).value as Json[];
    expect(listed.map((a) => a.id)).toEqual([added.id]);
    await graph(CAROL).api(`/me/messages/${message.id}/attachments/${added.id}`).delete();
    expect((await graph(CAROL).api(`/me/messages/${message.id}`).select('hasAttachments').get()).hasAttachments).toBe(false);
  });

  it('upload sessions: drafts only, 2 MB at least, ranges in order (416), at most 4 MB a request, no Authorization, cancel', async () => {
    const inboxMessage = (await graph(CAROL).api('/me/mailFolders/inbox/messages').top(1).get()).value[0] as Json;
    expect(await failure(session(inboxMessage.id, 5 * MiB))).toMatchObject({ statusCode: 400, code: 'ErrorInvalidOperation' });
    const attachedToInbox = await failure(graph(CAROL).api(`/me/messages/${inboxMessage.id}/attachments`).post({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'a.txt', contentBytes: 'YQ==' }));
    expect(attachedToInbox).toMatchObject({ statusCode: 400, code: 'ErrorInvalidOperation' });

    const message = await draft('Ranges');
    expect(await failure(session(message.id, MiB))).toMatchObject({ statusCode: 400, code: 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize' });
    expect(await failure(session(message.id, 36 * MiB))).toMatchObject({ statusCode: 400, code: 'ErrorMessageSizeExceeded' });

    const created = await session(message.id, 6 * MiB);
    expect(created).toMatchObject({ nextExpectedRanges: ['0-'] });
    expect(Date.parse(created.expirationDateTime)).toBeGreaterThan(Date.now());
    const file = randomBytes(6 * MiB);
    // Plain PUTs without an Authorization header: the URL carries its own token.
    const put = (start: number, end: number, url = created.uploadUrl as string, body = file.subarray(start, end + 1)) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${file.length}` }, body });

    const first = await put(0, MiB - 1);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ nextExpectedRanges: [String(MiB)], ExpirationDateTime: expect.any(String) });
    const skipped = await put(2 * MiB, 3 * MiB - 1);
    expect(skipped.status).toBe(416);
    expect((await skipped.json()).error.code).toBe('ErrorInvalidRange');
    expect((await put(0, MiB - 1)).status).toBe(416);
    const tooLong = await put(MiB, 6 * MiB - 1);
    expect(tooLong.status).toBe(413);
    expect((await tooLong.json()).error.code).toBe('ErrorRequestEntityTooLarge');
    const badToken = await put(MiB, 2 * MiB - 1, created.uploadUrl.replace(/authtoken=[^&]+/, 'authtoken=forged'));
    expect(badToken.status).toBe(401);
    const status = await fetch(created.uploadUrl);
    expect(await status.json()).toMatchObject({ nextExpectedRanges: [String(MiB)] });

    const cancel = await fetch(created.uploadUrl, { method: 'DELETE' });
    expect(cancel.status).toBe(204);
    expect((await put(MiB, 2 * MiB - 1)).status).toBe(404);
    expect((await graph(CAROL).api(`/me/messages/${message.id}`).select('hasAttachments').get()).hasAttachments).toBe(false);

    // A second session runs to the end with plain PUTs: 201, Location, no body.
    const again = await session(message.id, 6 * MiB);
    expect((await put(0, 4 * MiB - 1, again.uploadUrl)).status).toBe(200);
    const last = await put(4 * MiB, 6 * MiB - 1, again.uploadUrl);
    expect(last.status).toBe(201);
    expect(last.headers.get('location')).toMatch(/\/Attachments\('[^']+'\)$/);
    expect(await last.text()).toBe('');
    expect(sandbox.state.counters.requests['outlook.attachmentSessions.upload']).toBeGreaterThanOrEqual(8);
  });

  it('drafts: internetMessageId and x- headers are kept (also across attachment changes), conversationId is not writable, MIME drafts', async () => {
    const id = `<draft-${Date.now()}@contoso.example>`;
    const message = await draft('Headers', {
      internetMessageId: id,
      conversationId: 'AAQkADI1forged=',
      internetMessageHeaders: [{ name: 'X-Sandbox-Case', value: 'large-send' }],
    });
    expect(message.internetMessageId).toBe(id);
    expect(message.conversationId).not.toBe('AAQkADI1forged=');
    await graph(CAROL).api(`/me/messages/${message.id}/attachments`).post({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'note.txt', contentBytes: Buffer.from('hello').toString('base64') });
    const after = await graph(CAROL).api(`/me/messages/${message.id}`).select('internetMessageId,internetMessageHeaders,conversationId,hasAttachments').get();
    expect(after).toMatchObject({ internetMessageId: id, conversationId: message.conversationId, hasAttachments: true });
    expect(after.internetMessageHeaders).toContainEqual({ name: 'X-Sandbox-Case', value: 'large-send' });

    const notX = await failure(draft('Bad header', { internetMessageHeaders: [{ name: 'In-Reply-To', value: '<x@y>' }] }));
    expect(notX).toMatchObject({ statusCode: 400, code: 'InvalidInternetMessageHeader' });
    expect(await failure(draft('Bad id', { internetMessageId: 'no-brackets' }))).toMatchObject({ statusCode: 400 });

    const mime = await compose({ from: CAROL, to: DAVE, subject: 'MIME draft', text: 'Drafted as MIME.', messageId: '<mime-draft-1@contoso.example>' });
    const mimeDraft = await graph(CAROL).api('/me/messages').header('Content-Type', 'text/plain').post(mime.toString('base64'));
    expect(mimeDraft).toMatchObject({ isDraft: true, subject: 'MIME draft', internetMessageId: '<mime-draft-1@contoso.example>' });
  });

  it("PATCH changes a draft's subject, body and recipients (a reply draft stays in its conversation), not a received message's", async () => {
    const original = (await graph(CAROL).api('/me/mailFolders/inbox/messages').top(1).select('subject,conversationId').get()).value[0] as Json;
    const reply = await graph(CAROL).api(`/me/messages/${original.id}/createReply`).post({});
    const patched = await graph(CAROL).api(`/me/messages/${reply.id}`).patch({
      subject: 'RE: patched reply',
      body: { contentType: 'html', content: '<p>Patched text</p>' },
      toRecipients: [{ emailAddress: { address: DAVE } }],
    });
    expect(patched).toMatchObject({ id: reply.id, subject: 'RE: patched reply', conversationId: original.conversationId, isDraft: true, toRecipients: [{ emailAddress: { address: DAVE } }] });
    expect(patched.body.content).toContain('Patched text');
    expect((await graph(CAROL).api(`/me/messages/${reply.id}/send`).responseType(ResponseType.RAW).post(null)).status).toBe(202);
    const inbox = (await graph(DAVE).api('/me/mailFolders/inbox/messages').top(5).select('subject,body').get()).value as Json[];
    expect(inbox.find((m) => m.subject === 'RE: patched reply')?.body.content).toContain('Patched text');

    const received = await failure(graph(CAROL).api(`/me/messages/${original.id}`).patch({ subject: 'Renamed' }));
    expect(received).toMatchObject({ statusCode: 400, code: 'ErrorInvalidPropertyUpdateSentMessage' });
  });

  it('a MIME sendMail with In-Reply-To/References joins the original conversation', async () => {
    const original = (await graph(CAROL).api('/me/mailFolders/inbox/messages').top(1).select('subject,internetMessageId,conversationId,from').get()).value[0] as Json;
    const raw = await compose({
      from: CAROL,
      to: DAVE,
      subject: `RE: ${original.subject}`,
      inReplyTo: original.internetMessageId,
      references: [original.internetMessageId],
      text: 'Replying by MIME.',
      messageId: '<mime-reply-1@contoso.example>',
    });
    const res = await graph(CAROL).api('/me/sendMail').header('Content-Type', 'text/plain').responseType(ResponseType.RAW).post(raw.toString('base64'));
    expect(res.status).toBe(202);
    const sent = (await graph(CAROL).api('/me/mailFolders/sentitems/messages').top(5).select('internetMessageId,conversationId').get()).value as Json[];
    expect(sent.find((m) => m.internetMessageId === '<mime-reply-1@contoso.example>')).toMatchObject({ conversationId: original.conversationId });
  });
});
