// Typed calls over the sending contract (shared/send.ts): limits, uploads, drafts and the outbox.
import { useCallback } from 'react';
import type { ComposeInput, DraftDTO, MailUploadDTO, OutboxDTO, OutboxStatus, SendLimitsDTO, SendRequest, SendResponse } from '../../shared/send';
import { SEND_DEFAULTS } from '../../shared/send';
import { useAPIClient, type APIClient } from '../host';
import { toMailApiError } from './errors';
import { useActionQuery, useWindowEvent } from './hooks';
import { useParamsQuery } from './mail';
import { callAction } from './request';

/**
 * `mailOutbox:send`: one message (attempted before the answer) or a per-recipient send (pending
 * rows). The body is the values themselves: NocoBase hands the body to the action as its values.
 */
export function sendMail(api: APIClient, request: SendRequest) {
  return callAction<SendResponse>(api, 'mailOutbox:send', { method: 'post', data: request });
}

/** `mailDrafts:save`: creates the draft, or updates it when `id` is given. */
export function saveDraft(api: APIClient, values: ComposeInput & { id?: number | string | null }) {
  return callAction<DraftDTO>(api, 'mailDrafts:save', { method: 'post', data: values });
}

export function destroyDraft(api: APIClient, id: number | string) {
  return callAction<unknown>(api, 'mailDrafts:destroy', { method: 'post', params: { filterByTk: id } });
}

export function getDraft(api: APIClient, id: number | string) {
  return callAction<DraftDTO>(api, 'mailDrafts:get', { method: 'get', params: { filterByTk: id } });
}

/** `mailDrafts:list`, newest first, paged. */
export function useDrafts(page: number, pageSize: number, enabled = true) {
  return useParamsQuery<DraftDTO[]>('mailDrafts:list', enabled ? { page, pageSize } : null);
}

/**
 * `POST mailUploads:create?filename=…` with the file as the raw body. `onProgress` gets 0–1.
 * The Content-Type header is the file's type, so the server keeps it for the attachment.
 */
export async function uploadFile(api: APIClient, file: File, onProgress?: (fraction: number) => void, signal?: AbortSignal) {
  try {
    const response = await api.request<{ data: MailUploadDTO }>({
      url: 'mailUploads:create',
      method: 'post',
      params: { filename: file.name },
      data: file,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      onUploadProgress: (event) => onProgress?.(event.total ? Math.min(1, event.loaded / event.total) : 0),
      signal,
      skipNotify: true,
    });
    return response.data?.data as MailUploadDTO;
  } catch (error) {
    throw toMailApiError(error);
  }
}

export function destroyUpload(api: APIClient, id: string) {
  return callAction<unknown>(api, 'mailUploads:destroy', { method: 'post', params: { filterByTk: id } });
}

/** `mailOutbox:limits`; the defaults stand in until (or unless) the server answers. */
export function useSendLimits(): SendLimitsDTO {
  const limits = useActionQuery<SendLimitsDTO>('mailOutbox:limits');
  return limits.data ?? { maxAttachmentBytes: SEND_DEFAULTS.maxAttachmentMB * 1024 * 1024, maxBulkRecipients: SEND_DEFAULTS.maxBulkRecipients };
}

/**
 * `mailOutbox:list`, newest first; the `bulkId` param narrows it to one per-recipient send, and
 * then the server also counts that send's rows by status (`meta.byStatus`, over all its pages).
 */
export function useOutbox(query: { page: number; pageSize: number; bulkId?: string | null }) {
  const { page, pageSize, bulkId } = query;
  const state = useParamsQuery<OutboxDTO[]>('mailOutbox:list', { page, pageSize, ...(bulkId ? { bulkId } : {}) });
  return { ...state, byStatus: (state.meta as { byStatus?: Partial<Record<OutboxStatus, number>> } | undefined)?.byStatus };
}

export function destroyOutboxRow(api: APIClient, id: number | string) {
  return callAction<unknown>(api, 'mailOutbox:destroy', { method: 'post', params: { filterByTk: id } });
}

/** Send again (failed/unknown rows) and Remove (pending/failed rows). */
export function useOutboxActions() {
  const api = useAPIClient();
  const retry = useCallback((id: number | string) => callAction<OutboxDTO>(api, 'mailOutbox:retry', { method: 'post', params: { filterByTk: id } }), [api]);
  const remove = useCallback((id: number | string) => destroyOutboxRow(api, id), [api]);
  return { retry, remove };
}

// Drafts saved or sent, messages sent: the Drafts folder and the outbox look again.
const DRAFTS_CHANGED = 'email-manager:drafts-changed';
const OUTBOX_CHANGED = 'email-manager:outbox-changed';
export const notifyDraftsChanged = () => window.dispatchEvent(new Event(DRAFTS_CHANGED));
export const notifyOutboxChanged = () => window.dispatchEvent(new Event(OUTBOX_CHANGED));

export const useOnDraftsChanged = (listener: () => void) => useWindowEvent(DRAFTS_CHANGED, listener);
export const useOnOutboxChanged = (listener: () => void) => useWindowEvent(OUTBOX_CHANGED, listener);
