// Records pushed by a source system, one at a time as they change there. Idempotent on
// (source, record id, version): the pushed_records row is written in the transaction that
// applies the record, so a retry after a timeout — or a replay of the whole feed — applies
// nothing twice. A later version of a record applies; a version older than one already
// received (when versions are numbers) is acknowledged and ignored.
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { applyRecords } from './apply.ts';
import { checkAsOf, checkSource, invalidRecord } from './service.ts';
import { validateRecord, type Issue } from './validate.ts';

export interface PushedRecord {
  record_id: string;
  version: string | number;
  kind: string;
  key?: string;
  facts: Record<string, unknown>;
  as_of: string;
}

export interface PushResult {
  /** This (source, record, version) was received before; nothing changed. */
  duplicate: boolean;
  /** A newer version of this record was received before; nothing changed. */
  stale: boolean;
  entity_id: string | null;
  version: number | null;
  changed: string[];
  warnings: Issue[];
}

export async function pushRecord(ctx: Ctx, p: Principal, source: string, rec: PushedRecord): Promise<PushResult> {
  if (p.kind !== 'source' || p.source !== source) {
    await appendAudit(ctx.db, { actor: actorOf(p), action: 'profile.push', subject: `source:${source}`, outcome: 'denied' });
    throw new DomainError('FORBIDDEN', `此令牌属于数据源 ${p.source ?? '（无）'}，不能推送 ${source} 的数据`, `this token speaks for ${p.source ?? 'no source'}, not ${source}`);
  }
  checkSource(ctx, source);
  checkAsOf(ctx, rec.as_of);
  const version = String(rec.version);
  // Checked before anything is written: a bad record leaves no trace, so its fix can reuse the version.
  const { record, issues } = validateRecord(ctx.dict, ctx.crypto, { kind: rec.kind, key: rec.key, facts: rec.facts, ref: `${rec.record_id}@${version}` }, { source, asOf: rec.as_of });
  if (!record) throw invalidRecord(issues);
  const nothing = { version: null, changed: [], warnings: [] };
  return ctx.db.tx(async (q) => {
    const ins = await q.query(
      'INSERT INTO pushed_records (source, record_id, record_version, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING record_id',
      [source, rec.record_id, version, ctx.now()],
    );
    if (!ins.rows.length) {
      const prev = await q.query<{ entity_id: string | null }>('SELECT entity_id::text AS entity_id FROM pushed_records WHERE source = $1 AND record_id = $2 AND record_version = $3', [source, rec.record_id, version]);
      return { duplicate: true, stale: false, entity_id: prev.rows[0]?.entity_id ?? null, ...nothing };
    }
    if (/^\d{1,30}$/.test(version)) {
      const newer = await q.query(
        `SELECT 1 FROM pushed_records WHERE source = $1 AND record_id = $2
            AND (CASE WHEN record_version ~ '^[0-9]{1,30}$' THEN record_version::numeric END) > $3::numeric LIMIT 1`,
        [source, rec.record_id, version],
      );
      if (newer.rows.length) return { duplicate: false, stale: true, entity_id: null, ...nothing };
    }
    const [a] = (await applyRecords(ctx, q, [record], { source, asOf: rec.as_of })).applied;
    await q.query('UPDATE pushed_records SET entity_id = $4 WHERE source = $1 AND record_id = $2 AND record_version = $3', [source, rec.record_id, version, a.entityId]);
    await appendAudit(q, { actor: actorOf(p), action: 'profile.push', subject: `entity:${a.entityId}`, detail: { source, fields: a.changed, created: a.created } });
    return { duplicate: false, stale: false, entity_id: a.entityId, version: a.version, changed: a.changed, warnings: issues };
  });
}
