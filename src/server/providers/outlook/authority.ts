// Where msal-node signs users in: `<host>/<tenant>`. Microsoft's own cloud hosts are known to
// msal (it validates them through instance discovery); any other host (a proxy, the sandbox)
// must be declared in knownAuthorities, which tells msal to trust it and read its OpenID
// configuration directly.
import type { ProviderOptions } from '../../../shared/types';

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

const MICROSOFT_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

export interface Authority {
  authority: string;
  knownAuthorities?: string[];
}

export function authorityOf(options: ProviderOptions): Authority {
  const host = (options.authorizeUrl || DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
  const tenant = options.tenant || 'common';
  const url = new URL(host);
  const authority = `${host}/${tenant}`;
  return MICROSOFT_HOSTS.has(url.hostname.toLowerCase()) ? { authority } : { authority, knownAuthorities: [url.host] };
}
