// Loading data into a page: the value, the error, and reload() (e.g. after a fact was supplied).
import { useCallback, useEffect, useState } from 'react';

export interface Loaded<T> { data: T | undefined; error: unknown; loading: boolean; reload(): Promise<void> }

/** Runs fn when deps change; reload() runs it again (e.g. after a fact was supplied). */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const run = useCallback(fn, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => { void reload(); }, [reload]);
  return { data, error, loading, reload };
}
