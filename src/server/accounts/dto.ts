// MailAccountDTO from a stored account, member by member: the token blob is never copied.
import type { Model } from '@nocobase/database';
import type { AccountStatus, MailAccountDTO, ProviderName } from '../../shared/types';

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

export function toAccountDTO(row: Model): MailAccountDTO {
  return {
    id: row.get('id') as number | string,
    provider: row.get('provider') as ProviderName,
    address: row.get('address') as string,
    displayName: (row.get('displayName') as string) || undefined,
    status: row.get('status') as AccountStatus,
    lastSyncAt: iso(row.get('lastSyncAt')),
    lastError: (row.get('lastError') as string) || null,
    syncFrom: iso(row.get('syncFrom')),
    syncProgress: (row.get('syncProgress') as MailAccountDTO['syncProgress']) || null,
    createdAt: iso(row.get('createdAt')) as string,
  };
}
