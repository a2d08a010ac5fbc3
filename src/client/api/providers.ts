import { useMemo } from 'react';
import { PROVIDERS, type MailProviderDTO, type MailProviderUpdate, type ProviderName } from '../../shared/types';
import { useAPIClient } from '../host';
import { useActionQuery, useMutation } from './hooks';
import { callAction } from './request';

/** What a provider looks like before an admin ever saved it. */
export function blankProvider(name: ProviderName): MailProviderDTO {
  return { name, enabled: false, clientId: '', clientSecretSet: false, options: {} };
}

/** `mailProviders:list` (admins), one entry per known provider in a fixed order, saved or not. */
export function useProviderSettings() {
  const query = useActionQuery<MailProviderDTO[]>('mailProviders:list');
  const providers = useMemo(() => {
    if (!query.data) return undefined;
    const saved = Array.isArray(query.data) ? query.data : [];
    return PROVIDERS.map((name) => {
      const found = saved.find((p) => p.name === name);
      return found ? { ...blankProvider(name), ...found, options: { ...found.options } } : blankProvider(name);
    });
  }, [query.data]);
  return { ...query, providers };
}

/** `mailProviders:update?filterByTk=<name>`: answers the provider as stored (never its secret). */
export function useSaveProvider() {
  const api = useAPIClient();
  return useMutation(async (name: ProviderName, values: MailProviderUpdate) => {
    const saved = await callAction<MailProviderDTO | MailProviderDTO[]>(api, 'mailProviders:update', {
      method: 'post',
      params: { filterByTk: name },
      data: values,
    });
    // NocoBase's stock update answers a list; the contract says one record. Accept both.
    return (Array.isArray(saved) ? saved[0] : saved) ?? null;
  });
}
