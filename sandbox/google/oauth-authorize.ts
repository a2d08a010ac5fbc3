// The authorization endpoint: validates the request as Google does (unknown client → 401
// invalid_client page, redirect mismatch → 400 redirect_uri_mismatch page, other problems →
// 400 invalid_request page), shows the consent page, and on a decision redirects back with
// ?state=…&code=…&scope=… or ?error=access_denied&state=….
import { randomBytes } from 'node:crypto';
import type { OAuthClient, RequestContext, Router, SandboxState } from '../core/types';
import { applyFaults } from '../core/faults';
import { consentPage, errorPage } from './consent-page';
import type { OAuthShared } from './oauth-shared';
import { normalizeScopes, oauthFaultBody } from './oauth-shared';

const PENDING_TTL_MS = 10 * 60 * 1000;
const APPROVE_PATH = '/o/oauth2/v2/auth/approve';

interface PendingRequest {
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  state?: string;
  offline: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
}

function html(ctx: RequestContext, status: number, body: string) {
  ctx.send(status, body, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function mountAuthorize(router: Router, state: SandboxState, shared: OAuthShared) {
  const pending = new Map<string, PendingRequest>();

  const authorize = async (ctx: RequestContext) => {
    ctx.operation = 'oauth2.authorize';
    state.counters.count(ctx.operation);
    if (await applyFaults(ctx, state, 'google', oauthFaultBody)) return;
    const q = ctx.query;
    const clientId = q.get('client_id');
    if (!clientId) return html(ctx, 400, errorPage(400, 'invalid_request', 'Missing required parameter: client_id'));
    const client = state.clients.find((c) => c.provider === 'google' && c.clientId === clientId);
    if (!client) return html(ctx, 401, errorPage(401, 'invalid_client', 'The OAuth client was not found.'));
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) return html(ctx, 400, errorPage(400, 'invalid_request', 'Missing required parameter: redirect_uri'));
    if (!URL.canParse(redirectUri) || (client.redirectUris.length && !client.redirectUris.includes(redirectUri))) {
      return html(ctx, 400, errorPage(400, 'redirect_uri_mismatch', `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`));
    }
    const invalid = (description: string) => html(ctx, 400, errorPage(400, 'invalid_request', description));
    const responseType = q.get('response_type');
    if (!responseType) return invalid('Required parameter is missing: response_type');
    if (responseType !== 'code') return html(ctx, 400, errorPage(400, 'unsupported_response_type', `Invalid response_type: ${responseType}`));
    const scope = (q.get('scope') || '').trim();
    if (!scope) return invalid('Missing required parameter: scope');
    const accessType = q.get('access_type') || 'online';
    if (accessType !== 'online' && accessType !== 'offline') return invalid(`Invalid access_type: ${accessType}`);
    const codeChallenge = q.get('code_challenge') || undefined;
    // Google defaults the method to plain when only a challenge is given, and knows no others.
    const codeChallengeMethod = q.get('code_challenge_method') || (codeChallenge ? 'plain' : undefined);
    if (codeChallengeMethod && !codeChallenge) return invalid('Missing code_challenge.');
    if (codeChallengeMethod && codeChallengeMethod !== 'S256' && codeChallengeMethod !== 'plain') return invalid(`Invalid code_challenge_method: ${codeChallengeMethod}`);
    if (codeChallenge && !/^[A-Za-z0-9\-._~]{43,128}$/.test(codeChallenge)) return invalid('Invalid code_challenge.');

    const requestId = randomBytes(18).toString('base64url');
    for (const [id, old] of pending) if (old.expiresAt < Date.now()) pending.delete(id);
    pending.set(requestId, {
      client,
      redirectUri,
      scopes: normalizeScopes(scope),
      state: q.get('state') ?? undefined,
      offline: accessType === 'offline',
      codeChallenge,
      codeChallengeMethod,
      nonce: q.get('nonce') ?? undefined,
      expiresAt: Date.now() + PENDING_TTL_MS,
    });
    const users = state.users.filter((u) => u.provider === 'google');
    html(ctx, 200, consentPage({ action: APPROVE_PATH, requestId, clientId, scopes: normalizeScopes(scope), users, selected: q.get('login_hint') ?? undefined }));
  };

  router.on('GET', '/o/oauth2/v2/auth', authorize);
  router.on('GET', '/o/oauth2/auth', authorize);

  router.on('POST', APPROVE_PATH, async (ctx) => {
    ctx.operation = 'oauth2.approve';
    state.counters.count(ctx.operation);
    const form = await ctx.form();
    const requestId = form.get('request') || '';
    const request = pending.get(requestId);
    pending.delete(requestId);
    if (!request || request.expiresAt < Date.now()) return html(ctx, 400, errorPage(400, 'invalid_request', 'This sign-in request has expired. Start again from the app.'));
    if (form.get('decision') !== 'approve') return ctx.redirect(withParams(request.redirectUri, { error: 'access_denied', state: request.state }));
    const user = state.users.find((u) => u.provider === 'google' && u.email.toLowerCase() === (form.get('user') || '').toLowerCase());
    if (!user) return html(ctx, 400, errorPage(400, 'invalid_request', 'Choose one of the listed accounts.'));
    const code = state.tokens.createCode({
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      user,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
    });
    shared.offlineCodes.set(code.code, request.offline);
    ctx.redirect(withParams(request.redirectUri, { state: request.state, code: code.code, scope: request.scopes.join(' '), authuser: '0', prompt: 'consent' }));
  });
}
