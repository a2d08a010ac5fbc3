// The Graph client the mailbox calls use. Same library and endpoint rules as the sign-in part
// (https base URL from the provider options, bearer token only for that host), but without the
// library's RetryHandler: it would sleep out a Retry-After (up to minutes) inside one call,
// holding the engine's lease, hiding the throttling from its logs, and retrying on top of the
// engine's own backoff. Here a throttled call fails at once with RateLimitedError and the
// engine, which owns every retry, decides when to come back.
import {
  AuthenticationHandler,
  Client,
  CustomAuthenticationProvider,
  HTTPMessageHandler,
  RedirectHandler,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { ProviderOptions } from '../../../shared/types';

export const DEFAULT_GRAPH_ROOT = 'https://graph.microsoft.com';
export const GRAPH_VERSION = 'v1.0';

/** The Graph root without a trailing slash: the public cloud, a national cloud, a proxy or the sandbox. */
export function graphRoot(options: ProviderOptions): string {
  return (options.apiBaseUrl || DEFAULT_GRAPH_ROOT).replace(/\/+$/, '');
}

export function graphClient(root: string, accessToken: string, retries: boolean): Client {
  const customHosts = new Set([new URL(root).hostname]);
  if (retries) return Client.init({ baseUrl: root, customHosts, authProvider: (done) => done(null, accessToken) });
  return Client.initWithMiddleware({
    baseUrl: root,
    customHosts,
    middleware: [
      new AuthenticationHandler(new CustomAuthenticationProvider((done) => done(null, accessToken))),
      new RedirectHandler(),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}
