// Authorization codes and grants for both identity emulators. Tokens are random; a grant ties
// an access token to its refresh token so revoking either ends both, as the providers do.
import { randomBytes } from 'node:crypto';
import type { AccessGrant, AuthorizationCode, ProviderName, SandboxUser, TokenStore } from './types';

interface Grant {
  provider: ProviderName;
  clientId: string;
  user: SandboxUser;
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
}

interface Access {
  grant: Grant;
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60 * 1000;

function token(prefix: string, bytes = 32) {
  return prefix + randomBytes(bytes).toString('base64url');
}

export function createTokenStore(now: () => number = Date.now): TokenStore {
  const codes = new Map<string, AuthorizationCode>();
  const grants = new Map<string, Grant>(); // by refresh token
  const access = new Map<string, Access>(); // by access token

  function newAccess(grant: Grant, ttl: number): AccessGrant {
    const accessToken = token(grant.provider === 'google' ? 'ya29.' : 'EwB', 48);
    access.set(accessToken, { grant, expiresAt: now() + ttl * 1000 });
    return { accessToken, refreshToken: grant.refreshToken, expiresIn: ttl, scopes: grant.scopes, user: grant.user };
  }

  const store: TokenStore = {
    accessTokenTtl: 3600,
    createCode(input) {
      const code: AuthorizationCode = { ...input, code: token('4/0A', 24), expiresAt: now() + CODE_TTL_MS };
      codes.set(code.code, code);
      return code;
    },
    takeCode(code) {
      const found = codes.get(code);
      codes.delete(code);
      if (!found || found.expiresAt < now()) return undefined;
      return found;
    },
    issue(provider, clientId, user, scopes) {
      const grant: Grant = { provider, clientId, user, scopes, refreshToken: token(provider === 'google' ? '1//0' : 'M.C5', 48), revoked: false };
      grants.set(grant.refreshToken, grant);
      return newAccess(grant, store.accessTokenTtl);
    },
    refresh(provider, clientId, refreshToken) {
      const grant = grants.get(refreshToken);
      if (!grant || grant.revoked || grant.provider !== provider || grant.clientId !== clientId) return undefined;
      return newAccess(grant, store.accessTokenTtl);
    },
    verify(accessToken) {
      const found = access.get(accessToken);
      if (!found || found.grant.revoked || found.expiresAt <= now()) return undefined;
      return { user: found.grant.user, scopes: found.grant.scopes, clientId: found.grant.clientId };
    },
    revoke(value) {
      const grant = grants.get(value) ?? access.get(value)?.grant;
      if (!grant || grant.revoked) return false;
      grant.revoked = true;
      return true;
    },
    revokeUser(email) {
      let n = 0;
      for (const grant of grants.values()) {
        if (!grant.revoked && grant.user.email.toLowerCase() === email.toLowerCase()) {
          grant.revoked = true;
          n++;
        }
      }
      return n;
    },
    expireAccessTokens() {
      let n = 0;
      const t = now();
      for (const entry of access.values()) {
        if (entry.expiresAt > t) {
          entry.expiresAt = t;
          n++;
        }
      }
      return n;
    },
  };
  return store;
}
