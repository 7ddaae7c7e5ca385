// Who is logged in (GET /api/v1/auth/me), shared by the portal and the console.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api.ts';
import type { ResponseOf } from '../../../server/client/client.ts';

export type Me = ResponseOf<'/api/v1/auth/me', 'get'>;

interface Session {
  me: Me | null;
  loading: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      setMe(await api.get('/api/v1/auth/me'));
    } catch {
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);
  const login = useCallback(async (username: string, password: string) => {
    await api.post('/api/v1/auth/login', { body: { username, password } });
    const m = await api.get('/api/v1/auth/me');
    setMe(m);
    return m;
  }, []);
  const logout = useCallback(async () => {
    try { await api.post('/api/v1/auth/logout'); } finally { setMe(null); }
  }, []);
  return <Ctx.Provider value={{ me, loading, login, logout, refresh }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Staff roles use the console; enterprises and residents the portal. */
export const STAFF_ROLES = ['clerk', 'approver', 'payout', 'admin', 'leader'] as const;
export function isStaff(me: Me | null): boolean {
  return !!me && (STAFF_ROLES as readonly string[]).includes(String((me as { role?: string }).role));
}
