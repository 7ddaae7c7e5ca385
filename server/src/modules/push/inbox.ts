// The portal inbox: a party's notices, paged, with the unread count; and the live feed
// (server-sent events). The feed is woken by NOTIFY kx_inbox (a statement trigger on the
// inbox, PostgreSQL and PGlite alike) and polls as a fallback, so a notice written by any
// process — the API, a worker, the CLI — reaches the browsers connected to this one.
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';

export interface NoticeView {
  id: string;
  kind: string;
  event_kind: string;
  title: string;
  body: string;
  item_id: string | null;
  case_type: string | null;
  case_id: string | null;
  created_at: string;
  read_at: string | null;
}

export interface InboxPage {
  total: number;
  unread: number;
  page: number;
  page_size: number;
  notices: NoticeView[];
}

const COLUMNS = `i.id::text AS id, i.kind, push_event_kind(i.kind) AS event_kind, i.title, i.body, i.item_id, i.case_type, i.case_id::text AS case_id, i.created_at, i.read_at`;
// The party of a row, written so that the (entity_id, created_at) and (department, created_at) indexes serve it.
const OF_PARTY = `((i.entity_id = $1::bigint AND $2::text IS NULL) OR (i.department = $2 AND $1::bigint IS NULL))`;

interface Row extends Omit<NoticeView, 'created_at' | 'read_at'> {
  created_at: Date | string;
  read_at: Date | string | null;
}
const view = (r: Row): NoticeView => ({ ...r, created_at: new Date(r.created_at).toISOString(), read_at: r.read_at === null ? null : new Date(r.read_at).toISOString() });

/** entity:12 → [12, null]; dept:X → [null, X]; user:… (no inbox of its own) → [null, null]. */
function partyParams(party: string): [string | null, string | null] {
  if (party.startsWith('entity:')) return [party.slice(7), null];
  if (party.startsWith('dept:')) return [null, party.slice(5)];
  return [null, null];
}

export async function listInbox(ctx: Ctx, party: string, opts: { page?: number; page_size?: number; unread_only?: boolean }): Promise<InboxPage> {
  const page = opts.page ?? 1;
  const size = opts.page_size ?? 20;
  const [e, d] = partyParams(party);
  const [rows, counts] = await Promise.all([
    ctx.db.query<Row>(
      `SELECT ${COLUMNS} FROM inbox i WHERE ${OF_PARTY} ${opts.unread_only ? 'AND i.read_at IS NULL' : ''}
        ORDER BY i.created_at DESC, i.id DESC LIMIT $3 OFFSET $4`,
      [e, d, size, (page - 1) * size],
    ),
    ctx.db.query<{ total: string; unread: string }>(
      `SELECT count(*)::text AS total, count(*) FILTER (WHERE i.read_at IS NULL)::text AS unread FROM inbox i WHERE ${OF_PARTY}`,
      [e, d],
    ),
  ]);
  const total = Number(counts.rows[0].total);
  return { total: opts.unread_only ? Number(counts.rows[0].unread) : total, unread: Number(counts.rows[0].unread), page, page_size: size, notices: rows.rows.map(view) };
}

export async function markRead(ctx: Ctx, party: string, id: string): Promise<NoticeView> {
  const [e, d] = partyParams(party);
  if (!/^\d{1,18}$/.test(id)) throw notFound('通知', id);
  const r = await ctx.db.query<Row>(
    `UPDATE inbox i SET read_at = COALESCE(i.read_at, $4) WHERE i.id = $3 AND ${OF_PARTY} RETURNING ${COLUMNS}`,
    [e, d, id, ctx.now()],
  );
  if (!r.rows[0]) throw notFound('通知', id);
  return view(r.rows[0]);
}

/** Notices of the party after a given id (a reconnecting browser's Last-Event-ID). */
export async function noticesAfter(ctx: Ctx, party: string, afterId: string, limit = 100): Promise<NoticeView[]> {
  const [e, d] = partyParams(party);
  const r = await ctx.db.query<Row>(`SELECT ${COLUMNS} FROM inbox i WHERE ${OF_PARTY} AND i.id > $3 ORDER BY i.id LIMIT $4`, [e, d, afterId, limit]);
  return r.rows.map(view);
}

// ───────────── live feed ─────────────

type Listener = (n: NoticeView) => void;

/** One per process and database: fans new inbox rows out to the connected browsers by party. */
export class InboxHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private lastId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly pollMs = 2000,
  ) {}

  get connections(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  async subscribe(party: string, fn: Listener): Promise<() => void> {
    if (!this.connections) await this.open();
    let set = this.listeners.get(party);
    if (!set) this.listeners.set(party, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.listeners.delete(party);
      if (!this.connections) void this.close();
    };
  }

  private async open(): Promise<void> {
    const r = await this.ctx.db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM inbox');
    this.lastId = r.rows[0].id ?? '0';
    this.stopListening = await this.ctx.db.listen('kx_inbox', () => this.poke()).catch(() => undefined);
    this.timer = setInterval(() => this.poke(), this.pollMs);
    this.timer.unref();
  }

  private async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.().catch(() => {});
  }

  /** Called by the writer's NOTIFY, the poll, or a writer in this process. */
  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pull().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async pull(): Promise<void> {
    if (!this.connections || this.lastId === undefined) return;
    const parties = [...this.listeners.keys()];
    try {
      // Up to the newest row now: rows committed while we read wait for the next pull.
      const top = (await this.ctx.db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM inbox')).rows[0].id ?? this.lastId;
      for (;;) {
        const r: { rows: (Row & { party: string })[] } = await this.ctx.db.query<Row & { party: string }>(
          `SELECT ${COLUMNS}, push_party(i.entity_id, i.department) AS party FROM inbox i
            WHERE i.id > $1 AND i.id <= $3 AND push_party(i.entity_id, i.department) = ANY($2::text[]) ORDER BY i.id LIMIT 500`,
          [this.lastId, parties, top],
        );
        for (const row of r.rows) {
          const { party, ...n } = row;
          for (const fn of this.listeners.get(party) ?? []) fn(view(n));
        }
        if (r.rows.length < 500) {
          this.lastId = top;
          return;
        }
        this.lastId = r.rows[r.rows.length - 1].id;
      }
    } catch {
      // the next poke retries (the database restarting, the app closing)
    }
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.close();
    await this.running;
  }
}

const hubs = new WeakMap<Ctx, InboxHub>();
export function inboxHub(ctx: Ctx): InboxHub {
  let h = hubs.get(ctx);
  if (!h) hubs.set(ctx, (h = new InboxHub(ctx)));
  return h;
}
