// Typed hooks over the reading contract (shared/mail.ts): folders, threads, messages, read
// state, attachments and the unread badge.
import { useCallback, useEffect, useState } from 'react';
import type {
  MailFolderDTO,
  MailMessageDTO,
  MailThreadDetailDTO,
  MailThreadDTO,
  MailThreadQuery,
  SetReadRequest,
  SetReadResponse,
  UnreadDTO,
} from '../../shared/mail';
import { ATTACHMENT_ACTION } from '../../shared/mail';
import { useAPIClient, type APIClient } from '../host';
import { toMailApiError, type MailApiError } from './errors';
import { useMutation, useWindowEvent } from './hooks';
import { callAction } from './request';

export interface ListMeta {
  count: number;
  page: number;
  pageSize: number;
  totalPage?: number;
}

export interface ParamsQueryState<T> {
  data?: T;
  meta?: ListMeta;
  loading: boolean;
  error?: MailApiError;
  /** The data held is of earlier params (shown while the new ones load). */
  stale: boolean;
  /** Loads again; the previous data stays visible meanwhile. */
  refresh: () => void;
  /** Changes the data held here (an optimistic update) without a request. */
  update: (change: (data: T) => T) => void;
}

/** GETs `action` with `params` whenever they change (compared by value); `null` params wait. */
export function useParamsQuery<T>(action: string, params: Record<string, unknown> | null): ParamsQueryState<T> {
  const api = useAPIClient();
  const key = params === null ? null : JSON.stringify(params);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data?: T; meta?: ListMeta; loading: boolean; error?: MailApiError; key?: string | null }>({ loading: key !== null });

  useEffect(() => {
    if (key === null) return undefined;
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    api
      .request<{ data: T; meta?: ListMeta }>({ url: action, method: 'get', params: JSON.parse(key), skipNotify: true })
      .then(
        (response) => current && setState({ data: response.data?.data, meta: response.data?.meta, loading: false, key }),
        (error) => current && setState((previous) => ({ ...previous, error: toMailApiError(error), loading: false })),
      );
    return () => {
      current = false;
    };
  }, [api, action, key, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const update = useCallback((change: (data: T) => T) => setState((previous) => (previous.data === undefined ? previous : { ...previous, data: change(previous.data) })), []);
  // Data of other params is not shown as if it were this one's (another folder's threads …).
  const fresh = state.key === key;
  return { data: state.data, meta: state.meta, loading: state.loading || !fresh, error: state.error, stale: !fresh, refresh, update };
}

/** `mailFolders:list[?accountId=]`. */
export function useFolders(accountId?: number | string) {
  return useParamsQuery<MailFolderDTO[]>('mailFolders:list', accountId === undefined ? {} : { accountId });
}

/** `mailThreads:list`: one page of conversations, newest first. */
export function useThreads(query: MailThreadQuery | null) {
  return useParamsQuery<MailThreadDTO[]>('mailThreads:list', query ? stripEmpty(query as Record<string, unknown>) : null);
}

/** `mailThreads:get?filterByTk=<id>`: the conversation with its messages, oldest first. */
export function useThread(id: number | string | null) {
  return useParamsQuery<MailThreadDetailDTO>('mailThreads:get', id === null ? null : { filterByTk: id });
}

/** `mailMessages:setRead`: read or unread, here and at the provider. */
export function useSetRead() {
  const api = useAPIClient();
  return useMutation(async (request: SetReadRequest) => {
    const answer = await callAction<SetReadResponse>(api, 'mailMessages:setRead', { method: 'post', data: request });
    notifyMailChanged();
    return answer;
  });
}

/** `mailAccounts:unread`, for the top-bar badge. */
export function fetchUnread(api: APIClient) {
  return callAction<UnreadDTO>(api, 'mailAccounts:unread', { method: 'get' });
}

/** The attachment's bytes through the server (the call needs the user's auth header). */
export async function fetchAttachment(api: APIClient, message: Pick<MailMessageDTO, 'id'>, attachmentId: string): Promise<Blob> {
  try {
    const response = await api.request<Blob>({
      url: ATTACHMENT_ACTION,
      method: 'get',
      params: { filterByTk: message.id, attachmentId },
      responseType: 'blob',
      skipNotify: true,
    });
    return response.data;
  } catch (error) {
    // A failed blob request carries its JSON error body as a Blob too.
    const failed = error as { response?: { data?: unknown } };
    const body = failed.response?.data;
    if (body && typeof (body as Blob).text === 'function') {
      try {
        failed.response!.data = JSON.parse(await (body as Blob).text());
      } catch {
        // not JSON: the status alone tells what happened
      }
    }
    throw toMailApiError(error);
  }
}

// Something changed the user's mail here (read state, a sync): the badge and lists look again.
const MAIL_CHANGED = 'email-manager:mail-changed';
export function notifyMailChanged() {
  window.dispatchEvent(new Event(MAIL_CHANGED));
}
export function useOnMailChanged(listener: () => void) {
  useWindowEvent(MAIL_CHANGED, listener);
}

function stripEmpty(params: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ''));
}
