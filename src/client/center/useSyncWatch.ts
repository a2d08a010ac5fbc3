import { useCallback, useEffect, useRef, useState } from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useSyncAccount, type QueryState } from '../api';

export const SYNC_POLL_MS = 2500;
/** Refresh gives up watching after this long; the scheduled syncs and the badge carry on. */
const WATCH_LIMIT_MS = 90_000;

const signature = (accounts: MailAccountDTO[]) =>
  accounts.map((a) => `${a.id}:${a.status}:${a.lastSyncAt ?? ''}:${a.syncProgress?.done ?? ''}`).join('|');

/**
 * "Refresh": runs `mailAccounts:sync` for the accounts in view, then polls `mailAccounts:list`
 * until each of them has synced again. A first sync in progress is polled the same way, so its
 * progress moves. `onSynced` runs whenever an account's sync state moved on (new mail may be in).
 */
export function useSyncWatch(accounts: QueryState<MailAccountDTO[]>, onSynced: () => void) {
  const sync = useSyncAccount();
  const list = accounts.data ?? [];
  /** Accounts asked to sync, with their last sync time at the moment of asking. */
  const [pending, setPending] = useState<{ since: Map<string, string | null>; until: number } | null>(null);
  // A first sync under way, or about to start (an account just linked has never synced yet).
  const firstSync = list.some((a) => a.status === 'syncing' || (a.status === 'active' && !a.lastSyncAt));
  const refreshAccounts = accounts.refresh;
  const runSync = sync.run;

  useEffect(() => {
    if (!pending && !firstSync) return undefined;
    const timer = setInterval(refreshAccounts, SYNC_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, firstSync, refreshAccounts]);

  // Done when every account asked for has a newer sync time, stopped with an error, or time ran out.
  useEffect(() => {
    if (!pending) return;
    const done = [...pending.since.entries()].every(([id, since]) => {
      const account = list.find((a) => String(a.id) === id);
      return !account || (account.status !== 'syncing' && (account.lastSyncAt ?? null) !== since) || account.status === 'error' || account.status === 'reauth_required';
    });
    if (done || Date.now() > pending.until) setPending(null);
  }, [list, pending]);

  const synced = useRef(onSynced);
  synced.current = onSynced;
  const seen = useRef<string>();
  const now = signature(list);
  useEffect(() => {
    if (!accounts.data) return;
    if (seen.current !== undefined && seen.current !== now) synced.current();
    seen.current = now;
  }, [now, accounts.data]);

  const refresh = useCallback(
    async (targets: MailAccountDTO[]) => {
      const runnable = targets.filter((a) => a.status !== 'reauth_required' && a.status !== 'disabled');
      setPending({ since: new Map(runnable.map((a) => [String(a.id), a.lastSyncAt ?? null])), until: Date.now() + WATCH_LIMIT_MS });
      try {
        await Promise.all(runnable.map((a) => runSync(a.id)));
      } catch (error) {
        setPending(null);
        throw error;
      } finally {
        refreshAccounts();
      }
    },
    [runSync, refreshAccounts],
  );

  return { refresh, running: !!pending || sync.loading, firstSync };
}
