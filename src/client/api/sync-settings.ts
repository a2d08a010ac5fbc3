import type { MailSettingsDTO } from '../../shared/types';
import { useAPIClient } from '../host';
import { useActionQuery, useMutation } from './hooks';
import { callAction } from './request';

/** `mailSettings:get` (admins): the sync interval and whatever else applies to all mailboxes. */
export function useMailSettings() {
  return useActionQuery<MailSettingsDTO>('mailSettings:get');
}

/** `mailSettings:save`: answers the settings as stored. */
export function useSaveMailSettings() {
  const api = useAPIClient();
  return useMutation((values: Partial<MailSettingsDTO>) => callAction<MailSettingsDTO>(api, 'mailSettings:save', { method: 'post', data: values }));
}

export interface RoleOption {
  name: string;
  title?: string;
}

/** NocoBase's `roles:list` (admins who may manage roles); the all-mail picker falls back to typed names without it. */
export function useRoles() {
  return useActionQuery<RoleOption[]>('roles:list', { paginate: false, fields: ['name', 'title'] });
}
