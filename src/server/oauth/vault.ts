// Secrets at rest: token blobs and client secrets are encrypted with the host's app.aesEncryptor
// (AES-256, key from APP_AES_SECRET_KEY or the app's key file), as NocoBase's environment
// variables plugin does for its secrets.
import type { Application } from '@nocobase/server';
import type { TokenSet } from '../providers/types';

/** Decryption failed: the key changed (APP_AES_SECRET_KEY) or the value was tampered with. */
export class VaultError extends Error {
  constructor(what: string) {
    super(`The stored ${what} cannot be decrypted; was the app's encryption key (APP_AES_SECRET_KEY) changed?`);
    this.name = 'VaultError';
  }
}

export class Vault {
  constructor(private readonly app: Application) {}

  private get encryptor() {
    const encryptor = this.app.aesEncryptor;
    if (!encryptor) throw new Error('app.aesEncryptor is not ready');
    return encryptor;
  }

  encrypt(plain: string): Promise<string> {
    return this.encryptor.encrypt(plain);
  }

  async decrypt(sealed: string, what = 'secret'): Promise<string> {
    try {
      return await this.encryptor.decrypt(sealed);
    } catch {
      // The cipher's own error says nothing useful and nothing secret; ours says what to check.
      throw new VaultError(what);
    }
  }

  sealTokens(tokens: TokenSet): Promise<string> {
    return this.encrypt(JSON.stringify(tokens));
  }

  async openTokens(sealed: string | null | undefined): Promise<TokenSet> {
    if (!sealed) throw new VaultError('tokens');
    const parsed = JSON.parse(await this.decrypt(sealed, 'tokens')) as TokenSet;
    if (!parsed.refreshToken || !parsed.accessToken) throw new VaultError('tokens');
    return parsed;
  }
}
