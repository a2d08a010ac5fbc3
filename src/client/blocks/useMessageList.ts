import { useCallback, useEffect, useState } from 'react';
import { MailApiError, toMailApiError } from '../api/errors';
import { useAPIClient } from '../host';
import { messageListParams, type MessageRow, type MessagesBlockQuery } from './query';

export interface MessageListState {
  rows: MessageRow[];
  total: number;
  loading: boolean;
  error?: MailApiError;
  /** The data scope is bound to a value that is empty: nothing is asked, nothing is shown. */
  unbound: boolean;
  refresh: () => void;
}

/** `mailMessages:list` for the block's query; the previous page stays visible while the next loads. */
export function useMessageList(query: MessagesBlockQuery): MessageListState {
  const api = useAPIClient();
  const params = messageListParams(query);
  const key = params ? JSON.stringify(params) : '';
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ rows: MessageRow[]; total: number; loading: boolean; error?: MailApiError }>({ rows: [], total: 0, loading: true });

  useEffect(() => {
    if (!key) {
      setState({ rows: [], total: 0, loading: false });
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    api
      .request<{ data?: MessageRow[]; meta?: { count?: number } }>({ url: 'mailMessages:list', method: 'get', params: JSON.parse(key), skipNotify: true })
      .then(
        (response) => {
          if (!current) return;
          const rows = response.data?.data ?? [];
          setState({ rows, total: response.data?.meta?.count ?? rows.length, loading: false });
        },
        (error: unknown) => current && setState({ rows: [], total: 0, loading: false, error: toMailApiError(error) }),
      );
    return () => {
      current = false;
    };
  }, [api, key, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, unbound: !key, refresh };
}
