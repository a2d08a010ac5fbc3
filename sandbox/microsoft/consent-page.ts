// The sign-in and consent page of the emulated Entra ID: pick one of the tenant's seeded
// accounts, then Accept or Cancel. Plain HTML forms without script, so a test can also post
// the form directly (fields: request, account, decision=approve|deny).
import type { SandboxUser } from '../core/types';
import { escapeHtml } from './format';

export interface ConsentPage {
  action: string;
  /** The original authorize query string, carried through the form. */
  request: string;
  appName: string;
  scopes: string[];
  users: SandboxUser[];
  loginHint?: string;
}

export function renderConsent(page: ConsentPage) {
  const hint = page.loginHint?.toLowerCase();
  const selected = page.users.find((u) => u.email.toLowerCase() === hint) || (page.users.length === 1 ? page.users[0] : undefined);
  const accounts = page.users
    .map((u) => `<label class="account"><input type="radio" name="account" value="${escapeHtml(u.email)}"${u === selected ? ' checked' : ''} required> <span><b>${escapeHtml(u.name)}</b><br>${escapeHtml(u.email)}</span></label>`)
    .join('\n');
  const scopes = page.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Segoe UI",sans-serif;background:#f2f2f2;margin:0}main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}.account{display:flex;gap:12px;align-items:center;padding:10px;border:1px solid #ddd;margin:8px 0;cursor:pointer}
button{min-width:108px;padding:6px 12px;font-size:15px;margin-top:20px;margin-right:8px;border:0;cursor:pointer}.primary{background:#0067b8;color:#fff}.secondary{background:#ccc}</style></head>
<body><main>
<div>Microsoft (sandbox)</div>
<h1>Permissions requested</h1>
<p><b>${escapeHtml(page.appName)}</b> would like to:</p>
<ul>${scopes}</ul>
<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="request" value="${escapeHtml(page.request)}">
<fieldset style="border:0;padding:0"><legend>Pick an account</legend>
${accounts || '<p>No account of this tenant can sign in.</p>'}
</fieldset>
<button type="submit" name="decision" value="approve" class="primary" id="idSIButton9">Accept</button>
<button type="submit" name="decision" value="deny" class="secondary" id="idBtn_Back" formnovalidate>Cancel</button>
</form>
</main></body></html>`;
}

export function renderError(code: number, message: string) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><main style="font-family:sans-serif;max-width:440px;margin:48px auto">
<h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error">AADSTS${code}: ${escapeHtml(message)}</p>
</main></body></html>`;
}
