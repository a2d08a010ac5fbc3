// OpenID Connect ID tokens signed RS256 with a key made when the emulator mounts, and the
// certificate endpoints google-auth-library's verifyIdToken() fetches (PEM by kid, or JWKS).
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SandboxUser } from '../core/types';

export const ISSUER = 'https://accounts.google.com';

export interface IdTokenSigner {
  sign(input: { clientId: string; user: SandboxUser; scopes: string[]; accessToken: string; nonce?: string; ttl: number }): string;
  /** /oauth2/v1/certs: { kid: PEM } */
  pemCerts(): Record<string, string>;
  /** /oauth2/v3/certs: { keys: [JWK] } */
  jwks(): { keys: Record<string, string>[] };
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function createIdTokenSigner(): IdTokenSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const pub: KeyObject = publicKey;
  return {
    sign({ clientId, user, scopes, accessToken, nonce, ttl }) {
      const now = Math.floor(Date.now() / 1000);
      const hasEmail = scopes.some((s) => s === 'email' || s.endsWith('/userinfo.email'));
      const hasProfile = scopes.some((s) => s === 'profile' || s.endsWith('/userinfo.profile'));
      // at_hash: left half of SHA-256 of the access token (OIDC core 3.3.2.11).
      const atHash = b64url(createHash('sha256').update(accessToken).digest().subarray(0, 16));
      const [given, ...family] = user.name.split(' ');
      const payload = {
        iss: ISSUER,
        azp: clientId,
        aud: clientId,
        sub: user.id,
        ...(hasEmail ? { email: user.email, email_verified: true } : {}),
        at_hash: atHash,
        ...(nonce ? { nonce } : {}),
        ...(hasProfile ? { name: user.name, given_name: given, family_name: family.join(' ') || undefined } : {}),
        iat: now,
        exp: now + ttl,
      };
      const head = b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
      const body = b64url(JSON.stringify(payload));
      const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey);
      return `${head}.${body}.${b64url(signature)}`;
    },
    pemCerts() {
      // A public key PEM; Node's verifier takes it where Google serves an X.509 certificate.
      return { [kid]: pub.export({ type: 'spki', format: 'pem' }).toString() };
    },
    jwks() {
      const jwk = pub.export({ format: 'jwk' }) as { n: string; e: string };
      return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e }] };
    },
  };
}
