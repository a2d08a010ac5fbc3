// A small two-account mailbox in the fake server, for the Email center's tests.
import type { MailFolderDTO } from '../../src/shared/mail';
import { account, folder, type FakeMailServer } from './fake-server';

export function gmailFolders(accountId: number | string): MailFolderDTO[] {
  return [
    folder(accountId, { kind: 'inbox', name: 'INBOX' }),
    folder(accountId, { kind: 'sent', name: 'SENT' }),
    folder(accountId, { kind: 'drafts', name: 'DRAFT', remoteId: 'DRAFT' }),
    folder(accountId, { kind: 'starred', name: 'STARRED' }),
    folder(accountId, { kind: 'spam', name: 'SPAM' }),
    folder(accountId, { kind: 'trash', name: 'TRASH' }),
    folder(accountId, { kind: 'custom', name: 'Projects', remoteId: 'Label_1' }),
  ];
}

export function outlookFolders(accountId: number | string): MailFolderDTO[] {
  return [
    folder(accountId, { kind: 'inbox', name: 'Inbox', remoteId: 'AAMk-inbox' }),
    folder(accountId, { kind: 'sent', name: 'Sent Items', remoteId: 'AAMk-sent' }),
    folder(accountId, { kind: 'archive', name: 'Archive', remoteId: 'AAMk-archive' }),
    folder(accountId, { kind: 'custom', name: 'Customers', remoteId: 'AAMk-customers' }),
  ];
}

/** me@example.com (Gmail) and me@work.example (Outlook), with a few conversations. */
export function seedMailbox(server: FakeMailServer) {
  const gmail = account({ address: 'me@example.com', displayName: 'Me' });
  const outlook = account({ address: 'me@work.example', provider: 'microsoft', displayName: 'Me at work' });
  server.accounts = [gmail, outlook];
  server.linkable = ['google', 'microsoft'];
  server.folders = [...gmailFolders(gmail.id), ...outlookFolders(outlook.id)];
  server.addThread(gmail.id, { subject: 'Quarterly report', snippet: 'Numbers attached', count: 3, unread: 1, attachments: [] });
  server.addThread(gmail.id, { subject: 'Lunch on Friday?', snippet: 'Shall we try the new place', from: { name: 'Bob Builder', address: 'bob@example.org' } });
  server.addThread(gmail.id, { subject: 'Label only', folderIds: ['Label_1'], unread: 1 });
  server.addThread(gmail.id, { subject: 'My own mail', folderIds: ['SENT'], from: { name: 'Me', address: 'me@example.com' }, to: [{ name: 'Zoe', address: 'zoe@example.net' }] });
  server.addThread(outlook.id, { subject: 'Contract renewal', snippet: 'Please sign', unread: 1, folderIds: ['AAMk-inbox'], from: { name: 'Carol', address: 'carol@contoso.example' } });
  server.addThread(outlook.id, { subject: 'Old customer thread', folderIds: ['AAMk-customers'] });
  return { gmail, outlook };
}
