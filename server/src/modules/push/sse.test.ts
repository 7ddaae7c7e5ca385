// The live inbox over a real socket: the app listening on 127.0.0.1:0, a streaming HTTP
// client (fetch with a reader) holding the session cookie, a notice written after it
// connected — by another connection, as a worker would — arriving as a server-sent event;
// heartbeats; a reconnect with Last-Event-ID replaying what was missed; other parties'
// notices never sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { addEntities, addNotice } from './testing.ts';

interface Sse {
  events: { event: string; id?: string; data: string }[];
  comments: string[];
  close(): void;
  waitFor(pred: () => boolean, ms?: number): Promise<void>;
}

async function connect(url: string, headers: Record<string, string>): Promise<Sse & { status: number }> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const out: Sse & { status: number } = {
    status: res.status,
    events: [],
    comments: [],
    close: () => ac.abort(),
    async waitFor(pred, ms = 8000) {
      const t0 = Date.now();
      while (!pred()) {
        if (Date.now() - t0 > ms) throw new Error(`timed out; events so far: ${JSON.stringify(out.events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  if (!res.body || res.status !== 200) return out;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: { event: string; id?: string; data: string } = { event: 'message', data: '' };
          let any = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) out.comments.push(line);
            else if (line.startsWith('event: ')) {
              ev.event = line.slice(7);
              any = true;
            } else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6);
              any = true;
            }
          }
          if (any) out.events.push(ev);
        }
      }
    } catch {
      // aborted
    }
  })();
  return out;
}

describe.each(DATABASES)('live inbox over server-sent events (%s)', (kind) => {
  let env: TestEnv;
  let base: string;
  let me: string;
  let other: string;
  let cookie: Record<string, string>;

  beforeAll(async () => {
    env = await testEnv(kind);
    [me, other] = await addEntities(env.db, 2);
    await addUser(env, 'live', 'resident', { entity_id: me });
    cookie = { cookie: `kx_session=${await env.login('live')}` };
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = env.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 60_000);
  afterAll(async () => {
    // Browsers keep their streams open; a server shutting down ends them.
    env.app.server.closeAllConnections();
    await env.close();
  });

  it('delivers a notice written after the browser connected, and only its own', async () => {
    await addNotice(env.db, { entity: me, kind: 'grant', title: '早先的通知' });
    const s = await connect(`${base}/api/v1/me/inbox/stream?heartbeat=1`, cookie);
    expect(s.status).toBe(200);
    await s.waitFor(() => s.events.some((e) => e.event === 'ready'));
    expect(JSON.parse(s.events[0].data)).toEqual({ unread: 1 });

    await addNotice(env.db, { entity: other, kind: 'grant', title: '别人的通知' });
    const id = await addNotice(env.db, { entity: me, kind: 'application.approved', title: '申请已批准 / Approved' });
    await s.waitFor(() => s.events.some((e) => e.event === 'notice'));
    const notices = s.events.filter((e) => e.event === 'notice');
    expect(notices.map((e) => e.id)).toEqual([id]);
    expect(JSON.parse(notices[0].data)).toMatchObject({ id, title: '申请已批准 / Approved', event_kind: 'application_status', read_at: null });
    await s.waitFor(() => s.comments.some((c) => c.startsWith(': heartbeat')), 3000);
    s.close();
  });

  it('replays what a reconnecting browser missed (Last-Event-ID)', async () => {
    const seen = await addNotice(env.db, { entity: me, kind: 'grant', title: '看过的' });
    const missed = await addNotice(env.db, { entity: me, kind: 'grant', title: '错过的' });
    const s = await connect(`${base}/api/v1/me/inbox/stream`, { ...cookie, 'last-event-id': seen });
    await s.waitFor(() => s.events.some((e) => e.event === 'notice'));
    expect(s.events.filter((e) => e.event === 'notice').map((e) => e.id)).toEqual([missed]);
    s.close();
  });

  it('refuses without a session, and asks plain requests to use EventSource', async () => {
    expect((await connect(`${base}/api/v1/me/inbox/stream`, {})).status).toBe(401);
    const plain = await fetch(`${base}/api/v1/me/inbox/stream`, { headers: cookie });
    expect(plain.status).toBe(400);
  });
});
