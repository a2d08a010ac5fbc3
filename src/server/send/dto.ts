// Outbox rows as the client sees them (shared/send.ts OutboxDTO): never the body, never tokens.
import type { Model } from '@nocobase/database';
import type { MailAddress } from '../../shared/mail';
import type { ComposeMode, OutboxDTO, OutboxStatus } from '../../shared/send';

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value ? new Date(value as string).toISOString() : null);

export function outboxDTO(row: Model): OutboxDTO {
  const list = (key: string) => (row.get(key) as MailAddress[] | null) ?? [];
  return {
    id: row.get('id') as string,
    accountId: row.get('accountId') as string,
    bulkId: (row.get('bulkId') as string) ?? null,
    mode: row.get('mode') as ComposeMode,
    status: row.get('status') as OutboxStatus,
    to: list('to'),
    cc: list('cc'),
    bcc: list('bcc'),
    subject: (row.get('subject') as string) ?? '',
    messageId: row.get('messageId') as string,
    providerMessageId: (row.get('providerMessageId') as string) ?? null,
    attempts: Number(row.get('attempts') ?? 0),
    nextAttemptAt: iso(row.get('nextAttemptAt')),
    error: (row.get('error') as OutboxDTO['error']) ?? null,
    attachmentCount: list('uploads').length + list('forwarded').length,
    createdAt: iso(row.get('createdAt')) as string,
    sentAt: iso(row.get('sentAt')),
  };
}
