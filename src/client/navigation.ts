import { useCallback } from 'react';
import { EMAIL_CENTER_PATH } from '../shared/types';
import { SETTINGS_KEY } from '../shared/constants';
import { useApp, useNavigateNoUpdate } from './host';

/** In-app paths, relative to the app's base path as the host's router expects them. */
export const EMAIL_CENTER_ROUTE = `/${EMAIL_CENTER_PATH}`;
export const EMAIL_SETTINGS_ROUTE = `/admin/settings/${SETTINGS_KEY}`;

/** Navigates inside NocoBase; a full page load when no router is around. */
export function useGoTo() {
  const navigate = useNavigateNoUpdate();
  const app = useApp();
  return useCallback(
    (path: string, options?: { replace?: boolean }) => {
      if (navigate) navigate(path, options);
      else window.location.assign(`${app.getPublicPath?.() ?? '/'}${path.replace(/^\//, '')}`);
    },
    [navigate, app],
  );
}

/** Whether the current role may open Settings → Email settings. */
export function useCanOpenEmailSettings() {
  const app = useApp();
  return app.pluginSettingsManager?.has?.(SETTINGS_KEY) ?? false;
}
