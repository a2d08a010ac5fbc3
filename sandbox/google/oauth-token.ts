// Token, revocation, tokeninfo, userinfo, certificates and discovery, answering as
// oauth2.googleapis.com / openidconnect.googleapis.com do, errors included:
//   400 invalid_request | invalid_grant | redirect_uri_mismatch | unsupported_grant_type,
//   401 invalid_client | unauthorized_client.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { OAuthClient, RequestContext, Router, SandboxState } from '../core/types';
import { applyFaults } from '../core/faults';
import { sendOAuthError, sendUnauthenticated } from './errors';
import { ISSUER } from './id-token';
import { hasScope, oauthFaultBody, type OAuthShared } from './oauth-shared';

const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache', expires: 'Mon, 01 Jan 1990 00:00:00 GMT' };

function same(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The form (or JSON) parameters of a POST, plus the query string, as Google reads both. */
async function paramsOf(ctx: RequestContext): Promise<Record<string, string>> {
  const out: Record<string, string> = Object.fromEntries(ctx.query);
  if (ctx.method !== 'POST') return out;
  const body = (await ctx.json()) as Record<string, unknown>;
  for (const [k, v] of Object.entries(body || {})) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

function s256(verifier: string) {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function mountToken(router: Router, state: SandboxState, shared: OAuthShared, baseUrl: string) {
  const { signer } = shared;

  /** Counts, sets the operation name and gives injected faults their chance. */
  const enter = async (ctx: RequestContext, operation: string) => {
    ctx.operation = operation;
    state.counters.count(operation);
    return applyFaults(ctx, state, 'google', oauthFaultBody);
  };

  /** client_secret_post or client_secret_basic; undefined after answering the error. */
  function authenticateClient(ctx: RequestContext, p: Record<string, string>): OAuthClient | undefined {
    let clientId = p.client_id;
    let secret = p.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(String(ctx.req.headers.authorization || ''));
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      secret = decodeURIComponent(rest.join(':'));
    }
    if (!clientId) return void sendOAuthError(ctx, 400, 'invalid_request', 'Could not determine client ID from request.');
    const client = state.clients.find((c) => c.provider === 'google' && c.clientId === clientId);
    if (!client) return void sendOAuthError(ctx, 401, 'invalid_client', 'The OAuth client was not found.');
    if (!secret || !same(secret, client.clientSecret)) return void sendOAuthError(ctx, 401, 'invalid_client', 'Unauthorized');
    return client;
  }

  function answer(ctx: RequestContext, grant: ReturnType<SandboxState['tokens']['issue']>, clientId: string, withRefresh: boolean, nonce?: string) {
    shared.accessExpiry.set(grant.accessToken, Date.now() + grant.expiresIn * 1000);
    const idToken = grant.scopes.includes('openid')
      ? signer.sign({ clientId, user: grant.user, scopes: grant.scopes, accessToken: grant.accessToken, nonce, ttl: grant.expiresIn })
      : undefined;
    // Member order as Google sends it.
    ctx.sendJson(200, {
      access_token: grant.accessToken,
      expires_in: grant.expiresIn,
      ...(withRefresh ? { refresh_token: grant.refreshToken } : {}),
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
      ...(idToken ? { id_token: idToken } : {}),
    }, NO_STORE);
  }

  router.on('POST', '/token', async (ctx) => {
    if (await enter(ctx, 'oauth2.token')) return;
    let p: Record<string, string>;
    try {
      p = await paramsOf(ctx);
    } catch {
      return sendOAuthError(ctx, 400, 'invalid_request', 'Invalid JSON payload received.');
    }
    const grantType = p.grant_type;
    if (!grantType) return sendOAuthError(ctx, 400, 'unsupported_grant_type', 'Invalid grant_type: ');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return sendOAuthError(ctx, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    const client = authenticateClient(ctx, p);
    if (!client) return;

    if (grantType === 'refresh_token') {
      if (!p.refresh_token) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing required parameter: refresh_token');
      const issuedTo = shared.refreshClients.get(p.refresh_token);
      if (issuedTo && issuedTo !== client.clientId) return sendOAuthError(ctx, 401, 'unauthorized_client', 'Unauthorized');
      const grant = state.tokens.refresh('google', client.clientId, p.refresh_token);
      if (!grant) return sendOAuthError(ctx, 400, 'invalid_grant', 'Token has been expired or revoked.');
      return answer(ctx, grant, client.clientId, false);
    }

    if (!p.code) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing required parameter: code');
    const offline = shared.offlineCodes.get(p.code) ?? false;
    shared.offlineCodes.delete(p.code);
    // Single use: a code is spent by the first exchange attempt, good or bad.
    const code = state.tokens.takeCode(p.code);
    if (!code || code.clientId !== client.clientId || code.user.provider !== 'google') return sendOAuthError(ctx, 400, 'invalid_grant', 'Bad Request');
    if (!p.redirect_uri) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing parameter: redirect_uri');
    if (p.redirect_uri !== code.redirectUri) return sendOAuthError(ctx, 400, 'redirect_uri_mismatch', 'Bad Request');
    if (code.codeChallenge) {
      if (!p.code_verifier) return sendOAuthError(ctx, 400, 'invalid_grant', 'Missing code verifier.');
      const expected = code.codeChallengeMethod === 'S256' ? s256(p.code_verifier) : p.code_verifier;
      if (!same(expected, code.codeChallenge)) return sendOAuthError(ctx, 400, 'invalid_grant', 'Invalid code verifier.');
    } else if (p.code_verifier) {
      return sendOAuthError(ctx, 400, 'invalid_grant', 'code_verifier or verifier is not needed.');
    }
    const grant = state.tokens.issue('google', client.clientId, code.user, code.scopes);
    shared.refreshClients.set(grant.refreshToken, client.clientId);
    answer(ctx, grant, client.clientId, offline, code.nonce);
  });

  const revoke = async (ctx: RequestContext) => {
    if (await enter(ctx, 'oauth2.revoke')) return;
    let p: Record<string, string>;
    try {
      p = await paramsOf(ctx);
    } catch {
      p = Object.fromEntries(ctx.query);
    }
    if (!p.token) return sendOAuthError(ctx, 400, 'invalid_request', 'Bad Request');
    if (!state.tokens.revoke(p.token)) return sendOAuthError(ctx, 400, 'invalid_token', 'Token expired or revoked');
    ctx.sendJson(200, {}, NO_STORE);
  };
  router.on('POST', '/revoke', revoke);
  router.on('GET', '/revoke', revoke);
  router.on('POST', '/o/oauth2/revoke', revoke);
  router.on('GET', '/o/oauth2/revoke', revoke);

  const tokenOf = (ctx: RequestContext, p: Record<string, string> = {}) => ctx.bearer() ?? p.access_token ?? ctx.query.get('access_token') ?? undefined;

  const tokeninfo = async (ctx: RequestContext) => {
    if (await enter(ctx, 'oauth2.tokeninfo')) return;
    const token = tokenOf(ctx, await paramsOf(ctx).catch(() => ({})));
    const info = token ? state.tokens.verify(token) : undefined;
    if (!token || !info) return sendOAuthError(ctx, 400, 'invalid_token', 'Invalid Value');
    const expiresAt = shared.accessExpiry.get(token) ?? Date.now() + state.tokens.accessTokenTtl * 1000;
    // tokeninfo answers every member as a string.
    ctx.sendJson(200, {
      azp: info.clientId,
      aud: info.clientId,
      sub: info.user.id,
      scope: info.scopes.join(' '),
      exp: String(Math.floor(expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((expiresAt - Date.now()) / 1000))),
      ...(hasScope(info.scopes, 'email') ? { email: info.user.email, email_verified: 'true' } : {}),
    }, NO_STORE);
  };
  router.on('GET', '/tokeninfo', tokeninfo);
  router.on('POST', '/tokeninfo', tokeninfo);
  router.on('GET', '/oauth2/v3/tokeninfo', tokeninfo);

  const userinfo = (version: 'v2' | 'v3') => async (ctx: RequestContext) => {
    if (await enter(ctx, 'oauth2.userinfo')) return;
    const token = tokenOf(ctx);
    const info = token ? state.tokens.verify(token) : undefined;
    if (!info) {
      if (version === 'v2') return sendUnauthenticated(ctx, !token);
      return ctx.sendJson(401, { error: 'invalid_request', error_description: 'Invalid Credentials' }, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
    }
    const { user, scopes } = info;
    const email = hasScope(scopes, 'email');
    const profile = hasScope(scopes, 'profile');
    const [given, ...family] = user.name.split(' ');
    const names = profile ? { name: user.name, given_name: given, ...(family.length ? { family_name: family.join(' ') } : {}) } : {};
    if (version === 'v2') {
      return ctx.sendJson(200, { id: user.id, ...(email ? { email: user.email, verified_email: true } : {}), ...names });
    }
    ctx.sendJson(200, { sub: user.id, ...names, ...(email ? { email: user.email, email_verified: true } : {}) });
  };
  router.on('GET', '/oauth2/v3/userinfo', userinfo('v3'));
  router.on('GET', '/v1/userinfo', userinfo('v3'));
  router.on('GET', '/oauth2/v2/userinfo', userinfo('v2'));

  const cache = { 'cache-control': 'public, max-age=19800, must-revalidate, no-transform' };
  router.on('GET', '/oauth2/v1/certs', (ctx) => ctx.sendJson(200, signer.pemCerts(), cache));
  router.on('GET', '/oauth2/v3/certs', (ctx) => ctx.sendJson(200, signer.jwks(), cache));

  router.on('GET', '/.well-known/openid-configuration', (ctx) => {
    ctx.sendJson(200, {
      issuer: ISSUER,
      authorization_endpoint: `${baseUrl}/o/oauth2/v2/auth`,
      token_endpoint: `${baseUrl}/token`,
      userinfo_endpoint: `${baseUrl}/v1/userinfo`,
      revocation_endpoint: `${baseUrl}/revoke`,
      jwks_uri: `${baseUrl}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'sub'],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
  });
}
