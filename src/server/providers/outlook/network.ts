// msal-node's HTTP client, observed. msal swallows transport failures during authority
// discovery and reports them like a wrong tenant ("endpoints_resolution_error"); this client
// does what msal's own does (fetch, JSON) and remembers whether the host answered at all, so
// the adapter can tell "Microsoft is unreachable" from "the tenant or host is wrong".
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { networkCode } from '../errors';

export class ObservedNetwork implements INetworkModule {
  /** Set when the last request got no answer: the system error code (ECONNREFUSED …). */
  unreachable?: string;
  /** HTTP status of the last answer. */
  lastStatus?: number;

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const attempt = () =>
      fetch(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? options?.body || '' : undefined,
        signal: AbortSignal.timeout(timeout || 30_000),
      });
    let response: Response;
    try {
      try {
        response = await attempt();
      } catch (err) {
        // A GET (authority discovery) that met a closed keep-alive connection is asked once
        // more: it changes nothing, and the first request after an idle spell often meets one.
        // Not a POST (the token request: a code is good once), not after a timeout.
        if (method !== 'GET' || networkCode(err) === 'ETIMEDOUT') throw err;
        response = await attempt();
      }
    } catch (err) {
      this.unreachable = networkCode(err) ?? 'ENETWORK';
      // msal turns this into its own network error; the adapter reads `unreachable` instead.
      throw new Error(`network request failed (${this.unreachable})`);
    }
    this.unreachable = undefined;
    this.lastStatus = response.status;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: unknown = {};
    try {
      body = await response.json();
    } catch {
      // An HTML error page: msal then reports the status without a body, which is what we want.
    }
    return { headers, body: body as T, status: response.status };
  }
}
