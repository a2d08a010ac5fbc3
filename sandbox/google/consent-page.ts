// The HTML a browser sees at the authorization endpoint: pick an account, Allow or Cancel;
// and Google's error page ("Error 400: redirect_uri_mismatch") for requests it will not serve.
import type { SandboxUser } from '../core/types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `body{font-family:Roboto,Arial,sans-serif;background:#f0f4f9;margin:0}
main{max-width:460px;margin:48px auto;background:#fff;border-radius:28px;padding:36px 40px}
h1{font-size:24px;font-weight:400;margin:0 0 12px}label{display:block;padding:10px 0;border-bottom:1px solid #e0e0e0}
ul{padding-left:18px;color:#444}.actions{display:flex;justify-content:flex-end;gap:12px;margin-top:24px}
button{border-radius:20px;padding:10px 24px;font-size:14px;border:1px solid #747775;background:#fff;cursor:pointer}
button[value=approve]{background:#0b57d0;color:#fff;border-color:#0b57d0}small{color:#666}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function consentPage(input: { action: string; requestId: string; clientId: string; scopes: string[]; users: SandboxUser[]; selected?: string }): string {
  const selected = input.users.find((u) => u.email.toLowerCase() === input.selected?.toLowerCase()) ?? input.users[0];
  const accounts = input.users
    .map((u) => `<label><input type="radio" name="user" value="${esc(u.email)}"${u === selected ? ' checked' : ''}> ${esc(u.name)} <small>${esc(u.email)}</small></label>`)
    .join('');
  const scopes = input.scopes.map((s) => `<li>${esc(s)}</li>`).join('');
  return page(
    'Sign in - Google Accounts',
    `<h1>Choose an account</h1><p>to continue to <b>${esc(input.clientId)}</b></p>
<form method="post" action="${esc(input.action)}">
<input type="hidden" name="request" value="${esc(input.requestId)}">
${accounts}
<p>This app wants to:</p><ul>${scopes}</ul>
<div class="actions"><button type="submit" name="decision" value="deny">Cancel</button><button type="submit" name="decision" value="approve">Allow</button></div>
</form>`,
  );
}

export function errorPage(status: number, error: string, description: string): string {
  return page(
    `Error ${status}: ${error}`,
    `<h1>Access blocked: authorization error</h1><p>${esc(description)}</p><p><b>Error ${status}: ${esc(error)}</b></p>`,
  );
}
