// Conformance of the Google emulator, driven only through the official client libraries
// (google-auth-library's OAuth2Client and @googleapis/gmail) plus what a browser does on the
// consent page. If these pass, the plugin's Gmail adapter cannot tell the sandbox from Google.
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { GaxiosError } from 'gaxios';
import { OAuth2Client, type Credentials } from 'google-auth-library';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { googleEndpoints } from '../../sandbox/google';

const CLIENT_ID = 'sandbox-google-client';
const CLIENT_SECRET = 'sandbox-google-secret';
const REDIRECT = 'http://localhost:13000/admin/settings/mail/oauth2';
const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
const FULL = 'https://mail.google.com/';

let sandbox: Sandbox;
let base: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, size: 300 });
  base = sandbox.googleUrl;
});
afterAll(async () => {
  await sandbox?.stop();
});

function oauthClient(secret = CLIENT_SECRET, forceRefreshOnFailure = false) {
  return new OAuth2Client({ clientId: CLIENT_ID, clientSecret: secret, redirectUri: REDIRECT, endpoints: googleEndpoints(base), forceRefreshOnFailure });
}

function api(auth: OAuth2Client): gmail_v1.Gmail {
  // googleapis-common bundles its own google-auth-library copy, so the OAuth2Client types
  // differ nominally although the object works; hence the cast.
  return gmail({ version: 'v1', auth: auth as never, rootUrl: `${base}/` });
}

/** What a browser does: load the consent page, pick an account, press Allow or Cancel. */
async function consent(authUrl: string, choose: { email?: string; decision?: 'approve' | 'deny' } = {}) {
  const page = await fetch(authUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  expect(action && request).toBeTruthy();
  const res = await fetch(new URL(action as string, base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request: request as string, user: choose.email ?? 'alice@example.com', decision: choose.decision ?? 'approve' }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return { html, location: new URL(res.headers.get('location') as string) };
}

/** The whole authorization-code flow with PKCE S256; returns a client holding the tokens. */
async function signIn(
  email = 'alice@example.com',
  scope: string[] = [MODIFY, FULL, 'openid', 'email'],
  extra: Record<string, string> = { access_type: 'offline', prompt: 'consent' },
  client = oauthClient(),
) {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({ scope, state: 'st-123', code_challenge: codeChallenge, code_challenge_method: 'S256' as never, login_hint: email, ...extra });
  const { location } = await consent(url, { email });
  const code = location.searchParams.get('code') as string;
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  return { client, tokens, location };
}

async function failure(promise: Promise<unknown>): Promise<GaxiosError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GaxiosError || (err as { response?: unknown }).response) return err as GaxiosError;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const mailboxOf = (email: string) => sandbox.state.mailbox(email)!;
const b64urlDecode = (s: string) => Buffer.from(s, 'base64url');

/** RFC 822 as a Gmail client builds it: nodemailer, with Bcc kept in the headers (Gmail reads it there). */
async function compose(options: Mail.Options): Promise<string> {
  const mail = new MailComposer(options).compile();
  mail.keepBcc = true;
  const raw = await new Promise<Buffer>((resolve, reject) => mail.build((err, msg) => (err ? reject(err) : resolve(msg))));
  return raw.toString('base64url');
}

describe('OAuth 2.0', () => {
  it('runs the code flow with PKCE and answers tokens as Google does', async () => {
    const client = oauthClient();
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      scope: [MODIFY, 'openid', 'email', 'profile'],
      state: 'xyz',
      login_hint: 'bob@example.com',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as never,
    });
    const { html, location } = await consent(url, { email: 'alice@example.com' });
    // login_hint preselects the account; both seeded Google users are offered.
    expect(html).toMatch(/value="bob@example\.com" checked/);
    expect(html).toContain('alice@example.com');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('scope')).toContain(MODIFY);
    const { tokens, res } = await client.getToken({ code: location.searchParams.get('code') as string, codeVerifier });
    expect(res?.status).toBe(200);
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining([MODIFY, 'openid', 'https://www.googleapis.com/auth/userinfo.email']));
    expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500_000);
    // The ID token verifies against the sandbox's published certificates.
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token as string, audience: CLIENT_ID });
    expect(ticket.getPayload()).toMatchObject({ email: 'alice@example.com', email_verified: true, iss: 'https://accounts.google.com', aud: CLIENT_ID });
    client.setCredentials(tokens);
    const info = await client.request<{ email: string; sub: string; name: string }>({ url: `${base}/oauth2/v3/userinfo` });
    expect(info.data).toMatchObject({ email: 'alice@example.com', name: 'Alice Andersen' });
    const tokenInfo = await client.getTokenInfo(tokens.access_token as string);
    expect(tokenInfo.email).toBe('alice@example.com');
    expect(tokenInfo.scopes).toContain(MODIFY);
  });

  it('discloses a refresh token only for access_type=offline', async () => {
    const { tokens } = await signIn('alice@example.com', [MODIFY], {});
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
  });

  it('redirects with access_denied when the user cancels', async () => {
    const client = oauthClient();
    const url = client.generateAuthUrl({ scope: [MODIFY], state: 'deny-state' });
    const { location } = await consent(url, { decision: 'deny' });
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('deny-state');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('shows Google error pages for an unknown client, a foreign redirect URI and a bad PKCE method', async () => {
    const unknown = await fetch(new OAuth2Client({ clientId: 'nope', redirectUri: REDIRECT, endpoints: googleEndpoints(base) }).generateAuthUrl({ scope: [MODIFY] }));
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('invalid_client');
    sandbox.state.clients.push({ provider: 'google', clientId: 'strict-client', clientSecret: 's', redirectUris: ['https://app.example/cb'] });
    const mismatch = await fetch(new OAuth2Client({ clientId: 'strict-client', redirectUri: REDIRECT, endpoints: googleEndpoints(base) }).generateAuthUrl({ scope: [MODIFY] }));
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('redirect_uri_mismatch');
    const badMethod = await fetch(oauthClient().generateAuthUrl({ scope: [MODIFY], code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' as never }));
    expect(badMethod.status).toBe(400);
    expect(await badMethod.text()).toContain('invalid_request');
  });

  it('refuses a wrong PKCE verifier, a reused code and a wrong client secret', async () => {
    const client = oauthClient();
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const other = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({ scope: [MODIFY], access_type: 'offline', code_challenge: codeChallenge, code_challenge_method: 'S256' as never });
    const code = (await consent(url)).location.searchParams.get('code') as string;
    const bad = await failure(client.getToken({ code, codeVerifier: other.codeVerifier }));
    expect(bad.response?.status).toBe(400);
    expect(bad.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    // The code was spent by that attempt.
    const reused = await failure(client.getToken({ code, codeVerifier: other.codeVerifier }));
    expect(reused.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Bad Request' });

    const wrong = oauthClient('not-the-secret');
    const code2 = (await consent(wrong.generateAuthUrl({ scope: [MODIFY] }))).location.searchParams.get('code') as string;
    const secret = await failure(wrong.getToken({ code: code2 }));
    expect(secret.response?.status).toBe(401);
    expect(secret.response?.data).toMatchObject({ error: 'invalid_client' });
  });

  it('refreshes, refreshes automatically on 401, and fails with invalid_grant after revocation', async () => {
    const { client, tokens } = await signIn('alice@example.com', [MODIFY], undefined, oauthClient(CLIENT_SECRET, true));
    const refreshed = await client.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);
    expect(refreshed.credentials.refresh_token).toBe(tokens.refresh_token);

    // Expired by the clock: the library refreshes before the call.
    const before = sandbox.state.counters.requests['oauth2.token'] || 0;
    client.setCredentials({ ...client.credentials, expiry_date: Date.now() - 1000 });
    expect((await api(client).users.getProfile({ userId: 'me' })).data.emailAddress).toBe('alice@example.com');
    expect(sandbox.state.counters.requests['oauth2.token']).toBe(before + 1);
    // Expired at the server only: the library sees Google's 401, refreshes and retries.
    sandbox.state.tokens.expireAccessTokens();
    expect((await api(client).users.getProfile({ userId: 'me' })).data.emailAddress).toBe('alice@example.com');
    expect(sandbox.state.counters.requests['oauth2.token']).toBe(before + 2);

    // Consent withdrawn: refresh gives invalid_grant, the access token gives Google's 401.
    expect(sandbox.state.tokens.revokeUser('alice@example.com')).toBeGreaterThan(0);
    const grant = await failure(client.refreshAccessToken());
    expect(grant.response?.status).toBe(400);
    expect(grant.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    // With its refresh token the library would try (and fail) to refresh; alone, the access token meets the 401.
    const accessOnly = oauthClient();
    accessOnly.setCredentials({ access_token: client.credentials.access_token });
    const denied = await failure(api(accessOnly).users.getProfile({ userId: 'me' }));
    expect(denied.response?.status).toBe(401);
    expect(denied.response?.data).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', domain: 'global' }] } });
    expect(denied.response?.data.error.message).toMatch(/^Request had invalid authentication credentials/);
  });

  it('revokes through the revoke endpoint', async () => {
    const { client, tokens } = await signIn('bob@example.com', [MODIFY]);
    const res = await client.revokeToken(tokens.refresh_token as string);
    expect(res.status).toBe(200);
    const again = await failure(client.revokeToken(tokens.refresh_token as string));
    expect(again.response?.data).toEqual({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    expect((await failure(client.refreshAccessToken())).response?.data.error).toBe('invalid_grant');
  });
});

describe('Gmail API', () => {
  let alice: gmail_v1.Gmail;
  let aliceCreds: Credentials;

  beforeAll(async () => {
    const { client, tokens } = await signIn('alice@example.com');
    alice = api(client);
    aliceCreds = tokens;
  });

  it('answers 401 with Google bodies for a missing or unknown token', async () => {
    const missing = await fetch(`${base}/gmail/v1/users/me/profile`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'required', message: 'Login Required.' }] });
    const bogus = await fetch(`${base}/gmail/v1/users/me/profile`, { headers: { authorization: 'Bearer ya29.bogus' } });
    expect(bogus.status).toBe(401);
    expect(bogus.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await bogus.json()).error.errors[0]).toMatchObject({ reason: 'authError', message: 'Invalid Credentials', location: 'Authorization' });
  });

  it('getProfile, labels.list and labels.get', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const profile = (await alice.users.getProfile({ userId: 'alice@example.com' })).data;
    expect(profile).toEqual({ emailAddress: 'alice@example.com', messagesTotal: mailbox.count(), threadsTotal: expect.any(Number), historyId: String(mailbox.seq) });
    const foreign = await failure(alice.users.getProfile({ userId: 'bob@example.com' }));
    expect(foreign.response?.status).toBe(403);

    const labels = (await alice.users.labels.list({ userId: 'me' })).data.labels || [];
    const byId = new Map(labels.map((l) => [l.id, l]));
    for (const id of ['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'UNREAD', 'STARRED']) expect(byId.get(id)?.type).toBe('system');
    const user = labels.filter((l) => l.type === 'user');
    expect(user.map((l) => l.name)).toEqual(expect.arrayContaining(['Work', 'Receipts']));
    const inbox = (await alice.users.labels.get({ userId: 'me', id: 'INBOX' })).data;
    const inInbox = mailbox.list({ folderIds: ['INBOX'] });
    expect(inbox.messagesTotal).toBe(inInbox.length);
    expect(inbox.messagesUnread).toBe(inInbox.filter((m) => !m.read).length);
  });

  it('lists all 300 messages across pages without duplicates', async () => {
    const ids: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await alice.users.messages.list({ userId: 'me', includeSpamTrash: true, maxResults: 70, pageToken });
      expect(res.data.resultSizeEstimate).toBe(300);
      for (const m of res.data.messages || []) {
        expect(m.threadId).toBeTruthy();
        ids.push(m.id as string);
      }
      pageToken = res.data.nextPageToken || undefined;
      pages++;
    } while (pageToken);
    expect(pages).toBe(5);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    // Default: 100 per page, spam and trash left out.
    const first = await alice.users.messages.list({ userId: 'me' });
    expect(first.data.messages).toHaveLength(100);
    const visible = mailboxOf('alice@example.com').list();
    expect(first.data.resultSizeEstimate).toBe(visible.length);
    expect(visible.length).toBeLessThan(300);
    // maxResults above 500 is clamped, not refused.
    expect((await alice.users.messages.list({ userId: 'me', maxResults: 1000, includeSpamTrash: true })).data.messages).toHaveLength(300);
  });

  it('filters with q (after:, before:, in:) and labelIds', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const listAll = async (params: gmail_v1.Params$Resource$Users$Messages$List) => {
      const res = await alice.users.messages.list({ userId: 'me', maxResults: 500, ...params });
      return (res.data.messages || []).map((m) => mailbox.get(m.id as string)!);
    };
    const sent = await listAll({ q: 'in:sent' });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((m) => m.folderId === 'SENT')).toBe(true);
    expect(await listAll({ q: 'in:anywhere' })).toHaveLength(300);
    const trash = await listAll({ q: 'in:trash' });
    expect(trash.length).toBeGreaterThan(0);
    expect(trash.every((m) => m.folderId === 'TRASH')).toBe(true);

    const dates = mailbox.list({ includeSpamTrash: true }).map((m) => m.date).sort((a, b) => a - b);
    const mid = dates[Math.floor(dates.length / 2)];
    const seconds = Math.floor(mid / 1000);
    const after = await listAll({ q: `in:anywhere after:${seconds}` });
    const before = await listAll({ q: `in:anywhere before:${seconds}` });
    expect(after.every((m) => m.date >= seconds * 1000)).toBe(true);
    expect(before.every((m) => m.date < seconds * 1000)).toBe(true);
    expect(after.length + before.length).toBe(300);
    // yyyy/mm/dd means midnight Pacific time.
    const day = new Date(mid);
    const ymd = `${day.getUTCFullYear()}/${day.getUTCMonth() + 1}/${day.getUTCDate()}`;
    const pacificMidnight = (await listAll({ q: `in:anywhere after:${ymd}` })).map((m) => m.date);
    expect(pacificMidnight.length).toBeGreaterThan(0);
    const cut = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) + 7 * 3600_000;
    expect(pacificMidnight.every((d) => d >= cut)).toBe(true);

    const unread = await listAll({ labelIds: ['UNREAD', 'INBOX'] });
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.every((m) => !m.read && m.folderId === 'INBOX')).toBe(true);
    const none = await alice.users.messages.list({ userId: 'me', q: 'in:inbox before:1990/01/01' });
    expect(none.data).toEqual({ resultSizeEstimate: 0 });
  });

  it('gets a message in all four formats, consistently', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const withAttachment = mailbox.list().find((m) => m.hasAttachments)!;
    const id = withAttachment.id;

    const raw = (await alice.users.messages.get({ userId: 'me', id, format: 'raw' })).data;
    expect(raw.payload).toBeUndefined();
    expect(raw.raw).toMatch(/^[A-Za-z0-9_-]+=*$/);
    const parsed = await simpleParser(b64urlDecode(raw.raw as string));
    expect(parsed.subject).toBe(withAttachment.subject);
    expect(raw).toMatchObject({ id, threadId: withAttachment.threadId, internalDate: String(withAttachment.date), historyId: String(withAttachment.seq), sizeEstimate: withAttachment.size });

    const full = (await alice.users.messages.get({ userId: 'me', id })).data;
    expect(full.raw).toBeUndefined();
    expect(full.payload?.partId).toBe('');
    expect(full.payload?.mimeType).toMatch(/^multipart\//);
    expect(full.payload?.headers?.find((h) => h.name === 'Subject')?.value).toBe(withAttachment.subject);
    const leaves: gmail_v1.Schema$MessagePart[] = [];
    const walk = (part: gmail_v1.Schema$MessagePart) => (part.parts?.length ? part.parts.forEach(walk) : leaves.push(part));
    walk(full.payload as gmail_v1.Schema$MessagePart);
    expect(full.payload?.parts?.[0].partId).toBe('0');
    const text = leaves.find((p) => p.mimeType === 'text/plain' && !p.filename);
    expect(b64urlDecode(text?.body?.data as string).toString('utf8').trim()).toBe((parsed.text || '').trim());
    const attachment = leaves.find((p) => p.filename && p.body?.attachmentId);
    expect(attachment).toBeTruthy();
    const fetched = (await alice.users.messages.attachments.get({ userId: 'me', messageId: id, id: attachment?.body?.attachmentId as string })).data;
    const expected = parsed.attachments.find((a) => a.filename === attachment?.filename)!;
    expect(fetched.size).toBe(expected.content.length);
    expect(b64urlDecode(fetched.data as string).equals(expected.content)).toBe(true);

    const metadata = (await alice.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['Subject', 'From'] })).data;
    expect(metadata.payload?.headers?.map((h) => h.name).sort()).toEqual(['From', 'Subject']);
    expect(metadata.payload?.parts).toBeUndefined();

    const minimal = (await alice.users.messages.get({ userId: 'me', id, format: 'minimal' })).data;
    expect(minimal.payload).toBeUndefined();
    expect(minimal.labelIds ?? []).toEqual(mailbox.gmailLabels(withAttachment));
    expect(minimal.snippet).toBeTruthy();

    const missing = await failure(alice.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }));
    expect(missing.response?.status).toBe(404);
    expect(missing.response?.data.error).toMatchObject({ code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' });
  });

  it('threads.get and threads.list', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const threadId = mailbox.list().find((m) => mailbox.thread(m.threadId).length >= 2)!.threadId;
    const thread = (await alice.users.threads.get({ userId: 'me', id: threadId, format: 'minimal' })).data;
    expect(thread.messages?.map((m) => m.id)).toEqual(mailbox.thread(threadId).map((m) => m.id));
    const threads = (await alice.users.threads.list({ userId: 'me', maxResults: 10 })).data;
    expect(threads.threads).toHaveLength(10);
    expect(new Set(threads.threads?.map((t) => t.id)).size).toBe(10);
  });

  it('reports live changes in history.list and 404 once history expired', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const start = (await alice.users.getProfile({ userId: 'me' })).data.historyId as string;
    const [a, b] = mailbox.list({ folderIds: ['INBOX'] });

    await alice.users.messages.modify({ userId: 'me', id: a.id, requestBody: { removeLabelIds: ['INBOX'], addLabelIds: ['STARRED', 'Label_1'] } });
    expect(mailbox.get(a.id)).toMatchObject({ folderId: 'archive', starred: true, labels: expect.arrayContaining(['Label_1']) });
    const trashed = (await alice.users.messages.trash({ userId: 'me', id: b.id })).data;
    expect(trashed.labelIds).toContain('TRASH');
    const untrashed = (await alice.users.messages.untrash({ userId: 'me', id: b.id })).data;
    expect(untrashed.labelIds).toContain('INBOX');
    const raw = await compose({ from: 'alice@example.com', to: 'Bob <bob@example.com>', subject: 'History probe', text: 'hello' });
    const sent = (await alice.users.messages.send({ userId: 'me', requestBody: { raw } })).data;
    expect(sent.labelIds).toEqual(['SENT']);
    await alice.users.messages.delete({ userId: 'me', id: a.id });

    const history = (await alice.users.history.list({ userId: 'me', startHistoryId: start })).data;
    expect(history.historyId).toBe(String(mailbox.seq));
    const records = history.history || [];
    expect(records.map((r) => Number(r.id))).toEqual([...records.map((r) => Number(r.id))].sort((x, y) => x - y));
    expect(records.find((r) => r.labelsRemoved?.some((l) => l.message?.id === a.id && l.labelIds?.includes('INBOX')))).toBeTruthy();
    expect(records.find((r) => r.labelsAdded?.some((l) => l.message?.id === a.id && l.labelIds?.includes('STARRED')))).toBeTruthy();
    expect(records.find((r) => r.labelsAdded?.some((l) => l.message?.id === b.id && l.labelIds?.includes('TRASH')))).toBeTruthy();
    expect(records.find((r) => r.messagesAdded?.some((m) => m.message?.id === sent.id && m.message?.labelIds?.includes('SENT')))).toBeTruthy();
    expect(records.find((r) => r.messagesDeleted?.some((m) => m.message?.id === a.id))).toBeTruthy();

    const onlyAdded = (await alice.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'] })).data.history || [];
    expect(onlyAdded.length).toBeGreaterThan(0);
    expect(onlyAdded.every((r) => r.messagesAdded?.length && !r.labelsAdded && !r.messagesDeleted)).toBe(true);
    const paged = (await alice.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 2 })).data;
    expect(paged.history).toHaveLength(2);
    expect(paged.nextPageToken).toBeTruthy();
    const rest = (await alice.users.history.list({ userId: 'me', startHistoryId: start, pageToken: paged.nextPageToken as string })).data.history || [];
    expect([...(paged.history || []), ...rest].map((r) => r.id)).toEqual(records.map((r) => r.id));

    mailbox.expireHistory();
    const expired = await failure(alice.users.history.list({ userId: 'me', startHistoryId: start }));
    expect(expired.response?.status).toBe(404);
    expect(expired.response?.data).toEqual({
      error: { code: 404, message: 'Requested entity was not found.', errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' },
    });
  });

  it('sends to seeded recipients at both providers, Bcc hidden from them', async () => {
    const bob = mailboxOf('bob@example.com');
    const carol = mailboxOf('carol@contoso.example');
    const raw = await compose({
      to: 'Bob <bob@example.com>',
      bcc: 'carol@contoso.example',
      subject: 'Quarterly numbers ✓',
      text: 'Plain body',
      html: '<p>Plain <b>body</b></p>',
      attachments: [{ filename: 'numbers.csv', content: 'a,b\n1,2\n' }],
    });
    const sent = (await alice.users.messages.send({ userId: 'me', requestBody: { raw } })).data;
    const mine = (await alice.users.messages.get({ userId: 'me', id: sent.id as string, format: 'raw' })).data;
    const sentCopy = await simpleParser(b64urlDecode(mine.raw as string));
    expect(sentCopy.from?.value[0].address).toBe('alice@example.com');
    expect(sentCopy.messageId).toBeTruthy();
    const atBob = bob.list({ folderIds: ['INBOX'] }).find((m) => m.subject === 'Quarterly numbers ✓');
    expect(atBob).toBeTruthy();
    const bobCopy = await simpleParser(await bob.raw(atBob!.id));
    expect(bobCopy.bcc).toBeUndefined();
    expect(bobCopy.attachments[0].content.toString()).toBe('a,b\n1,2\n');
    const carolInbox = carol.folders.find((f) => f.kind === 'inbox')!.id;
    expect(carol.list({ folderIds: [carolInbox] }).some((m) => m.subject === 'Quarterly numbers ✓')).toBe(true);

    // A reply in the thread keeps the threadId.
    const reply = await compose({ to: 'bob@example.com', subject: 'Re: Quarterly numbers ✓', inReplyTo: sentCopy.messageId, references: sentCopy.messageId, text: 'More' });
    const replied = (await alice.users.messages.send({ userId: 'me', requestBody: { raw: reply, threadId: sent.threadId } })).data;
    expect(replied.threadId).toBe(sent.threadId);

    const empty = await failure(alice.users.messages.send({ userId: 'me', requestBody: {} }));
    expect(empty.response?.status).toBe(400);
  });

  it('drafts: create, update, get, list, send, delete', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const created = (await alice.users.drafts.create({ userId: 'me', requestBody: { message: { raw: await compose({ to: 'bob@example.com', subject: 'Draft one', text: 'v1' }) } } })).data;
    expect(created.id).toMatch(/^r/);
    expect(created.message?.labelIds).toEqual(['DRAFT']);
    const updated = (await alice.users.drafts.update({ userId: 'me', id: created.id as string, requestBody: { message: { raw: await compose({ to: 'bob@example.com', subject: 'Draft two', text: 'v2' }) } } })).data;
    expect(updated.id).toBe(created.id);
    expect(updated.message?.id).not.toBe(created.message?.id);
    const got = (await alice.users.drafts.get({ userId: 'me', id: created.id as string, format: 'raw' })).data;
    expect((await simpleParser(b64urlDecode(got.message?.raw as string))).subject).toBe('Draft two');
    const listed = (await alice.users.drafts.list({ userId: 'me', maxResults: 500 })).data.drafts || [];
    expect(listed.map((d) => d.id)).toContain(created.id);
    const sent = (await alice.users.drafts.send({ userId: 'me', requestBody: { id: created.id } })).data;
    expect(sent.labelIds).toEqual(['SENT']);
    expect(mailbox.get(updated.message?.id as string)).toBeUndefined();
    expect((await failure(alice.users.drafts.get({ userId: 'me', id: created.id as string }))).response?.status).toBe(404);

    const doomed = (await alice.users.drafts.create({ userId: 'me', requestBody: { message: { raw: await compose({ to: 'bob@example.com', subject: 'Doomed', text: 'x' }) } } })).data;
    await alice.users.drafts.delete({ userId: 'me', id: doomed.id as string });
    expect(mailbox.get(doomed.message?.id as string)).toBeUndefined();
  });

  it('serves the batch endpoint, at most 100 parts', async () => {
    const mailbox = mailboxOf('alice@example.com');
    const ids = mailbox.list().slice(0, 3).map((m) => m.id);
    const boundary = 'batch_test_boundary';
    const part = (path: string, n: number) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${n}>\r\n\r\nGET ${path}\r\n\r\n`;
    const body = [
      part(`/gmail/v1/users/me/messages/${ids[0]}?format=raw`, 1),
      part(`/gmail/v1/users/me/messages/${ids[1]}?format=metadata&metadataHeaders=Subject`, 2),
      part('/gmail/v1/users/me/messages/ffffffffffffffff?format=minimal', 3),
    ].join('') + `--${boundary}--\r\n`;
    const res = await fetch(`${base}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${aliceCreds.access_token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(200);
    const outer = /boundary=(\S+)/.exec(res.headers.get('content-type') || '')?.[1] as string;
    expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=/);
    const parts = (await res.text()).split(`--${outer}`).slice(1, -1);
    expect(parts).toHaveLength(3);
    const answers = parts.map((p) => {
      const [head, http] = p.split('\r\n\r\n', 2);
      const inner = p.slice(head.length + 4);
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(http)?.[1]);
      return { contentId: /Content-ID: (.+)/.exec(head)?.[1].trim(), status, json: JSON.parse(inner.slice(inner.indexOf('\r\n\r\n') + 4)) };
    });
    expect(answers.map((a) => a.contentId)).toEqual(['<response-item1>', '<response-item2>', '<response-item3>']);
    expect(answers[0]).toMatchObject({ status: 200, json: { id: ids[0], raw: expect.any(String) } });
    expect(answers[1].json.payload.headers.map((h: { name: string }) => h.name)).toEqual(['Subject']);
    expect(answers[2]).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } });

    const tooMany = Array.from({ length: 101 }, (_, i) => part(`/gmail/v1/users/me/messages/${ids[0]}?format=minimal`, i)).join('') + `--${boundary}--\r\n`;
    const refused = await fetch(`${base}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${aliceCreds.access_token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: tooMany,
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe(400);
  });

  it('injects a fault rule once', async () => {
    const before = sandbox.state.counters.faults;
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.list', status: 503, times: 1 });
    const fault = await failure(alice.users.messages.list({ userId: 'me' }, { retry: false }));
    expect(fault.response?.status).toBe(503);
    expect(fault.response?.data.error).toMatchObject({ code: 503, status: 'UNAVAILABLE', errors: [{ reason: 'backendError' }] });
    expect(sandbox.state.counters.faults).toBe(before + 1);
    expect((await alice.users.messages.list({ userId: 'me', maxResults: 1 }, { retry: false })).status).toBe(200);
  });

  it('lets the first matching requests through when a rule says after', async () => {
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.list', status: 503, times: 1, after: 2 });
    for (let i = 0; i < 2; i++) expect((await alice.users.messages.list({ userId: 'me', maxResults: 1 }, { retry: false })).status).toBe(200);
    expect((await failure(alice.users.messages.list({ userId: 'me', maxResults: 1 }, { retry: false }))).response?.status).toBe(503);
    expect((await alice.users.messages.list({ userId: 'me', maxResults: 1 }, { retry: false })).status).toBe(200);
  });

  it('refuses a method outside the granted scopes', async () => {
    const { client } = await signIn('alice@example.com', ['https://www.googleapis.com/auth/gmail.readonly']);
    const readonly = api(client);
    const id = mailboxOf('alice@example.com').list()[0].id;
    expect((await readonly.users.messages.get({ userId: 'me', id, format: 'minimal' })).status).toBe(200);
    const denied = await failure(readonly.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['STARRED'] } }));
    expect(denied.response?.status).toBe(403);
    expect(denied.response?.data.error.errors[0].reason).toBe('insufficientPermissions');
  });
});

describe('Gmail quota', () => {
  it('enforces 15,000 units per user per minute and the concurrent-request limit', async () => {
    const state = sandbox.state;
    const { client, tokens } = await signIn('bob@example.com');
    const bob = api(client);
    const ids = mailboxOf('bob@example.com').list().map((m) => m.id);
    state.quota.google = true;
    try {
      const unitsBefore = state.counters.quotaUnits['bob@example.com'] || 0;
      // 30 batches × 100 messages.get (5 units each) = 15,000 units: exactly the allowance.
      const boundary = 'quota_boundary';
      const batch = Array.from({ length: 100 }, (_, i) => `--${boundary}\r\nContent-Type: application/http\r\n\r\nGET /gmail/v1/users/me/messages/${ids[i % ids.length]}?format=minimal\r\n\r\n`).join('') + `--${boundary}--\r\n`;
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${base}/batch/gmail/v1`, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': `multipart/mixed; boundary=${boundary}` }, body: batch });
        const text = await res.text();
        expect(text).not.toContain('HTTP/1.1 403');
      }
      expect(state.counters.quotaUnits['bob@example.com'] - unitsBefore).toBe(15000);
      const limitedBefore = state.counters.rateLimited['gmail.users.messages.get'] || 0;
      const over = await failure(bob.users.messages.get({ userId: 'me', id: ids[0], format: 'minimal' }, { retry: false }));
      expect(over.response?.status).toBe(403);
      expect(over.response?.data.error).toMatchObject({ code: 403, errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded' }] });
      expect(over.response?.data.error.message).toMatch(/^User-rate limit exceeded\.\s+Retry after \d{4}-/);
      expect(state.counters.rateLimited['gmail.users.messages.get']).toBeGreaterThan(limitedBefore);
      // getProfile costs 1 unit: still refused while the window is full.
      expect((await failure(bob.users.getProfile({ userId: 'me' }, { retry: false }))).response?.status).toBe(403);

      // A fresh window; slow responses pile up: more than 10 in flight gets 429.
      state.quota.google = false;
      await bob.users.getProfile({ userId: 'me' });
      state.quota.google = true;
      state.faults.add({ provider: 'google', operation: 'gmail.users.getProfile', user: 'bob@example.com', latencyMs: 150 });
      const results = await Promise.all(Array.from({ length: 14 }, () => fetch(`${base}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${tokens.access_token}` } })));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
      const body = await results[statuses.indexOf(429)].json();
      expect(body.error).toMatchObject({ code: 429, message: 'Too many concurrent requests for user.', errors: [{ reason: 'rateLimitExceeded' }], status: 'RESOURCE_EXHAUSTED' });
      expect(state.counters.rateLimited['gmail.users.getProfile']).toBeGreaterThanOrEqual(4);
    } finally {
      state.quota.google = false;
      state.faults.clear();
    }
  });
});
