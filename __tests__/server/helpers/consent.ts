// What the browser does at the sandbox's consent pages: load the page the plugin's authorize
// URL points at, pick an account, press Allow (or Cancel), and read where the provider
// redirects back to. The same clicks as __tests__/sandbox/{google,microsoft}.test.ts.
import { expect } from 'vitest';

export type Decision = 'approve' | 'deny';

function unescapeHtml(s: string) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Returns the redirect back to the app (with code/state or error). */
export async function consent(authorizeUrl: string, email: string, decision: Decision = 'approve'): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  expect(page.status, html.slice(0, 500)).toBe(200);
  const action = unescapeHtml(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '');
  const request = unescapeHtml(/name="request" value="([^"]*)"/.exec(html)?.[1] ?? '');
  expect(action).toBeTruthy();
  const microsoft = html.includes('name="account"');
  const form = new URLSearchParams({ request, decision, [microsoft ? 'account' : 'user']: email });
  const res = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

/** The callback values the client's OAuth landing page forwards from the redirect's query. */
export function callbackValues(back: URL): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ['state', 'code', 'error', 'error_description']) {
    const value = back.searchParams.get(key);
    if (value !== null) values[key] = value;
  }
  return values;
}
