import { useCallback, useEffect, useRef, useState } from 'react';

export interface ActionState<R> {
  busy: boolean;
  error: unknown;
  result: R | undefined;
}

/**
 * Runs an async action for a component: busy flag, last error, last result. Errors are kept for
 * display rather than thrown, so a failed click never becomes an unhandled rejection. Results of a
 * component that unmounted meanwhile are dropped.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const latest = useRef(action);
  latest.current = action;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const [state, setState] = useState<ActionState<R>>({ busy: false, error: undefined, result: undefined });
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setState((previous) => ({ ...previous, busy: true, error: undefined }));
    try {
      const result = await latest.current(...args);
      if (mounted.current) setState({ busy: false, error: undefined, result });
      return result;
    } catch (error) {
      if (mounted.current) setState((previous) => ({ ...previous, busy: false, error }));
      return undefined;
    }
  }, []);
  const clearError = useCallback(() => setState((previous) => ({ ...previous, error: undefined })), []);
  return { ...state, run, clearError };
}
