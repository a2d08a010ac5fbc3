// Conformance of the Microsoft emulator: everything here goes through the official clients,
// @azure/msal-node for Entra ID and @microsoft/microsoft-graph-client for Graph, over https,
// exactly as the plugin's Outlook adapter talks to Microsoft. The consent page is driven over
// HTTP the way a browser submits it.
import { ConfidentialClientApplication, CryptoProvider, InteractionRequiredAuthError, ServerError, type AuthenticationResult } from '@azure/msal-node';
import { BatchRequestContent, BatchResponseContent, Client, GraphError, ResponseType, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { MailboxThrottle } from '../../sandbox/microsoft/throttle';

const CLIENT_ID = 'sandbox-microsoft-client';
const CLIENT_SECRET = 'sandbox-microsoft-secret';
const REDIRECT_URI = 'http://localhost:13000/admin/settings/mail/oauth2';
const SCOPES = ['Mail.ReadWrite', 'Mail.Send', 'User.Read'];
const CAROL = 'carol@contoso.example';
const DAVE = 'dave@contoso.example';
const ALICE = 'alice@example.com';

let sandbox: Sandbox;
let msal: ConfidentialClientApplication;
const accessTokens = new Map<string, string>();
const results = new Map<string, AuthenticationResult>();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function newMsal(tenant = 'common') {
  const host = new URL(sandbox.microsoftUrl).host;
  return new ConfidentialClientApplication({
    auth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authority: `${sandbox.microsoftUrl}/${tenant}`, knownAuthorities: [host] },
  });
}

function graph(email: string) {
  return Client.init({
    baseUrl: sandbox.microsoftUrl,
    customHosts: new Set(['localhost']),
    authProvider: (done) => done(null, accessTokens.get(email) || ''),
  });
}

const noRetry = () => [new RetryHandlerOptions(0, 0)];

function unescapeHtml(s: string) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The browser leg: open the authorize URL, pick the account, press Accept (or Cancel). */
async function consent(authorizeUrl: string, account: string, decision: 'approve' | 'deny') {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = unescapeHtml(/<form method="post" action="([^"]+)"/.exec(html)![1]);
  const request = unescapeHtml(/name="request" value="([^"]*)"/.exec(html)![1]);
  expect(html).toContain(account);
  const res = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    body: new URLSearchParams({ request, account, decision }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function signIn(email: string, app = msal) {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = `state-${email}`;
  const nonce = `nonce-${Date.now()}`;
  const url = await app.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT_URI, codeChallenge: challenge, codeChallengeMethod: 'S256', state, nonce, loginHint: email });
  const back = await consent(url, email, 'approve');
  const code = back.searchParams.get('code')!;
  const result = await app.acquireTokenByCode(
    { code, scopes: SCOPES, redirectUri: REDIRECT_URI, codeVerifier: verifier, state, nonce },
    { code, state: back.searchParams.get('state')!, client_info: back.searchParams.get('client_info') || undefined },
  );
  accessTokens.set(email, result.accessToken);
  results.set(email, result);
  return { result, verifier, back };
}

function refreshTokenOf(app: ConfidentialClientApplication) {
  const cache = JSON.parse(app.getTokenCache().serialize());
  return Object.values(cache.RefreshToken as Record<string, { secret: string }>)[0].secret;
}

async function rawMessage(input: { from: string; to: string; subject: string; text: string; messageId?: string }) {
  const mail = new MailComposer({ ...input, date: new Date() }).compile();
  return new Promise<Buffer>((resolve, reject) => mail.build((err, buf) => (err ? reject(err) : resolve(buf))));
}

async function folderId(email: string, wellKnown: string) {
  return (await graph(email).api(`/me/mailFolders/${wellKnown}`).get()).id as string;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, size: 300 });
  msal = newMsal();
  await signIn(CAROL);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('Entra ID through msal-node', () => {
  it('publishes OpenID discovery that msal accepts, and signs carol in with PKCE', async () => {
    const res = await fetch(`${sandbox.microsoftUrl}/common/v2.0/.well-known/openid-configuration`);
    const doc = await res.json();
    expect(doc.token_endpoint).toBe(`${sandbox.microsoftUrl}/common/oauth2/v2.0/token`);
    expect(doc.issuer).toBe(`${sandbox.microsoftUrl}/{tenantid}/v2.0`);
    const keys = await (await fetch(doc.jwks_uri)).json();
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });

    const result = results.get(CAROL)!;
    const carol = sandbox.state.findUser(CAROL)!;
    expect(result.account?.username).toBe(CAROL);
    expect(result.account?.homeAccountId).toBe(`${carol.id}.${carol.tenantId}`);
    expect(result.tenantId).toBe(carol.tenantId);
    expect(result.idTokenClaims).toMatchObject({ oid: carol.id, tid: carol.tenantId, preferred_username: CAROL, name: carol.name, aud: CLIENT_ID });
    expect(result.scopes).toEqual(expect.arrayContaining(SCOPES));
    expect(result.expiresOn!.getTime()).toBeGreaterThan(Date.now() + 3000e3);
    expect(sandbox.state.tokens.verify(result.accessToken)?.user.email).toBe(CAROL);
  });

  it('redirects back with code, state and client_info, or access_denied when the user cancels', async () => {
    const url = await msal.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT_URI, state: 'xyz', loginHint: DAVE });
    const approved = await consent(url, DAVE, 'approve');
    expect(`${approved.origin}${approved.pathname}`).toBe(REDIRECT_URI);
    expect(approved.searchParams.get('state')).toBe('xyz');
    expect(approved.searchParams.get('code')).toBeTruthy();
    expect(approved.searchParams.get('session_state')).toBeTruthy();
    const info = JSON.parse(Buffer.from(approved.searchParams.get('client_info')!, 'base64url').toString());
    expect(info).toEqual({ uid: sandbox.state.findUser(DAVE)!.id, utid: sandbox.state.findUser(DAVE)!.tenantId });

    const denied = await consent(url, DAVE, 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    expect(denied.searchParams.get('state')).toBe('xyz');
    expect(denied.searchParams.get('code')).toBeNull();
  });

  it('works with a tenant-specific authority and rejects an unknown tenant', async () => {
    const tenantId = sandbox.state.findUser(DAVE)!.tenantId!;
    const { result } = await signIn(DAVE, newMsal(tenantId));
    expect(result.account?.tenantId).toBe(tenantId);
    const res = await fetch(`${sandbox.microsoftUrl}/00000000-0000-0000-0000-00000000dead/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(400);
    expect((await res.json()).error_codes).toEqual([90002]);
  });

  it('refuses a wrong PKCE verifier, a reused code and a wrong client secret as Entra does', async () => {
    const { challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await msal.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT_URI, codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const code = (await consent(url, CAROL, 'approve')).searchParams.get('code')!;
    const wrong = await msal.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT_URI, codeVerifier: 'x'.repeat(43) }).catch((e) => e);
    expect(wrong).toBeInstanceOf(ServerError);
    expect(wrong.errorCode).toBe('invalid_grant');
    expect(wrong.errorMessage).toContain('AADSTS50148');
    // The code was consumed by the failed attempt: single use, as in Entra.
    const reused = await msal.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT_URI, codeVerifier: 'x'.repeat(43) }).catch((e) => e);
    expect(reused.errorCode).toBe('invalid_grant');
    expect(reused.errorMessage).toContain('AADSTS70000');

    const badSecret = new ConfidentialClientApplication({
      auth: { clientId: CLIENT_ID, clientSecret: 'nope', authority: `${sandbox.microsoftUrl}/common`, knownAuthorities: [new URL(sandbox.microsoftUrl).host] },
    });
    const url2 = await badSecret.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT_URI });
    const code2 = (await consent(url2, CAROL, 'approve')).searchParams.get('code')!;
    const err = await badSecret.acquireTokenByCode({ code: code2, scopes: SCOPES, redirectUri: REDIRECT_URI }).catch((e) => e);
    expect(err.errorCode).toBe('invalid_client');
    expect(err.errorMessage).toContain('AADSTS7000215');
  });

  it('refreshes with acquireTokenByRefreshToken (forceCache), and answers invalid_grant once revoked', async () => {
    const app = newMsal();
    await signIn(DAVE, app);
    const refreshToken = refreshTokenOf(app);
    const fresh = newMsal();
    const refreshed = await fresh.acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES, forceCache: true });
    expect(refreshed?.accessToken).toBeTruthy();
    expect(refreshed?.accessToken).not.toBe(accessTokens.get(DAVE));
    expect((await fresh.getTokenCache().getAllAccounts()).map((a) => a.username)).toEqual([DAVE]);
    accessTokens.set(DAVE, refreshed!.accessToken);
    expect((await graph(DAVE).api('/me').get()).mail).toBe(DAVE);

    // A fault at the token endpoint answers in Entra's error shape.
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'identity.token', status: 400, times: 1 });
    const injected = await newMsal().acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES, forceCache: true }).catch((e) => e);
    expect(injected.errorCode).toBe('invalid_grant');
    expect((await newMsal().acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES, forceCache: true }))?.accessToken).toBeTruthy();

    expect(sandbox.state.tokens.revokeUser(DAVE)).toBeGreaterThan(0);
    const err = await newMsal().acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES, forceCache: true }).catch((e) => e);
    expect(err instanceof InteractionRequiredAuthError || err instanceof ServerError).toBe(true);
    expect(err.errorCode).toBe('invalid_grant');
    expect(err.errorMessage).toContain('AADSTS50173');
    // The grant's access tokens die with it.
    const gone = await graph(DAVE).api('/me').get().catch((e) => e);
    expect(gone).toBeInstanceOf(GraphError);
    expect(gone.statusCode).toBe(401);
    expect(gone.code).toBe('InvalidAuthenticationToken');
    await signIn(DAVE);
  });
});

describe('Graph mail through the Graph client', () => {
  it('answers /me, and 401 InvalidAuthenticationToken without a valid token', async () => {
    const me = await graph(CAROL).api('/me').get();
    expect(me).toMatchObject({ id: sandbox.state.findUser(CAROL)!.id, mail: CAROL, userPrincipalName: CAROL, displayName: 'Carol de Vries' });
    const anonymous = Client.init({ baseUrl: sandbox.microsoftUrl, customHosts: new Set(['localhost']), authProvider: (done) => done(null, 'EwBnot-a-token') });
    const err = await anonymous.api('/me').get().catch((e) => e);
    expect(err.statusCode).toBe(401);
    expect(err.code).toBe('InvalidAuthenticationToken');
  });

  it('lists folders by page, resolves well-known names, and counts items', async () => {
    const client = graph(CAROL);
    const folders: Json[] = [];
    let page = await client.api('/me/mailFolders').top(4).get();
    folders.push(...page.value);
    expect(page['@odata.nextLink']).toBeTruthy();
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      folders.push(...page.value);
    }
    expect(folders.map((f) => f.displayName)).toEqual(['Inbox', 'Sent Items', 'Drafts', 'Junk Email', 'Deleted Items', 'Archive', 'Projects']);
    const mailbox = sandbox.state.mailbox(CAROL)!;
    const inbox = await client.api('/me/mailFolders/inbox').get();
    const listed = folders.find((f) => f.displayName === 'Inbox')!;
    expect(inbox.id).toBe(listed.id);
    const states = mailbox.list({ folderIds: [inbox.id] });
    expect(inbox.totalItemCount).toBe(states.length);
    expect(inbox.unreadItemCount).toBe(states.filter((m) => !m.read).length);
    expect(inbox.totalItemCount).toBeGreaterThan(50);

    const projects = folders.find((f) => f.displayName === 'Projects')!;
    expect(projects.childFolderCount).toBe(1);
    const children = await client.api(`/me/mailFolders/${projects.id}/childFolders`).get();
    expect(children.value.map((f: Json) => [f.displayName, f.parentFolderId])).toEqual([['2026', projects.id]]);
    const missing = await client.api('/me/mailFolders/AAMkADI1nope').get().catch((e) => e);
    expect([missing.statusCode, missing.code]).toEqual([404, 'ErrorItemNotFound']);
  });

  it('syncs a folder with delta: every message exactly once, then live changes, then 410 when expired', async () => {
    const client = graph(CAROL);
    const mailbox = sandbox.state.mailbox(CAROL)!;
    const inboxId = await folderId(CAROL, 'inbox');
    const expected = mailbox.list({ folderIds: [inboxId] }).map((m) => m.id);

    const first = await client.api('/me/mailFolders/inbox/messages/delta').select('subject,isRead,receivedDateTime,parentFolderId')
      .header('Prefer', 'odata.maxpagesize=50').responseType(ResponseType.RAW).get();
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=50');
    let page = await first.json();
    const seen: string[] = [];
    let pages = 0;
    for (;;) {
      pages++;
      expect(page.value.length).toBeLessThanOrEqual(50);
      for (const item of page.value) {
        expect(Object.keys(item).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'isRead', 'parentFolderId', 'receivedDateTime', 'subject']);
        expect(item.parentFolderId).toBe(inboxId);
        seen.push(item.id);
      }
      if (!page['@odata.nextLink']) break;
      expect(page['@odata.deltaLink']).toBeUndefined();
      page = await client.api(page['@odata.nextLink']).header('Prefer', 'odata.maxpagesize=50').get();
    }
    expect(pages).toBe(Math.ceil(expected.length / 50));
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    let deltaLink: string = page['@odata.deltaLink'];
    expect(deltaLink).toContain('$deltatoken=');

    // Live changes: one new message, one read, one moved out, one deleted.
    const added = await mailbox.insert({ raw: await rawMessage({ from: 'erin@fabrikam.example', to: CAROL, subject: 'Delta arrival', text: 'New.' }), folderId: inboxId });
    const [readOne, movedOne, removedOne] = expected.filter((id) => !mailbox.get(id)!.read).slice(0, 3);
    mailbox.modify(readOne, { read: true });
    mailbox.modify(movedOne, { folderId: await folderId(CAROL, 'archive') });
    mailbox.remove(removedOne);
    const changes = await client.api(deltaLink).get();
    const byId = new Map<string, Json>(changes.value.map((v: Json) => [v.id, v]));
    expect(byId.size).toBe(4);
    expect(byId.get(added.id)).toMatchObject({ subject: 'Delta arrival', isRead: false });
    expect(byId.get(readOne)).toMatchObject({ isRead: true });
    expect(byId.get(readOne)!.body).toBeUndefined(); // the first request's $select still applies
    expect(byId.get(movedOne)).toEqual({ '@odata.type': '#microsoft.graph.message', id: movedOne, '@removed': { reason: 'deleted' } });
    expect(byId.get(removedOne)!['@removed']).toEqual({ reason: 'deleted' });
    deltaLink = changes['@odata.deltaLink'];

    const quiet = await client.api(deltaLink).get();
    expect(quiet.value).toEqual([]);
    deltaLink = quiet['@odata.deltaLink'];

    mailbox.modify(added.id, { read: true });
    mailbox.expireHistory();
    const expired = await client.api(deltaLink).middlewareOptions(noRetry()).get().catch((e) => e);
    expect(expired).toBeInstanceOf(GraphError);
    expect([expired.statusCode, expired.code]).toEqual([410, 'SyncStateNotFound']);
  });

  it('gets, patches, moves and deletes messages; serves raw MIME and attachments', async () => {
    const client = graph(CAROL);
    const mailbox = sandbox.state.mailbox(CAROL)!;
    const inboxId = await folderId(CAROL, 'inbox');
    const withFiles = mailbox.list({ folderIds: [inboxId] }).find((m) => m.hasAttachments)!;
    expect(withFiles).toBeTruthy();
    const wasRead = withFiles.read; // the state object is live: read it before changing it

    const full = await client.api(`/me/messages/${withFiles.id}`).get();
    expect(full).toMatchObject({ id: withFiles.id, subject: withFiles.subject, conversationId: withFiles.threadId, parentFolderId: inboxId, isDraft: false, hasAttachments: true });
    expect(full.body.contentType).toMatch(/^(html|text)$/);
    expect(full.from.emailAddress.address).toBe(withFiles.from.address);
    expect(full.toRecipients.length).toBeGreaterThan(0);
    expect(full.internetMessageId).toMatch(/^<.+@.+>$/);
    expect(full.internetMessageHeaders).toBeUndefined();
    const narrow = await client.api(`/me/messages/${withFiles.id}`).select(['subject', 'internetMessageHeaders']).get();
    expect(Object.keys(narrow).sort()).toEqual(['@odata.context', '@odata.etag', 'id', 'internetMessageHeaders', 'subject']);
    expect(narrow.internetMessageHeaders.find((h: Json) => h.name.toLowerCase() === 'message-id').value).toBe(full.internetMessageId);

    const mime = await client.api(`/me/messages/${withFiles.id}/$value`).responseType(ResponseType.TEXT).get();
    const parsed = await simpleParser(mime);
    expect(parsed.messageId).toBe(full.internetMessageId);
    expect(parsed.subject).toBe(full.subject);

    const attachments = (await client.api(`/me/messages/${withFiles.id}/attachments`).get()).value;
    const files = attachments.filter((a: Json) => !a.isInline);
    expect(files.length).toBe(parsed.attachments.filter((a) => a.contentDisposition !== 'inline').length);
    expect(files[0]['@odata.type']).toBe('#microsoft.graph.fileAttachment');
    expect(Buffer.from(files[0].contentBytes, 'base64').length).toBe(files[0].size);
    const one = await client.api(`/me/messages/${withFiles.id}/attachments/${files[0].id}`).get();
    expect(one).toMatchObject({ name: files[0].name, contentBytes: files[0].contentBytes });

    const patched = await client.api(`/me/messages/${withFiles.id}`).patch({ isRead: !wasRead, flag: { flagStatus: 'flagged' }, categories: ['Blue category'] });
    expect(patched).toMatchObject({ isRead: !wasRead, flag: { flagStatus: 'flagged' }, categories: ['Blue category'] });
    expect(patched.changeKey).not.toBe(full.changeKey);
    expect(mailbox.get(withFiles.id)).toMatchObject({ read: !wasRead, starred: true, labels: ['Blue category'] });

    const archiveId = await folderId(CAROL, 'archive');
    const moved = await client.api(`/me/messages/${withFiles.id}/move`).post({ destinationId: 'archive' });
    expect(moved.parentFolderId).toBe(archiveId);
    await client.api(`/me/messages/${withFiles.id}`).delete();
    expect(mailbox.get(withFiles.id)!.folderId).toBe(await folderId(CAROL, 'deleteditems'));
    await client.api(`/me/messages/${withFiles.id}`).delete();
    const gone = await client.api(`/me/messages/${withFiles.id}`).get().catch((e) => e);
    expect([gone.statusCode, gone.code]).toEqual([404, 'ErrorItemNotFound']);
  });

  it('lists folder messages by page with $top and @odata.nextLink', async () => {
    const client = graph(CAROL);
    const sentId = await folderId(CAROL, 'sentitems');
    const first = await client.api('/me/mailFolders/sentitems/messages').top(5).select('subject,receivedDateTime').get();
    expect(first.value).toHaveLength(5);
    const second = await client.api(first['@odata.nextLink']).get();
    const expected = sandbox.state.mailbox(CAROL)!.list({ folderIds: [sentId] }).slice(0, 10).map((m) => m.id);
    expect([...first.value, ...second.value].map((m: Json) => m.id)).toEqual(expected);
    expect(Object.keys(second.value[0]).sort()).toEqual(['@odata.etag', 'id', 'receivedDateTime', 'subject']);
  });
});

describe('sending through Graph', () => {
  it('sendMail answers 202 with an empty body, saves to Sent Items and delivers to the recipient', async () => {
    const res = await graph(CAROL).api('/me/sendMail').responseType(ResponseType.RAW).post({
      message: {
        subject: 'Quarterly numbers',
        body: { contentType: 'HTML', content: '<p>Numbers attached.</p>' },
        toRecipients: [{ emailAddress: { address: DAVE, name: 'Dave' } }],
        ccRecipients: [{ emailAddress: { address: ALICE } }],
        bccRecipients: [{ emailAddress: { address: 'hidden@fabrikam.example' } }],
        attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'q3.csv', contentType: 'text/csv', contentBytes: Buffer.from('a,b\n1,2\n').toString('base64') }],
      },
      saveToSentItems: true,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBeNull();
    expect(await res.text()).toBe('');

    const sent = (await graph(CAROL).api('/me/mailFolders/sentitems/messages').top(1).get()).value[0];
    expect(sent).toMatchObject({ subject: 'Quarterly numbers', isRead: true, hasAttachments: true });
    expect(sent.bccRecipients.map((r: Json) => r.emailAddress.address)).toEqual(['hidden@fabrikam.example']);
    const received = (await graph(DAVE).api('/me/mailFolders/inbox/messages').top(1).get()).value[0];
    expect(received).toMatchObject({ subject: 'Quarterly numbers', isRead: false, internetMessageId: sent.internetMessageId });
    expect(received.from.emailAddress.address).toBe(CAROL);
    expect(received.bccRecipients).toEqual([]);
    // Also reaches a seeded Gmail user.
    const alice = sandbox.state.mailbox(ALICE)!;
    expect(alice.list({ folderIds: ['INBOX'] })[0].subject).toBe('Quarterly numbers');
  });

  it('sendMail takes MIME as base64 text/plain', async () => {
    const raw = await rawMessage({ from: CAROL, to: DAVE, subject: 'Sent as MIME', text: 'Plain text body.', messageId: '<mime-send-1@contoso.example>' });
    const res = await graph(CAROL).api('/me/sendMail').header('Content-Type', 'text/plain').responseType(ResponseType.RAW).post(raw.toString('base64'));
    expect(res.status).toBe(202);
    const received = (await graph(DAVE).api('/me/mailFolders/inbox/messages').top(1).get()).value[0];
    expect(received).toMatchObject({ subject: 'Sent as MIME', internetMessageId: '<mime-send-1@contoso.example>' });
    expect(received.body).toMatchObject({ contentType: 'text' });
    expect(received.body.content).toContain('Plain text body.');
  });

  it('reply, replyAll and forward thread correctly; createReply makes a draft', async () => {
    const carolInbox = await folderId(CAROL, 'inbox');
    const original = (await graph(DAVE).api('/me/mailFolders/inbox/messages').filter(`receivedDateTime ge 2000-01-01T00:00:00Z`).top(5).get())
      .value.find((m: Json) => m.subject === 'Quarterly numbers');
    expect(original).toBeTruthy();
    const carolSent = sandbox.state.mailbox(CAROL)!.list({ folderIds: [await folderId(CAROL, 'sentitems')] }).find((m) => m.subject === 'Quarterly numbers')!;

    const res = await graph(DAVE).api(`/me/messages/${original.id}/reply`).responseType(ResponseType.RAW).post({ comment: 'Thanks, looks good.' });
    expect(res.status).toBe(202);
    const reply = (await graph(CAROL).api('/me/mailFolders/inbox/messages').top(1).get()).value[0];
    expect(reply.subject).toBe('RE: Quarterly numbers');
    expect(reply.toRecipients.map((r: Json) => r.emailAddress.address)).toEqual([CAROL]);
    expect(reply.ccRecipients).toEqual([]);
    expect(reply.parentFolderId).toBe(carolInbox);
    expect(reply.body.content).toContain('Thanks, looks good.');
    expect(reply.body.content).toContain('Numbers attached.'); // the quoted original
    const unique = (await graph(CAROL).api(`/me/messages/${reply.id}`).select('uniqueBody').get()).uniqueBody;
    expect(unique.content).toContain('Thanks, looks good.');
    expect(unique.content).not.toContain('Numbers attached.');
    // Same conversation in carol's mailbox as her sent original.
    expect(reply.conversationId).toBe(carolSent.threadId);
    const headers = (await graph(CAROL).api(`/me/messages/${reply.id}`).select('internetMessageHeaders').get()).internetMessageHeaders as Json[];
    const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('in-reply-to')).toBe(original.internetMessageId);
    expect(header('references')).toContain(original.internetMessageId);
    // The sender's copy is in dave's Sent Items, in the original's conversation.
    const daveSent = (await graph(DAVE).api('/me/mailFolders/sentitems/messages').top(1).get()).value[0];
    expect(daveSent).toMatchObject({ subject: 'RE: Quarterly numbers', conversationId: original.conversationId });

    await graph(DAVE).api(`/me/messages/${original.id}/replyAll`).post({ comment: 'Adding everyone.' });
    const all = (await graph(CAROL).api('/me/mailFolders/inbox/messages').top(1).get()).value[0];
    // Reply all: the sender and the other To recipients in To, the original Cc in Cc, never oneself.
    expect(all.toRecipients.map((r: Json) => r.emailAddress.address)).toEqual([CAROL]);
    expect(all.ccRecipients.map((r: Json) => r.emailAddress.address)).toEqual([ALICE]);
    expect(all.conversationId).toBe(carolSent.threadId);

    await graph(DAVE).api(`/me/messages/${original.id}/forward`).post({ comment: 'FYI', toRecipients: [{ emailAddress: { address: ALICE } }] });
    const forwarded = sandbox.state.mailbox(ALICE)!.list({ folderIds: ['INBOX'] })[0];
    expect(forwarded.subject).toBe('FW: Quarterly numbers');
    const fwContent = await sandbox.state.mailbox(ALICE)!.content(forwarded.id);
    expect(fwContent.attachments.map((a) => a.filename)).toContain('q3.csv');
    expect(fwContent.inReplyTo).toBe(original.internetMessageId);

    const noOne = await graph(DAVE).api(`/me/messages/${original.id}/forward`).post({ comment: 'to nobody' }).catch((e) => e);
    expect([noOne.statusCode, noOne.code]).toEqual([400, 'ErrorInvalidRecipients']);

    const draft = await graph(DAVE).api(`/me/messages/${original.id}/createReply`).post({});
    expect(draft).toMatchObject({ isDraft: true, subject: 'RE: Quarterly numbers', conversationId: original.conversationId });
    expect(draft.parentFolderId).toBe(await folderId(DAVE, 'drafts'));
    expect(draft.toRecipients.map((r: Json) => r.emailAddress.address)).toEqual([CAROL]);
  });
});

describe('JSON batching', () => {
  it('answers up to 20 requests one by one, and 400 for 21', async () => {
    const client = graph(CAROL);
    const ids = sandbox.state.mailbox(CAROL)!.list().slice(0, 19).map((m) => m.id);
    const batch = new BatchRequestContent([
      { id: 'me', request: new Request(`${sandbox.microsoftUrl}/me`, { method: 'GET' }) },
      ...ids.map((id, i) => ({ id: String(i), request: new Request(`${sandbox.microsoftUrl}/me/messages/${id}?$select=subject`, { method: 'GET' }) })),
    ]);
    const response = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    const me = response.getResponseById('me');
    expect(me.status).toBe(200);
    expect((await me.json()).mail).toBe(CAROL);
    for (const [i, id] of ids.entries()) {
      const one = response.getResponseById(String(i));
      expect(one.status).toBe(200);
      expect((await one.json()).id).toBe(id);
    }

    const tooMany = await client.api('/$batch').post({ requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' })) }).catch((e) => e);
    expect([tooMany.statusCode, tooMany.code]).toEqual([400, 'BadRequest']);
  });

  it('runs dependsOn chains in order and fails dependents of a failed request with 424', async () => {
    const client = graph(CAROL);
    const id = sandbox.state.mailbox(CAROL)!.list()[0].id;
    const body = await client.api('/$batch').post({
      requests: [
        { id: '1', method: 'PATCH', url: `/me/messages/${id}`, headers: { 'Content-Type': 'application/json' }, body: { isRead: false } },
        { id: '2', method: 'GET', url: `/me/messages/${id}?$select=isRead`, dependsOn: ['1'] },
        { id: '3', method: 'GET', url: '/me/messages/AAMkADI1missing' },
        { id: '4', method: 'GET', url: '/me', dependsOn: ['3'] },
      ],
    });
    const by = new Map<string, Json>(body.responses.map((r: Json) => [r.id, r]));
    expect(by.get('1')!.status).toBe(200);
    expect(by.get('2')!.body.isRead).toBe(false);
    expect(by.get('3')!.status).toBe(404);
    expect(by.get('3')!.body.error.code).toBe('ErrorItemNotFound');
    expect(by.get('4')!.status).toBe(424);
  });
});

describe('limits and failures', () => {
  it('throttles past 4 concurrent requests per app and mailbox with 429 and Retry-After', async () => {
    const { state } = sandbox;
    state.counters.reset();
    state.quota.microsoft = true;
    state.latencyMs = 150;
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => graph(CAROL).api('/me').middlewareOptions(noRetry()).get().then(() => 'ok', (e) => e)),
      );
      const refused = outcomes.filter((o) => o !== 'ok');
      expect(refused).toHaveLength(1);
      expect(refused[0].statusCode).toBe(429);
      expect(refused[0].code).toBe('ApplicationThrottled');
      expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(state.counters.rateLimited['graph.me']).toBe(1);
      expect(state.counters.requests['graph.me']).toBe(5);
      expect(state.counters.quotaUnits[CAROL]).toBe(5);

      // A batch's requests each count and compete for the same 4 slots.
      const batch = await graph(CAROL).api('/$batch').post({ requests: Array.from({ length: 8 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' })) });
      const statuses = batch.responses.map((r: Json) => r.status);
      expect(statuses.filter((s: number) => s === 200)).toHaveLength(4);
      const throttled = batch.responses.find((r: Json) => r.status === 429);
      expect(throttled.headers['retry-after']).toBeTruthy();
      expect(state.counters.quotaUnits[CAROL]).toBe(13);
    } finally {
      state.quota.microsoft = false;
      state.latencyMs = 0;
    }
    // Off again: no limit.
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => graph(CAROL).api('/me').middlewareOptions(noRetry()).get().then(() => 'ok', (e) => e)));
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
  });

  it('enforces 10,000 requests per 10 minutes (throttle window, simulated clock)', () => {
    let now = 0;
    const throttle = new MailboxThrottle(undefined, () => now);
    for (let i = 0; i < 10000; i++) {
      const a = throttle.acquire('app|carol');
      if (!a.ok) throw new Error(`refused at ${i}`);
      a.release();
      now += 30;
    }
    const refused = throttle.acquire('app|carol');
    expect(refused).toMatchObject({ ok: false, reason: 'rate' });
    expect(throttle.acquire('app|dave').ok).toBe(true);
    now = 600001;
    expect(throttle.acquire('app|carol').ok).toBe(true);
  });

  it('injects faults by operation; the Graph client retries them when Retry-After allows', async () => {
    const { state } = sandbox;
    state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 503, times: 1 });
    const failed = await graph(CAROL).api('/me/mailFolders/inbox/messages/delta').middlewareOptions(noRetry()).get().catch((e) => e);
    expect([failed.statusCode, failed.code]).toEqual([503, 'ServiceNotAvailable']);
    const after = await graph(CAROL).api('/me/mailFolders/inbox/messages/delta').select('subject').get();
    expect(after.value.length).toBeGreaterThan(0);

    const before = state.counters.faults;
    state.faults.add({ provider: 'microsoft', operation: 'graph.me', status: 429, retryAfter: 0, times: 1 });
    const me = await graph(CAROL).api('/me').get();
    expect(me.mail).toBe(CAROL);
    expect(state.counters.faults).toBe(before + 1);
    expect(state.faults.list()).toEqual([]);
  });

  it('expired access tokens give 401 until msal refreshes them', async () => {
    const { state } = sandbox;
    state.tokens.expireAccessTokens();
    const err = await graph(CAROL).api('/me').get().catch((e) => e);
    expect([err.statusCode, err.code]).toEqual([401, 'InvalidAuthenticationToken']);
    const account = (await msal.getTokenCache().getAllAccounts()).find((a) => a.username === CAROL)!;
    const renewed = await msal.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    accessTokens.set(CAROL, renewed.accessToken);
    expect((await graph(CAROL).api('/me').get()).mail).toBe(CAROL);
  });
});
