import {
  CloudUploadOutlined,
  ContainerOutlined,
  DeleteOutlined,
  ExclamationCircleOutlined,
  FileTextOutlined,
  FolderOutlined,
  InboxOutlined,
  SendOutlined,
  StarOutlined,
  TagOutlined,
} from '@ant-design/icons';
import React from 'react';
import type { MailFolderDTO } from '../../shared/mail';
import type { MailAccountDTO } from '../../shared/types';
import { FOLDER_KINDS, type FolderKind } from '../../shared/folders';
import { useLanguage, useT } from '../i18n';

/** What the list shows: a folder kind across the chosen accounts, or one account's own folder. */
export interface FolderChoice {
  folder: string;
  /** Set for an account's own folder/label (then `folder` is its remoteId). */
  accountId?: number | string;
  /** The outbox (folder OUTBOX): one per-recipient send's tracking. */
  bulkId?: string;
}

/** Not a mailbox folder: the messages sent from here and their status (send tracking). */
export const OUTBOX = '__outbox__';

export const SYSTEM_KINDS = FOLDER_KINDS.filter((kind) => kind !== 'custom') as Exclude<FolderKind, 'custom'>[];

const ICONS: Record<Exclude<FolderKind, 'custom'>, React.ReactNode> = {
  inbox: <InboxOutlined />,
  sent: <SendOutlined />,
  drafts: <FileTextOutlined />,
  starred: <StarOutlined />,
  archive: <ContainerOutlined />,
  spam: <ExclamationCircleOutlined />,
  trash: <DeleteOutlined />,
};

export function useFolderLabel() {
  const t = useT();
  return (kind: FolderKind | string) => {
    switch (kind) {
      case 'inbox':
        return t('Inbox');
      case 'sent':
        return t('Sent');
      case 'drafts':
        return t('Drafts');
      case 'starred':
        return t('Starred');
      case 'archive':
        return t('Archive');
      case 'spam':
        return t('Spam');
      case 'trash':
        return t('Trash');
      default:
        return kind;
    }
  };
}

function FolderItem({ icon, name, count, active, onClick }: { icon: React.ReactNode; name: string; count: number; active: boolean; onClick: () => void }) {
  const numbers = new Intl.NumberFormat(useLanguage());
  return (
    <div
      role="menuitem"
      tabIndex={0}
      aria-current={active ? 'page' : undefined}
      className={`em-folder${active ? ' em-active' : ''}${count ? ' em-has-unread' : ''}`}
      onClick={onClick}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ' ? onClick() : undefined)}
      data-folder={name}
    >
      <span aria-hidden className="em-folder-icon">{icon}</span>
      <span className="em-folder-name">{name}</span>
      {count > 0 && <span className="em-folder-count" data-testid="folder-unread">{numbers.format(count)}</span>}
    </div>
  );
}

/**
 * Inbox, Sent, Drafts, Starred, Archive, Spam and Trash (counts summed over the chosen
 * accounts), then each account's own folders or labels.
 */
export function FolderNav({ folders, accounts, accountId, value, onChange }: {
  folders: MailFolderDTO[];
  accounts: MailAccountDTO[];
  accountId?: number | string;
  value: FolderChoice;
  onChange: (choice: FolderChoice) => void;
}) {
  const t = useT();
  const label = useFolderLabel();
  const inView = folders.filter((f) => accountId === undefined || String(f.accountId) === String(accountId));
  const unreadOf = (kind: string) => inView.filter((f) => f.kind === kind).reduce((sum, f) => sum + (f.unreadCount || 0), 0);
  const shownAccounts = accounts.filter((a) => accountId === undefined || String(a.id) === String(accountId));
  const own = shownAccounts
    .map((account) => ({ account, folders: inView.filter((f) => f.kind === 'custom' && String(f.accountId) === String(account.id)) }))
    .filter((group) => group.folders.length > 0);

  return (
    <nav className="em-folders" role="menu" aria-label={t('Folders')}>
      {SYSTEM_KINDS.map((kind) => (
        <FolderItem
          key={kind}
          icon={ICONS[kind]}
          name={label(kind)}
          count={kind === 'sent' || kind === 'trash' ? 0 : unreadOf(kind)}
          active={value.accountId === undefined && value.folder === kind}
          onClick={() => onChange({ folder: kind })}
        />
      ))}
      <FolderItem icon={<CloudUploadOutlined />} name={t('Outbox')} count={0} active={value.folder === OUTBOX} onClick={() => onChange({ folder: OUTBOX })} />
      {own.map(({ account, folders: list }) => (
        <React.Fragment key={String(account.id)}>
          <div className="em-folder-group" title={account.address}>
            {own.length > 1 || accountId === undefined ? account.address : t('Folders and labels')}
          </div>
          {list.map((folder) => (
            <FolderItem
              key={folder.remoteId}
              icon={account.provider === 'google' ? <TagOutlined /> : <FolderOutlined />}
              name={folder.name}
              count={folder.unreadCount || 0}
              active={String(value.accountId) === String(account.id) && value.folder === folder.remoteId}
              onClick={() => onChange({ folder: folder.remoteId, accountId: account.id })}
            />
          ))}
        </React.Fragment>
      ))}
    </nav>
  );
}
