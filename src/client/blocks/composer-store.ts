// "Send email" actions open the composer from a flow handler, outside React: they hand the
// recipients to this store, and MailComposerProvider (MailDrawers.tsx, mounted once by the plugin)
// opens the Email center's Composer with them, one separate message per recipient.
import { useSyncExternalStore } from 'react';

export interface BlockComposerRequest {
  to: string[];
}

let current: BlockComposerRequest | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function openComposer(request: BlockComposerRequest) {
  current = { to: [...request.to] };
  emit();
}

export function closeComposer() {
  current = null;
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useComposerRequest() {
  return useSyncExternalStore(subscribe, () => current, () => current);
}
