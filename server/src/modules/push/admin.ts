// The console's side of push: templates (defaults overlaid with edits, a preview) and the
// delivery board (counts by channel and state, the latest deliveries — never an address).
import type { Ctx } from '../../context.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import type { DeliveriesQuery, PreviewInput, TemplateInput } from './schema.ts';
import { checkTemplate, DEFAULT_TEMPLATES, LOCALES, render, SAMPLE_VARS, templateFor, VARIABLES, loadTemplates, type Locale, type Vars } from './templates.ts';
import { EVENT_KINDS, type EventKind } from './kinds.ts';

export async function listTemplates(ctx: Ctx) {
  const set = await loadTemplates(ctx.db);
  const templates = EVENT_KINDS.flatMap((kind) =>
    LOCALES.map((locale) => {
      const t = templateFor(set, kind, locale);
      const d = DEFAULT_TEMPLATES[kind][locale];
      return { event_kind: kind, locale, title: t.title, body: t.body, edited: t.title !== d.title || t.body !== d.body };
    }),
  );
  return { variables: [...VARIABLES], templates };
}

export async function saveTemplate(ctx: Ctx, p: Principal, kind: EventKind, input: TemplateInput) {
  checkTemplate(input);
  await ctx.db.tx(async (q) => {
    await q.query(
      `INSERT INTO push_templates (event_kind, locale, title, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (event_kind, locale) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [kind, input.locale, input.title, input.body, p.userId ?? null, ctx.now()],
    );
    await appendAudit(q, { actor: actorOf(p), action: 'push.template.save', subject: `template:${kind}:${input.locale}`, detail: { title: input.title } });
  });
  return listTemplates(ctx);
}

/** The template (as stored, or as being edited) rendered with sample values. */
export async function previewTemplate(ctx: Ctx, kind: EventKind, input: PreviewInput) {
  const stored = templateFor(await loadTemplates(ctx.db), kind, input.locale as Locale);
  const t = { title: input.title ?? stored.title, body: input.body ?? stored.body };
  checkTemplate(t);
  const out = render(t, { ...SAMPLE_VARS, ...(input.variables as Vars | undefined) });
  return { ...out, sms_length: [...out.body].length };
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export async function listDeliveries(ctx: Ctx, query: DeliveriesQuery) {
  const page = query.page ?? 1;
  const size = query.page_size ?? 50;
  const where = `($1::text IS NULL OR d.state = $1) AND ($2::text IS NULL OR d.channel = $2)`;
  const args = [query.state ?? null, query.channel ?? null];
  const [counts, undispatched, total, rows] = await Promise.all([
    ctx.db.query<{ channel: string; state: string; n: string }>('SELECT d.channel, d.state, count(*)::text AS n FROM push_deliveries d GROUP BY d.channel, d.state ORDER BY d.channel, d.state'),
    ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM inbox i WHERE i.dispatched_at IS NULL'),
    ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM push_deliveries d WHERE ${where}`, args),
    ctx.db.query<Record<string, unknown>>(
      `SELECT d.id::text AS id, d.notice_id::text AS notice_id, d.channel, d.event_kind, d.state, d.attempts, d.next_attempt_at, d.deferred, d.last_error, d.provider_id, d.created_at, d.sent_at
         FROM push_deliveries d WHERE ${where} ORDER BY d.id DESC LIMIT $3 OFFSET $4`,
      [...args, size, (page - 1) * size],
    ),
  ]);
  return {
    counts: counts.rows.map((r) => ({ channel: r.channel, state: r.state, count: Number(r.n) })),
    undispatched: Number(undispatched.rows[0].n),
    total: Number(total.rows[0].n),
    page,
    page_size: size,
    deliveries: rows.rows.map((r) => ({
      id: r.id as string, notice_id: r.notice_id as string, channel: r.channel as string, event_kind: r.event_kind as string, state: r.state as string,
      attempts: Number(r.attempts), next_attempt_at: iso(r.next_attempt_at)!, deferred: (r.deferred as string | null) ?? null,
      last_error: (r.last_error as string | null) ?? null, provider_id: (r.provider_id as string | null) ?? null, created_at: iso(r.created_at)!, sent_at: iso(r.sent_at),
    })),
  };
}
