import { useCallback, useEffect, useRef, useState } from 'react';
import { useAPIClient } from '../host';
import type { MailApiError } from './errors';
import { callAction } from './request';

export interface QueryState<T> {
  data?: T;
  loading: boolean;
  error?: MailApiError;
  /** Loads again; the previous data stays visible meanwhile. */
  refresh: () => void;
}

/** GETs `action` on mount and on refresh(); `params` is compared by value, so a literal is fine. */
export function useActionQuery<T>(action: string, params?: Record<string, unknown>): QueryState<T> {
  const api = useAPIClient();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<Omit<QueryState<T>, 'refresh'>>({ loading: true });

  const paramsKey = params ? JSON.stringify(params) : '';
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    callAction<T>(api, action, { method: 'get', ...(paramsKey ? { params: JSON.parse(paramsKey) } : {}) }).then(
      (data) => current && setState({ data, loading: false }),
      (error: MailApiError) => current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, action, paramsKey, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, refresh };
}

export interface MutationState<A extends unknown[], T> {
  run: (...args: A) => Promise<T>;
  loading: boolean;
  error?: MailApiError;
}

/** Wraps a call so the component sees loading/error; run() still rejects so callers can react. */
export function useMutation<A extends unknown[], T>(perform: (...args: A) => Promise<T>): MutationState<A, T> {
  const [state, setState] = useState<{ loading: boolean; error?: MailApiError }>({ loading: false });
  const performRef = useRef(perform);
  performRef.current = perform;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A) => {
    setState({ loading: true });
    try {
      const result = await performRef.current(...args);
      if (mounted.current) setState({ loading: false });
      return result;
    } catch (error) {
      if (mounted.current) setState({ loading: false, error: error as MailApiError });
      throw error;
    }
  }, []);

  return { run, ...state };
}

/** Calls `listener` (the latest one given) whenever `name` is dispatched on window. */
export function useWindowEvent(name: string, listener: () => void) {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const handle = () => ref.current();
    window.addEventListener(name, handle);
    return () => window.removeEventListener(name, handle);
  }, [name]);
}
