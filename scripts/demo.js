'use strict';
// The demo that `npm start` sets up: the provider sandbox beside the host, and both providers
// configured against it through the plugin's own settings API, as an admin would, but only
// while no real credentials are saved (a clientId that is not the sandbox's is left alone).

const SANDBOX_PORTS = { google: Number(process.env.SANDBOX_GOOGLE_PORT || 18080), microsoft: Number(process.env.SANDBOX_MICROSOFT_PORT || 18443) };

async function startDemoSandbox() {
  require('tsx/cjs');
  const { startSandbox } = require('../sandbox');
  return startSandbox({
    seed: 1,
    size: Number(process.env.SANDBOX_SIZE || 500),
    googlePort: SANDBOX_PORTS.google,
    microsoftPort: SANDBOX_PORTS.microsoft,
  });
}

/** Provider settings that point at the sandbox (the same endpoint overrides an admin can enter). */
function sandboxSettings(sandbox) {
  const client = (provider) => sandbox.state.clients.find((c) => c.provider === provider);
  return {
    google: {
      enabled: true,
      clientId: client('google').clientId,
      clientSecret: client('google').clientSecret,
      options: { authorizeUrl: `${sandbox.googleUrl}/o/oauth2/v2/auth`, tokenUrl: `${sandbox.googleUrl}/token`, apiBaseUrl: `${sandbox.googleUrl}/` },
    },
    microsoft: {
      enabled: true,
      clientId: client('microsoft').clientId,
      clientSecret: client('microsoft').clientSecret,
      options: { tenant: 'common', authorizeUrl: sandbox.microsoftUrl, apiBaseUrl: sandbox.microsoftUrl },
    },
  };
}

async function api(url, token, action, body) {
  const res = await fetch(`${url}/api/${action}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : { 'x-authenticator': 'basic' }) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${action}: ${res.status} ${JSON.stringify(json.errors || json).slice(0, 200)}`);
  return json.data;
}

/** Configures the providers that have no real credentials. Returns the names it configured. */
async function configureDemoProviders(url, env, sandbox) {
  const { token } = await api(url, undefined, 'auth:signIn', { account: env.INIT_ROOT_EMAIL, password: env.INIT_ROOT_PASSWORD });
  const providers = await api(url, token, 'mailProviders:list');
  const settings = sandboxSettings(sandbox);
  const configured = [];
  for (const provider of providers) {
    const demo = settings[provider.name];
    if (!demo) continue;
    const real = provider.clientId && provider.clientId !== demo.clientId;
    if (real) continue;
    await api(url, token, `mailProviders:update?filterByTk=${provider.name}`, demo);
    configured.push(provider.name);
  }
  return configured;
}

module.exports = { startDemoSandbox, configureDemoProviders, sandboxSettings };
