// Quiet hours and per-party daily limits: pure functions of a clock reading, so that the
// dispatcher can be tested at 23:00 Shanghai time with a pinned clock.

export interface QuietHours {
  starts: string; // 'HH:MM'
  ends: string; // 'HH:MM'
  timeZone: string;
  channels: readonly string[];
  enabled: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(at: Date, timeZone: string): { minutes: number; seconds: number } {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { minutes: Number(p.hour) * 60 + Number(p.minute), seconds: Number(p.second) };
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + (m || 0);
};

/** When a message due at `at` may go out on `channel`: `at` itself, or the end of the quiet hours. */
export function afterQuietHours(at: Date, channel: string, q: QuietHours): Date {
  if (!q.enabled || !q.channels.includes(channel)) return at;
  const s = toMinutes(q.starts);
  const e = toMinutes(q.ends);
  if (s === e) return at;
  const { minutes, seconds } = localParts(at, q.timeZone);
  const inside = s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
  if (!inside) return at;
  const wait = (e - minutes + 24 * 60) % (24 * 60);
  return new Date(at.getTime() + wait * 60_000 - seconds * 1000 - at.getUTCMilliseconds());
}

/** The start of the local day of `at` (limits "per day" count in the party's day). */
export function localDayStart(at: Date, timeZone: string): Date {
  const { minutes, seconds } = localParts(at, timeZone);
  return new Date(at.getTime() - minutes * 60_000 - seconds * 1000 - at.getUTCMilliseconds());
}

/** Exponential back-off: base·2^(attempt−1), capped, with the peer's Retry-After when longer. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, retryAfterMs?: number): number {
  const b = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(b, retryAfterMs ?? 0);
}

/** Spaces sends of one channel to its configured rate (per process). */
export class RateGate {
  private next = 0;
  constructor(private readonly perSecond: number) {}
  /** Milliseconds to wait before the next send, reserving its slot. */
  reserve(nowMs: number): number {
    const gap = 1000 / Math.max(0.001, this.perSecond);
    const at = Math.max(nowMs, this.next);
    this.next = at + gap;
    return at - nowMs;
  }
}
