// The audit log (R14, 等保 2.0): every decision and every read of personal data is
// appended with a hash chain — each row's hash covers its own content and the previous
// row's hash — so that `kx audit verify` finds any row changed or deleted afterwards.
// Appends are serialised by a transaction-scoped advisory lock (taken by audit_append,
// migration 051, which chains and inserts in one statement); the log never holds
// personal data itself (ids and field names only). An append given the database itself
// rather than a transaction (reads, refusals: nothing else to commit with) joins the
// database's batch: one transaction chains the rows of every such append waiting, so that
// concurrent reads share a lock and a commit instead of queueing for one each.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../db/db.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  outcome?: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** Canonical JSON: sorted keys, so the hash does not depend on key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The row's canonical JSON: what its hash covers after the previous hash. */
function rowContent(at: string, e: Required<AuditEntry>): string {
  return canonical({ at, actor: e.actor, action: e.action, subject: e.subject, outcome: e.outcome, detail: e.detail });
}

/** What verification recomputes; audit_append (migration 051) computes the same in the database. */
export function rowHash(prev: string, at: string, e: Required<AuditEntry>): string {
  return createHash('sha256').update(prev).update('\n').update(rowContent(at, e)).digest('hex');
}

interface Stamped {
  /** Fixed when the append is asked for (ms precision, UTC), so that verification recomputes it exactly. */
  at: string;
  e: Required<AuditEntry>;
  detail: string;
  /** The canonical JSON the row's hash covers. */
  content: string;
}

/** The row as asked for; an entry that cannot be stored (a detail that is not JSON) fails here, alone, not in a batch. */
function stamp(entry: AuditEntry): Stamped {
  const e: Required<AuditEntry> = { outcome: 'ok', detail: {}, ...entry };
  const detail = JSON.stringify(e.detail);
  const at = new Date().toISOString();
  return { at, e, detail, content: rowContent(at, e) };
}

/**
 * Chains rows after the newest one and inserts them in order, in one statement (audit_append:
 * the chain's lock, its last hash and the inserts). Given a transaction, the rows commit with it;
 * given the database, the statement is its own transaction.
 */
async function insertChained(q: Queryable, rows: readonly Stamped[]): Promise<void> {
  const cols: string[][] = [[], [], [], [], [], [], []];
  for (const { at, e, detail, content } of rows) [at, e.actor, e.action, e.subject, e.outcome, detail, content].forEach((v, k) => cols[k].push(v));
  await q.query('SELECT audit_append($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])', cols);
}

/** Rows waiting for the next batch of a database, and whether a batch is being written. */
interface Batch {
  waiting: { row: Stamped; done: (err?: unknown) => void }[];
  writing: boolean;
}

/** Rows per insert at most (a burst is written as several batches, one after another). */
const BATCH_MAX = 1000;
const batches = new WeakMap<Db, Batch>();

/** Writes the waiting rows, batch after batch, each in its own transaction; every append resolves once its row is committed. */
async function drain(db: Db, b: Batch): Promise<void> {
  b.writing = true;
  try {
    while (b.waiting.length) {
      const batch = b.waiting.splice(0, BATCH_MAX);
      try {
        await insertChained(db, batch.map((w) => w.row));
        for (const w of batch) w.done();
      } catch (err) {
        for (const w of batch) w.done(err);
      }
    }
  } finally {
    b.writing = false;
  }
}

const isDb = (q: Queryable): q is Db => typeof (q as Partial<Db>).tx === 'function';

/**
 * Appends an entry. Within a transaction it commits with the change it records; given the
 * database, it joins the next batch and resolves once that batch has committed (so a read is
 * on record before its answer leaves).
 */
export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  const row = stamp(entry);
  if (!isDb(q)) return insertChained(q, [row]);
  let b = batches.get(q);
  if (!b) batches.set(q, (b = { waiting: [], writing: false }));
  const queued = b;
  return new Promise<void>((resolve, reject) => {
    queued.waiting.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
    if (!queued.writing) void drain(q, queued);
  });
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** The first row whose content or chain does not verify. */
  broken?: { id: string; reason: string };
}

/** Recomputes the whole chain; reads in pages so that millions of rows fit in memory. */
export async function verifyAudit(q: Queryable, page = 10_000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = '0';
  let rows = 0;
  for (;;) {
    const r = await q.query<{ id: string; at: Date | string; actor: string; action: string; subject: string; outcome: 'ok' | 'denied' | 'failed'; detail: Record<string, unknown>; prev_hash: string; hash: string }>(
      'SELECT id::text AS id, at, actor, action, subject, outcome, detail, prev_hash, hash FROM audit_log WHERE audit_log.id > $1::bigint ORDER BY audit_log.id LIMIT $2',
      [lastId, page],
    );
    for (const row of r.rows) {
      rows++;
      const at = new Date(row.at).toISOString();
      if (row.prev_hash !== prev) return { ok: false, rows, broken: { id: row.id, reason: '链断裂：上一条记录被删除或修改 / chain broken: a previous row was deleted or changed' } };
      const want = rowHash(prev, at, { actor: row.actor, action: row.action, subject: row.subject, outcome: row.outcome, detail: row.detail });
      if (want !== row.hash) return { ok: false, rows, broken: { id: row.id, reason: '内容与哈希不符：该记录被修改 / content does not match its hash: the row was changed' } };
      prev = row.hash;
      lastId = row.id;
    }
    if (r.rows.length < page) break;
  }
  return { ok: true, rows };
}
