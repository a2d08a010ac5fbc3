// Sending from the composer: the request (compose-send.ts), and what the answer means for the
// user. Sent, queued (pending) and "may or may not have gone out" (unknown) close the composer
// with a message; a refusal (failed), a bad address, a size over the limit or a broken
// connection keep it open with everything in it and say why.
import type { FormInstance } from 'antd';
import { useRef, useState } from 'react';
import type { OutboxDTO, SendResponse } from '../../shared/send';
import { SEND_ERRORS } from '../../shared/send';
import { destroyOutboxRow, notifyOutboxChanged, sendMail, type MailApiError } from '../api';
import { useAPIClient } from '../host';
import { useT } from '../i18n';
import type { ComposerDraft } from './compose';
import { isPerRecipient, SendKey, sendRequest } from './compose-send';

export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'queued'; item: OutboxDTO }
  | { kind: 'bulk'; bulkId: string | null; count: number }
  | { kind: 'unknown'; item: OutboxDTO }
  | { kind: 'kept' };

export interface SendProblem {
  title: string;
  detail?: string;
}

type RecipientField = 'to' | 'cc' | 'bcc';

export function useComposerSend(form: FormInstance, limitText: string) {
  const t = useT();
  const api = useAPIClient();
  // One key per composer session (this hook lives as long as the composer's window).
  const key = useRef<SendKey>();
  if (!key.current) key.current = new SendKey();
  const failedRow = useRef<OutboxDTO['id'] | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<SendProblem | null>(null);

  const fieldError = (field: string | undefined, message: string) => {
    const name: RecipientField = field === 'cc' || field === 'bcc' ? field : 'to';
    form.setFields([{ name, errors: [message] }]);
  };

  const explain = (error: MailApiError): SendProblem | null => {
    switch (error.code) {
      case SEND_ERRORS.INVALID_ADDRESS:
        // The server's message names each bad address.
        fieldError(error.field, error.message);
        return null;
      case SEND_ERRORS.NO_RECIPIENTS:
        fieldError('to', t('Add at least one recipient'));
        return null;
      case SEND_ERRORS.TOO_LARGE:
        return { title: t('The attachments are too large to send'), detail: t('Together they may be at most {{limit}}. Remove some files and send again.', { limit: limitText }) };
      case SEND_ERRORS.TOO_MANY_RECIPIENTS:
        return { title: t('Too many recipients for separate messages'), detail: error.message };
      case SEND_ERRORS.ACCOUNT_UNAVAILABLE:
        return { title: t('This account cannot send right now'), detail: t('Reconnect it in Account settings, or choose another account.') };
      default:
        if (error.status === 413) return { title: t('The attachments are too large to send'), detail: t('Together they may be at most {{limit}}. Remove some files and send again.', { limit: limitText }) };
        if (!error.status || error.status >= 500) {
          return { title: t('The message could not be handed to the server'), detail: t('Nothing is lost. Sending again is safe: the message goes out only once.') };
        }
        return { title: t('The message was not sent'), detail: error.message };
    }
  };

  const outcomeOf = (draft: ComposerDraft, response: SendResponse): SendOutcome => {
    const items = response.items ?? [];
    if (isPerRecipient(draft)) return { kind: 'bulk', bulkId: response.bulkId ?? items[0]?.bulkId ?? null, count: items.length };
    const item = items[0];
    if (!item) return { kind: 'sent' };
    switch (item.status) {
      case 'sent':
        return { kind: 'sent' };
      case 'failed':
        failedRow.current = item.id;
        setProblem({ title: t('The message was not sent'), detail: item.error?.message || undefined });
        return { kind: 'kept' };
      case 'unknown':
        return { kind: 'unknown', item };
      default:
        return { kind: 'queued', item };
    }
  };

  const send = async (draft: ComposerDraft): Promise<SendOutcome> => {
    setSending(true);
    setProblem(null);
    try {
      // The composer's earlier refused attempt: this send replaces it.
      if (failedRow.current !== null) {
        await destroyOutboxRow(api, failedRow.current).catch(() => undefined);
        failedRow.current = null;
      }
      const response = await sendMail(api, sendRequest(draft, key.current!.current));
      key.current!.settle(response);
      notifyOutboxChanged();
      return outcomeOf(draft, response);
    } catch (error) {
      setProblem(explain(error as MailApiError));
      return { kind: 'kept' };
    } finally {
      setSending(false);
    }
  };

  return { send, sending, problem, clearProblem: () => setProblem(null), currentKey: () => key.current!.current };
}
