// Microsoft Entra ID (v2.0 endpoints) for the sandbox: OpenID discovery, instance discovery,
// signing keys, the authorize + consent page, and the token endpoint (authorization_code with
// PKCE, refresh_token), answering in Entra's shapes so that msal-node accepts them unchanged.
import { createHash, randomUUID } from 'node:crypto';
import type { OAuthClient, RequestContext, Router, SandboxState, SandboxUser } from '../core/types';
import { applyFaults } from '../core/faults';
import { aadError } from './errors';
import { clientInfo, idTokenClaims, issuer, SigningKey } from './id-token';
import { renderConsent, renderError } from './consent-page';
import { grantScopes, responseScope, splitScopes } from './scopes';
import { authenticate } from './pipeline';

export const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

interface TenantView {
  /** The path segment endpoints use: common/organizations/consumers or the tenant id. */
  segment: string;
  tenantId?: string;
  users: SandboxUser[];
}

/** Resolves the {tenant} path segment: an alias, a tenant id, or a verified domain of a tenant. */
export function resolveTenant(state: SandboxState, segment: string): TenantView | undefined {
  const lower = segment.toLowerCase();
  const users = state.users.filter((u) => u.provider === 'microsoft');
  if (lower === 'common') return { segment: 'common', users };
  if (lower === 'organizations') return { segment: 'organizations', users: users.filter((u) => u.tenantId !== CONSUMERS_TENANT) };
  if (lower === 'consumers') return { segment: 'consumers', users: users.filter((u) => u.tenantId === CONSUMERS_TENANT) };
  const byId = users.filter((u) => u.tenantId?.toLowerCase() === lower);
  const tenantId = byId[0]?.tenantId ?? users.find((u) => u.email.toLowerCase().endsWith(`@${lower}`))?.tenantId;
  if (!tenantId) return undefined;
  return { segment: tenantId, tenantId, users: users.filter((u) => u.tenantId === tenantId) };
}

function openIdConfiguration(baseUrl: string, tenant: TenantView) {
  const root = `${baseUrl}/${tenant.segment}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // Multi-tenant endpoints publish a templated issuer, as Entra does.
    issuer: issuer(baseUrl, tenant.tenantId ?? '{tenantid}'),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(baseUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}

function appendParams(uri: string, params: Record<string, string | undefined>, mode: string) {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  if (mode === 'fragment') return `${uri}#${query}`;
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

/** Sends the authorization response to the client: a redirect, or an auto-posting form for form_post. */
function respond(ctx: RequestContext, redirectUri: string, mode: string, params: Record<string, string | undefined>) {
  if (mode === 'form_post') {
    const fields = Object.entries(params)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`)
      .join('');
    ctx.send(200, `<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="${redirectUri.replace(/"/g, '&quot;')}">${fields}<noscript><button>Continue</button></noscript></form></body></html>`, { 'content-type': 'text/html; charset=utf-8' });
    return;
  }
  ctx.redirect(appendParams(redirectUri, params, mode));
}

interface AuthorizeRequest {
  params: URLSearchParams;
  client: OAuthClient;
  tenant: TenantView;
  redirectUri: string;
  mode: string;
}

/** Checks an authorize request; problems Entra shows on its own page come back as `page`. */
function checkAuthorize(state: SandboxState, tenantSegment: string, params: URLSearchParams): AuthorizeRequest | { page: [number, number, string] } {
  const tenant = resolveTenant(state, tenantSegment);
  if (!tenant) return { page: [400, 90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`] };
  const clientId = params.get('client_id');
  if (!clientId) return { page: [400, 900144, "The request body must contain the following parameter: 'client_id'."] };
  const client = state.clients.find((c) => c.provider === 'microsoft' && c.clientId === clientId);
  if (!client) return { page: [400, 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'.`] };
  const redirectUri = params.get('redirect_uri') || '';
  if (!redirectUri || (client.redirectUris.length && !client.redirectUris.includes(redirectUri))) {
    return { page: [400, 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`] };
  }
  return { params, client, tenant, redirectUri, mode: params.get('response_mode') || 'query' };
}

export function mountIdentity(router: Router, state: SandboxState, baseUrl: string) {
  const key = new SigningKey();

  router.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', async (ctx) => {
    ctx.operation = 'identity.discovery';
    state.counters.count('identity.discovery');
    if (await applyFaults(ctx, state, 'microsoft', identityFaultBody(baseUrl))) return;
    const tenant = resolveTenant(state, ctx.params.tenant);
    if (!tenant) {
      ctx.sendJson(400, aadError(baseUrl, 'invalid_tenant', 90002, `Tenant '${ctx.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`));
      return;
    }
    ctx.sendJson(200, openIdConfiguration(baseUrl, tenant), { 'cache-control': 'max-age=86400, private', 'access-control-allow-origin': '*' });
  });

  // Instance discovery, for clients configured to ask this host instead of login.microsoftonline.com.
  router.on('GET', '/:tenant/discovery/instance', (ctx) => {
    const host = new URL(baseUrl).host;
    ctx.sendJson(200, {
      tenant_discovery_endpoint: `${baseUrl}/${ctx.params.tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  router.on('GET', '/:tenant/discovery/v2.0/keys', (ctx) => {
    const tenant = resolveTenant(state, ctx.params.tenant);
    ctx.sendJson(200, { keys: [{ ...key.jwk, issuer: issuer(baseUrl, tenant?.tenantId ?? '{tenantid}') }] });
  });

  const authorizePage = (ctx: RequestContext, params: URLSearchParams) => {
    const checked = checkAuthorize(state, ctx.params.tenant, params);
    if ('page' in checked) {
      const [status, code, message] = checked.page;
      ctx.send(status, renderError(code, message), { 'content-type': 'text/html; charset=utf-8' });
      return undefined;
    }
    const { redirectUri, mode } = checked;
    const stateParam = params.get('state') ?? undefined;
    const fail = (error: string, code: number, description: string) =>
      respond(ctx, redirectUri, mode, { error, error_description: `AADSTS${code}: ${description}`, state: stateParam });
    if (params.get('response_type') !== 'code') {
      fail('unsupported_response_type', 700054, `response_type '${params.get('response_type') ?? ''}' is not enabled for the application.`);
      return undefined;
    }
    const method = params.get('code_challenge_method');
    if (params.get('code_challenge') && method && method !== 'S256' && method !== 'plain') {
      fail('invalid_request', 501491, `Invalid code_challenge_method: '${method}'.`);
      return undefined;
    }
    if (!splitScopes(params.get('scope')).length) {
      fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
      return undefined;
    }
    if (params.get('prompt') === 'none') {
      // No browser session exists in the sandbox, so silent sign-in always needs interaction.
      fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
      return undefined;
    }
    return { ...checked, fail, stateParam };
  };

  router.on('GET', '/:tenant/oauth2/v2.0/authorize', (ctx) => {
    ctx.operation = 'identity.authorize';
    state.counters.count('identity.authorize');
    const params = ctx.query;
    const ok = authorizePage(ctx, params);
    if (!ok) return;
    ctx.send(200, renderConsent({
      action: ctx.path,
      request: params.toString(),
      appName: ok.client.clientId,
      scopes: grantScopes(splitScopes(params.get('scope'))),
      users: ok.tenant.users,
      loginHint: params.get('login_hint') ?? undefined,
    }), { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  });

  router.on('POST', '/:tenant/oauth2/v2.0/authorize', async (ctx) => {
    const form = await ctx.form();
    const params = new URLSearchParams(form.get('request') || '');
    const ok = authorizePage(ctx, params);
    if (!ok) return;
    if (form.get('decision') !== 'approve') {
      respond(ctx, ok.redirectUri, ok.mode, { error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.', state: ok.stateParam });
      return;
    }
    const user = ok.tenant.users.find((u) => u.email.toLowerCase() === String(form.get('account') || '').toLowerCase());
    if (!user) {
      ctx.send(400, renderError(50034, `The user account ${form.get('account') || ''} does not exist in the directory.`), { 'content-type': 'text/html; charset=utf-8' });
      return;
    }
    const code = state.tokens.createCode({
      clientId: ok.client.clientId,
      redirectUri: ok.redirectUri,
      scopes: grantScopes(splitScopes(params.get('scope'))),
      user,
      codeChallenge: params.get('code_challenge') ?? undefined,
      codeChallengeMethod: params.get('code_challenge') ? params.get('code_challenge_method') || 'plain' : undefined,
      nonce: params.get('nonce') || undefined,
    });
    respond(ctx, ok.redirectUri, ok.mode, {
      code: code.code,
      client_info: params.get('client_info') === '1' ? clientInfo(user) : undefined,
      state: ok.stateParam,
      session_state: randomUUID(),
    });
  });

  router.on('GET', '/:tenant/oauth2/v2.0/logout', (ctx) => {
    const target = ctx.query.get('post_logout_redirect_uri');
    if (target) ctx.redirect(target);
    else ctx.send(200, '<!DOCTYPE html><html><body><h1>You signed out of your account</h1></body></html>', { 'content-type': 'text/html; charset=utf-8' });
  });

  router.on('GET', '/oidc/userinfo', (ctx) => {
    try {
      const { user, clientId } = authenticate(ctx, state);
      const [givenName, ...rest] = user.name.split(' ');
      ctx.sendJson(200, { sub: createHash('sha256').update(`${user.id}|${clientId}`).digest('base64url').slice(0, 43), name: user.name, family_name: rest.join(' '), given_name: givenName, email: user.email });
    } catch {
      ctx.send(401, '', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
  });

  router.on('POST', '/:tenant/oauth2/v2.0/token', (ctx) => token(ctx, state, baseUrl, key));
}

/** client_secret_post or client_secret_basic, as Entra accepts both. */
function clientCredentials(ctx: RequestContext, form: URLSearchParams) {
  const basic = /^Basic\s+(.+)$/i.exec(String(ctx.req.headers.authorization || ''));
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id || ''), secret: decodeURIComponent(secret || '') };
  }
  return { clientId: form.get('client_id') || '', secret: form.get('client_secret') ?? undefined };
}

function pkceMatches(challenge: string, method: string | undefined, verifier: string) {
  if ((method || 'plain') === 'plain') return challenge === verifier;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/** The body of a fault injected at the token endpoint: an Entra error matching the status. */
function identityFaultBody(baseUrl: string) {
  return (status: number, message: string) => {
    if (status === 400) return aadError(baseUrl, 'invalid_grant', 50173, `The provided grant has expired due to it being revoked. (${message})`, undefined, 'bad_token');
    if (status === 401) return aadError(baseUrl, 'invalid_client', 7000215, `Invalid client secret provided. (${message})`);
    return aadError(baseUrl, 'temporarily_unavailable', 90033, `A transient error has occurred. Please try again. (${message})`);
  };
}

async function token(ctx: RequestContext, state: SandboxState, baseUrl: string, key: SigningKey) {
  ctx.operation = 'identity.token';
  state.counters.count('identity.token');
  if (await applyFaults(ctx, state, 'microsoft', identityFaultBody(baseUrl))) return;
  const form = await ctx.form();
  const correlation = String(ctx.req.headers['client-request-id'] || '') || undefined;
  const headers = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', 'x-ms-request-id': randomUUID(), ...(correlation ? { 'client-request-id': correlation } : {}) };
  const fail = (status: number, error: string, code: number, text: string, suberror?: string) =>
    ctx.sendJson(status, aadError(baseUrl, error, code, text, correlation, suberror), headers);

  const tenant = resolveTenant(state, ctx.params.tenant);
  if (!tenant) return fail(400, 'invalid_request', 90002, `Tenant '${ctx.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  const grantType = form.get('grant_type');
  if (!grantType) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  const { clientId, secret } = clientCredentials(ctx, form);
  if (!clientId) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = state.clients.find((c) => c.provider === 'microsoft' && c.clientId === clientId);
  if (!client) return fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${ctx.params.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
  if (secret === undefined || secret === '') return fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  if (secret !== client.clientSecret) return fail(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);

  let grant;
  let nonce: string | undefined;
  if (grantType === 'authorization_code') {
    const codeValue = form.get('code');
    if (!codeValue) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const code = state.tokens.takeCode(codeValue);
    if (!code || code.clientId !== clientId) return fail(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid. The code has expired, was already redeemed or was issued to another application.");
    if (tenant.tenantId && code.user.tenantId !== tenant.tenantId) return fail(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid. The code was issued for another tenant.");
    if ((form.get('redirect_uri') || '') !== code.redirectUri) return fail(400, 'invalid_grant', 70000, "The provided value for the input parameter 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.");
    if (code.codeChallenge) {
      const verifier = form.get('code_verifier');
      if (!verifier || !pkceMatches(code.codeChallenge, code.codeChallengeMethod, verifier)) {
        return fail(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
      }
    }
    grant = state.tokens.issue('microsoft', clientId, code.user, code.scopes);
    nonce = code.nonce;
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
    grant = state.tokens.refresh('microsoft', clientId, refreshToken);
    // Revoked (password reset, consent withdrawn, revokeSignInSessions) or unknown: the app must sign the user in again.
    if (!grant) return fail(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', 'bad_token');
  } else {
    return fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }

  const scopes = grant.scopes;
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: responseScope(scopes),
    expires_in: grant.expiresIn,
    ext_expires_in: grant.expiresIn,
    access_token: grant.accessToken,
  };
  if (scopes.includes('offline_access')) body.refresh_token = grant.refreshToken;
  if (scopes.includes('openid')) body.id_token = key.sign(idTokenClaims({ baseUrl, user: grant.user, clientId, nonce, scopes, lifetime: 3600 }));
  if (form.get('client_info') === '1') body.client_info = clientInfo(grant.user);
  ctx.sendJson(200, body, headers);
}
