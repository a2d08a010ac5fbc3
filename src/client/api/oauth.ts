import { useEffect, useState } from 'react';
import type { CallbackRequest, CallbackResponse } from '../../shared/types';
import { useAPIClient, type APIClient } from '../host';
import type { MailApiError } from './errors';
import { callAction } from './request';

/** The provider's answer in the redirect's query string; parameters it did not send stay out. */
export function readCallbackQuery(search: string): CallbackRequest {
  const query = new URLSearchParams(search);
  const request: CallbackRequest = {};
  for (const key of ['state', 'code', 'error', 'error_description'] as const) {
    const value = query.get(key);
    if (value !== null) request[key] = value;
  }
  return request;
}

// One server call per provider answer for the life of the page: React's strict mode runs
// effects twice and the page may re-mount, but `state` and `code` are single-use.
const completions = new Map<string, Promise<CallbackResponse>>();

export function completeLinkOnce(api: APIClient, request: CallbackRequest) {
  const key = JSON.stringify(request);
  let completion = completions.get(key);
  if (!completion) {
    completion = callAction<CallbackResponse>(api, 'mailAccounts:callback', { method: 'post', data: request });
    completions.set(key, completion);
  }
  return completion;
}

export type CallbackOutcome =
  | { status: 'pending' }
  | { status: 'linked'; result: CallbackResponse }
  | { status: 'failed'; error: MailApiError };

/** Sends the provider's answer to `mailAccounts:callback` once; `request` must be stable. */
export function useOAuthCallback(request: CallbackRequest): CallbackOutcome {
  const api = useAPIClient();
  const [outcome, setOutcome] = useState<CallbackOutcome>({ status: 'pending' });
  useEffect(() => {
    let current = true;
    completeLinkOnce(api, request).then(
      (result) => current && setOutcome({ status: 'linked', result }),
      (error: MailApiError) => current && setOutcome({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [api, request]);
  return outcome;
}
