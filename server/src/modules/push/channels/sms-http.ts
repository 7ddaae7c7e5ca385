// SMS through a city's HTTP SMS service: one POST per message, JSON or form-encoded, with the
// field names the service expects, a token (Authorization: Bearer … or a named header), and
// our delivery id both as a field and as Idempotency-Key / X-Kuaixiang-Delivery so a retried
// request can be recognised. Success = 2xx and, when configured, a value in the JSON answer
// (`code=0`, `result.status=OK` …); the service's message id is kept as providerId.
import type { SmsHttpSettings } from '../../../config.ts';
import type { SendOutcome } from '../channel.ts';
import { httpOutcome, networkError, scrub, silentLog, type ChannelLog } from './common.ts';
import type { Sms, SmsGateway } from './sms.ts';

/** Reads `a.b.0.c` from parsed JSON. */
export function jsonPath(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function createHttpSmsGateway(settings: SmsHttpSettings, opts: { log?: ChannelLog; timeoutMs?: number } = {}): SmsGateway {
  const log = opts.log ?? silentLog;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const { fields } = settings;

  function request(sms: Sms): { body: string; contentType: string } {
    const values = { [fields.to]: sms.to, [fields.text]: sms.text, [fields.id]: sms.deliveryId };
    return settings.format === 'json'
      ? { body: JSON.stringify(values), contentType: 'application/json; charset=utf-8' }
      : { body: new URLSearchParams(values).toString(), contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
  }

  function authHeaders(): Record<string, string> {
    if (!settings.token) return {};
    const bearer = settings.authHeader.toLowerCase() === 'authorization';
    return { [settings.authHeader]: bearer ? `Bearer ${settings.token}` : settings.token };
  }

  function judge(status: number, text: string, retryAfter: string | null, sms: Sms): SendOutcome {
    const outcome = httpOutcome(status, text, retryAfter, sms.to);
    if (outcome.status !== 'sent') return outcome;
    let answer: unknown;
    try {
      answer = text ? JSON.parse(text) : undefined;
    } catch {
      answer = undefined;
    }
    const { path, equals } = settings.success;
    if (path !== undefined && String(jsonPath(answer, path)) !== equals)
      return { status: 'failed', error: scrub(`gateway refused: ${text.slice(0, 200)}`, sms.to) };
    const providerId = settings.providerIdPath ? jsonPath(answer, settings.providerIdPath) : undefined;
    return providerId === undefined || providerId === null ? { status: 'sent' } : { status: 'sent', providerId: String(providerId) };
  }

  return {
    kind: 'http',
    async submit(sms) {
      const { body, contentType } = request(sms);
      try {
        const res = await fetch(settings.url, {
          method: 'POST',
          headers: { 'Content-Type': contentType, Accept: 'application/json', 'Idempotency-Key': sms.deliveryId, 'X-Kuaixiang-Delivery': sms.deliveryId, ...authHeaders() },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const outcome = judge(res.status, await res.text(), res.headers.get('retry-after'), sms);
        if (outcome.status !== 'sent') log.warn({ channel: 'sms', gateway: 'http', deliveryId: sms.deliveryId, httpStatus: res.status, outcome: outcome.status }, 'sms gateway did not accept');
        return outcome;
      } catch (err) {
        const error = scrub(networkError(err, timeoutMs), sms.to);
        log.warn({ channel: 'sms', gateway: 'http', deliveryId: sms.deliveryId, outcome: 'retry', error }, 'sms gateway unreachable');
        return { status: 'retry', error };
      }
    },
    async close() {},
  };
}
