import { useCallback, useEffect, useRef, useState } from 'react';
import type { UnreadDTO } from '../../shared/mail';
import { fetchUnread, useOnMailChanged } from '../api';
import { useAPIClient } from '../host';

/** How often the badge asks; `mailAccounts:unread` is one small aggregate query. */
export const UNREAD_POLL_MS = 30_000;

/**
 * The user's unread count, asked again every 30 s while the tab is visible, as soon as it
 * becomes visible again, and whenever mail changes in this page (read state, a sync).
 * `onSynced` runs when the accounts' newest sync time moves on (new mail may have arrived).
 */
export function useUnread(onSynced?: () => void) {
  const api = useAPIClient();
  const [unread, setUnread] = useState<UnreadDTO>();
  const lastSync = useRef<string | null | undefined>(undefined);
  const synced = useRef(onSynced);
  synced.current = onSynced;
  const inFlight = useRef(false);

  const load = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    fetchUnread(api)
      .then(
        (answer) => {
          if (!answer) return;
          setUnread(answer);
          if (lastSync.current !== undefined && answer.lastSyncAt !== lastSync.current) synced.current?.();
          lastSync.current = answer.lastSyncAt ?? null;
        },
        () => undefined, // the badge keeps its last count; the next poll tries again
      )
      .finally(() => {
        inFlight.current = false;
      });
  }, [api]);

  useEffect(() => {
    load();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') load();
    }, UNREAD_POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  // Read state changed here: ask now rather than at the next tick.
  useOnMailChanged(load);
  return unread;
}
