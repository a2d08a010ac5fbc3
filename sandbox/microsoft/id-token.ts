// ID tokens as Entra ID v2.0 issues them: RS256 JWTs whose key is published at the tenant's
// jwks_uri, with oid/tid/preferred_username/name/aud/iss/nonce claims; and client_info, the
// base64url JSON {uid, utid} msal uses to build the home account id.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { SandboxUser } from '../core/types';

export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;

  constructor() {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { n: string; e: string };
    this.kid = createHash('sha1').update(publicJwk.n).digest('base64url').slice(0, 27);
    this.jwk = { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: publicJwk.n, e: publicJwk.e };
  }

  sign(claims: Record<string, unknown>) {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid };
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const input = `${encode(header)}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }
}

export function issuer(baseUrl: string, tenantId: string) {
  return `${baseUrl}/${tenantId}/v2.0`;
}

/** Entra's `sub` is pairwise: stable per user and application. */
export function pairwiseSubject(user: SandboxUser, clientId: string) {
  return createHash('sha256').update(`${user.id}|${clientId}`).digest('base64url').slice(0, 43);
}

export function idTokenClaims(input: { baseUrl: string; user: SandboxUser; clientId: string; nonce?: string; scopes: string[]; lifetime: number }) {
  const now = Math.floor(Date.now() / 1000);
  const tid = input.user.tenantId || '9188040d-6c67-4c5b-b112-36a304b66dad';
  return {
    ver: '2.0',
    iss: issuer(input.baseUrl, tid),
    sub: pairwiseSubject(input.user, input.clientId),
    aud: input.clientId,
    exp: now + input.lifetime,
    iat: now,
    nbf: now,
    ...(input.scopes.includes('profile') || input.scopes.includes('openid') ? { name: input.user.name, preferred_username: input.user.email } : {}),
    ...(input.scopes.includes('email') ? { email: input.user.email } : {}),
    oid: input.user.id,
    tid,
    ...(input.nonce ? { nonce: input.nonce } : {}),
    aio: randomBytes(24).toString('base64url'),
    rh: `0.A${randomBytes(16).toString('base64url')}.`,
    uti: randomBytes(16).toString('base64url'),
    sid: randomUUID(),
  };
}

export function clientInfo(user: SandboxUser) {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId || '9188040d-6c67-4c5b-b112-36a304b66dad' })).toString('base64url');
}
