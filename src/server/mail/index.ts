// Reading mail: the services behind mailThreads, mailFolders, mailMessages and the badge. Built
// once per load from the plugin's other services; the actions only parse and answer.
import type { Database } from '@nocobase/database';
import type { Log } from '../log';
import type { TokenService } from '../oauth/tokens';
import type { MailSettings } from '../settings/mail-settings';
import type { ProviderSettings } from '../settings/store';
import { Attachments } from './attachments';
import { Folders } from './folders';
import { Messages } from './messages';
import { ProviderCalls } from './provider';
import { ReadState } from './read-state';
import { MailScope } from './scope';
import { Threads } from './threads';

export interface MailReaderDeps {
  db: Database;
  log: Log;
  settings: ProviderSettings;
  tokens: TokenService;
  mailSettings: MailSettings;
}

export function createMailReader({ db, log, settings, tokens, mailSettings }: MailReaderDeps) {
  const scope = new MailScope(db);
  const provider = new ProviderCalls({ settings, tokens, log });
  return {
    settings: mailSettings,
    scope,
    provider,
    threads: new Threads(db, scope),
    folders: new Folders(db),
    messages: new Messages(db, scope),
    readState: new ReadState(db, scope, provider),
    attachments: new Attachments(db, scope, provider, log),
  };
}

export type MailReader = ReturnType<typeof createMailReader>;
