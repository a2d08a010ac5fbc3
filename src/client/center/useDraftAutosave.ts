// Saves the composer's content as a draft (mailDrafts:save) a few seconds after the user stops
// typing, and at once when asked (closing the composer). Saves run one after another, each with
// the latest content and the id the first save returned, so a draft is created once and then
// updated. Nothing is saved while the content is what the composer opened with.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ComposeInput } from '../../shared/send';
import { destroyDraft, notifyDraftsChanged, saveDraft, type MailApiError } from '../api';
import { useAPIClient } from '../host';

export const AUTOSAVE_DELAY_MS = 3000;
type Id = number | string;
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';

export interface DraftAutosave {
  status: SaveStatus;
  error?: MailApiError;
  /** The content differs from what was last saved (or opened). */
  dirty: boolean;
  draftId: () => Id | null;
  /** Saves now if there is anything new; false when that save failed. */
  flush: () => Promise<boolean>;
  /** Waits for a save under way and cancels the one waiting for its delay; gives the draft's id. */
  settle: () => Promise<Id | null>;
  /** No more saves (the message was sent; the server removed the draft). */
  stop: () => void;
  /** Stops and deletes the saved draft, if there is one. */
  discard: () => Promise<void>;
}

export function useDraftAutosave(snapshot: ComposeInput | null, initialId?: Id | null, delay = AUTOSAVE_DELAY_MS): DraftAutosave {
  const api = useAPIClient();
  const json = snapshot ? JSON.stringify(snapshot) : null;
  const latest = useRef({ json, snapshot });
  latest.current = { json, snapshot };
  const savedJson = useRef(json);
  const id = useRef<Id | null>(initialId ?? null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const stopped = useRef(false);
  const [status, setStatus] = useState<SaveStatus>(initialId ? 'saved' : 'idle');
  const [error, setError] = useState<MailApiError>();

  const save = useCallback(() => {
    clearTimeout(timer.current);
    let ok = true;
    chain.current = chain.current.then(async () => {
      const { json: text, snapshot: value } = latest.current;
      if (stopped.current || !value || value.accountId === undefined || value.accountId === null || text === savedJson.current) return;
      setStatus('saving');
      try {
        const saved = await saveDraft(api, { ...value, ...(id.current !== null ? { id: id.current } : {}) });
        if (saved?.id !== undefined) id.current = saved.id;
        savedJson.current = text;
        setStatus('saved');
        setError(undefined);
        notifyDraftsChanged();
      } catch (failure) {
        ok = false;
        setStatus('error');
        setError(failure as MailApiError);
      }
    });
    return chain.current.then(() => ok);
  }, [api]);

  useEffect(() => {
    if (stopped.current || json === savedJson.current) return undefined;
    timer.current = setTimeout(save, delay);
    return () => clearTimeout(timer.current);
  }, [json, delay, save]);

  const settle = useCallback(async () => {
    clearTimeout(timer.current);
    await chain.current;
    return id.current;
  }, []);

  const stop = useCallback(() => {
    stopped.current = true;
    clearTimeout(timer.current);
  }, []);

  const discard = useCallback(async () => {
    stop();
    await chain.current;
    if (id.current !== null) {
      await destroyDraft(api, id.current);
      id.current = null;
      notifyDraftsChanged();
    }
  }, [api, stop]);

  return { status, error, dirty: json !== savedJson.current, draftId: () => id.current, flush: save, settle, stop, discard };
}
