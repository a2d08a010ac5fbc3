import type { APIClient } from '../host';
import { toMailApiError } from './errors';

export interface ActionCall {
  method: 'get' | 'post';
  params?: Record<string, unknown>;
  data?: unknown;
}

/**
 * Calls `<resource>:<action>` and returns what the server put in `data` (NocoBase wraps
 * action bodies as `{ data }`). Failures throw a MailApiError; `skipNotify` stops the host
 * from showing its own notification, because every caller shows the error where it belongs.
 */
export async function callAction<T>(api: APIClient, action: string, call: ActionCall): Promise<T> {
  try {
    const response = await api.request<{ data: T }>({ url: action, ...call, skipNotify: true });
    return response.data?.data as T;
  } catch (error) {
    throw toMailApiError(error);
  }
}
