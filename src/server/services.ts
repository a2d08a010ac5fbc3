// The plugin's services, built once per load from the app they run in.
import type { Application } from '@nocobase/server';
import { Accounts } from './accounts/store';
import type { Log } from './log';
import { AccountLinker } from './oauth/link';
import { OAuthStates } from './oauth/state';
import { TokenService } from './oauth/tokens';
import { Vault } from './oauth/vault';
import { ProviderSettings } from './settings/store';

export function createServices(app: Application, log: Log) {
  const db = app.db;
  const vault = new Vault(app);
  const settings = new ProviderSettings(db, vault);
  const states = new OAuthStates(db, vault);
  const accounts = new Accounts(db);
  const linker = new AccountLinker({ accounts, states, settings, vault, log });
  const tokens = new TokenService({ db, vault, settings, lockManager: app.lockManager, log });
  return { db, log, vault, settings, states, accounts, linker, tokens };
}

export type Services = ReturnType<typeof createServices>;
