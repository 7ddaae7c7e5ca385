// The unread count in the Shell, kept live: one EventSource on /api/v1/me/inbox/stream per
// logged-in tab (event `ready` carries the unread count, `notice` each new notice). Pages
// that list the inbox subscribe to the same stream through useInboxLive instead of opening
// their own connection.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from './session.tsx';
import type { ResponseOf } from '../../../server/client/client.ts';

/** A notice as the inbox API and its stream send it. */
export type Notice = ResponseOf<'/api/v1/me/inbox', 'get'>['notices'][number];

interface Inbox {
  /** null until the stream has said how many (or when there is no stream). */
  unread: number | null;
  live: boolean;
  setUnread(n: number): void;
  /** Calls fn for every notice that arrives while mounted. */
  onNotice(fn: (n: Notice) => void): () => void;
}

const Ctx = createContext<Inbox>({ unread: null, live: false, setUnread: () => {}, onNotice: () => () => {} });

export function InboxProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [unread, setUnread] = useState<number | null>(null);
  const [live, setLive] = useState(false);
  const listeners = useRef(new Set<(n: Notice) => void>());
  useEffect(() => {
    if (!me || typeof EventSource === 'undefined') { setUnread(null); setLive(false); return; }
    const es = new EventSource('/api/v1/me/inbox/stream', { withCredentials: true });
    es.addEventListener('ready', (e) => {
      setLive(true);
      try { setUnread((JSON.parse((e as MessageEvent).data) as { unread: number }).unread); } catch { /* keep the last count */ }
    });
    es.addEventListener('notice', (e) => {
      try {
        const n = JSON.parse((e as MessageEvent).data) as Notice;
        setUnread((u) => (u ?? 0) + (n.read_at ? 0 : 1));
        for (const fn of listeners.current) fn(n);
      } catch { /* a malformed event is skipped */ }
    });
    es.onerror = () => setLive(false);
    return () => es.close();
  }, [me]);
  const onNotice = useCallback((fn: (n: Notice) => void) => {
    listeners.current.add(fn);
    return () => { listeners.current.delete(fn); };
  }, []);
  return <Ctx.Provider value={{ unread, live, setUnread, onNotice }}>{children}</Ctx.Provider>;
}

export function useInbox(): Inbox {
  return useContext(Ctx);
}
