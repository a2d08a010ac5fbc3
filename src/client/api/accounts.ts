import type { LinkableProviderDTO, MailAccountDTO } from '../../shared/types';
import { useAPIClient } from '../host';
import { useActionQuery, useMutation } from './hooks';
import { callAction } from './request';

/** `mailAccounts:list`: the current user's own accounts. */
export function useAccounts() {
  return useActionQuery<MailAccountDTO[]>('mailAccounts:list');
}

/** `mailAccounts:providers`: the providers an administrator has switched on. */
export function useLinkableProviders() {
  return useActionQuery<LinkableProviderDTO[]>('mailAccounts:providers');
}

/** `mailAccounts:destroy?filterByTk=<id>`: unlinks the account and removes its local mail. */
export function useDeleteAccount() {
  const api = useAPIClient();
  return useMutation((id: MailAccountDTO['id']) =>
    callAction<unknown>(api, 'mailAccounts:destroy', { method: 'post', params: { filterByTk: id } }),
  );
}

/** `mailAccounts:sync?filterByTk=<id>`: "Sync now"; the run goes on in the background. */
export function useSyncAccount() {
  const api = useAPIClient();
  return useMutation((id: MailAccountDTO['id']) =>
    callAction<{ started: boolean }>(api, 'mailAccounts:sync', { method: 'post', params: { filterByTk: id } }),
  );
}
