// Scope handling shared by the token endpoint (what to grant and echo back) and Graph (what a
// token may do). Graph scopes may be written short (Mail.Read) or with the resource prefix.
export const GRAPH_RESOURCE = 'https://graph.microsoft.com/';
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
/** What `.default` stands for: the permissions the sandbox app registration is configured with. */
const DEFAULT_GRANT = ['User.Read', 'Mail.ReadWrite', 'Mail.Send'];

export function splitScopes(raw: string | null | undefined) {
  return [...new Set(String(raw || '').split(/\s+/).filter(Boolean))];
}

function shortName(scope: string) {
  return scope.startsWith(GRAPH_RESOURCE) ? scope.slice(GRAPH_RESOURCE.length) : scope;
}

/** Requested scopes as granted: `.default` expanded, resource scopes kept in the form asked for. */
export function grantScopes(requested: string[]) {
  const out: string[] = [];
  for (const scope of requested) {
    if (shortName(scope) === '.default') out.push(...DEFAULT_GRANT.map((s) => (scope.startsWith(GRAPH_RESOURCE) ? GRAPH_RESOURCE + s : s)));
    else out.push(scope);
  }
  // Signing in with openid alone still yields a Graph token for the user's own profile.
  if (!out.some((s) => !OIDC_SCOPES.has(s))) out.push('User.Read');
  return [...new Set(out)];
}

/** The `scope` of a token response: what was granted, without offline_access (Entra leaves it out). */
export function responseScope(granted: string[]) {
  return granted.filter((s) => s !== 'offline_access').join(' ');
}

export type Permission = 'user' | 'read' | 'write' | 'send';

const ALLOWS: Record<Permission, string[]> = {
  user: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
  read: ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite'],
  write: ['Mail.ReadWrite'],
  send: ['Mail.Send'],
};

/**
 * Whether a token's scopes allow an operation. Tokens minted with no scopes at all (by other
 * parts of the sandbox) are treated as unrestricted.
 */
export function allows(scopes: string[], permission: Permission) {
  if (!scopes.length) return true;
  const names = new Set(scopes.map((s) => shortName(s).toLowerCase()));
  if (names.has('.default')) return true;
  return ALLOWS[permission].some((s) => names.has(s.toLowerCase()));
}
