// E-mail through SMTP (nodemailer, pooled). The delivery id becomes the Message-ID, so a mail
// re-sent after a crash carries the same id and the receiving side (or a human) can see it is
// the same notice; it is also in X-Kuaixiang-Delivery for filters that do not read Message-ID.
import nodemailer from 'nodemailer';
import type { ChannelSettings } from '../../../config.ts';
import type { ChannelAdapter, OutgoingMessage, SendOutcome } from '../channel.ts';
import { errorText, scrub, silentLog, type ChannelLog } from './common.ts';

export const MAIL_DOMAIN = 'kuaixiang.local';

export function messageIdFor(deliveryId: string): string {
  return `<${deliveryId}@${MAIL_DOMAIN}>`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FOOTER = {
  'zh-CN': { open: '查看详情', why: '您收到此邮件，是因为您在政策快享开启了邮件通知；可在“通知设置”中关闭。' },
  en: { open: 'Open', why: 'You receive this mail because e-mail notices are on in Kuaixiang; turn them off in your notice settings.' },
} as const;

/** The mail's text and HTML bodies, in the recipient's language. */
export function renderMail(m: OutgoingMessage): { text: string; html: string } {
  const f = FOOTER[m.locale];
  const text = [m.body, m.url ? `\n${f.open}: ${m.url}` : '', `\n--\n${f.why}`].join('\n');
  const paragraphs = m.body.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  const link = m.url ? `<p><a href="${escapeHtml(m.url)}">${f.open}</a></p>` : '';
  const html = `<!doctype html><html lang="${m.locale}"><head><meta charset="utf-8"><title>${escapeHtml(m.title)}</title></head>
<body style="font-family:sans-serif;line-height:1.6;max-width:40em">
<h2 style="font-size:1.2em">${escapeHtml(m.title)}</h2>
${paragraphs}
${link}
<hr><p style="color:#666;font-size:.85em">${escapeHtml(f.why)}</p>
</body></html>`;
  return { text, html };
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** 4xx and connection trouble are transient; 5xx says the mail will never be accepted. */
export function smtpOutcome(err: unknown, to: string): SendOutcome {
  const e = (err ?? {}) as SmtpError;
  const error = scrub(e.response || errorText(err), to);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return { status: 'failed', error };
    if (e.responseCode >= 400) return { status: 'retry', error };
  }
  // No SMTP reply: a refused or dropped connection, a timeout, TLS trouble — try again later.
  if (e.code === 'EENVELOPE' && e.responseCode === undefined) return { status: 'failed', error };
  return { status: 'retry', error };
}

export function createEmailChannel(settings: NonNullable<ChannelSettings['smtp']>, log: ChannelLog = silentLog): ChannelAdapter {
  const transport = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    maxConnections: settings.maxConnections,
    maxMessages: 500,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });
  return {
    name: 'email',
    async send(m) {
      const { text, html } = renderMail(m);
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: m.to,
          subject: m.title,
          text,
          html,
          messageId: messageIdFor(m.deliveryId),
          headers: { 'X-Kuaixiang-Delivery': m.deliveryId, 'Content-Language': m.locale, 'Auto-Submitted': 'auto-generated' },
        });
        if (info.rejected.length > 0) return { status: 'failed', error: 'recipient rejected' };
        const queued = /queued as ([\w.-]+)/i.exec(String(info.response ?? ''))?.[1];
        return { status: 'sent', providerId: queued ?? info.messageId };
      } catch (err) {
        const outcome = smtpOutcome(err, m.to);
        log.warn({ channel: 'email', deliveryId: m.deliveryId, outcome: outcome.status, error: 'error' in outcome ? outcome.error : undefined }, 'smtp send did not succeed');
        return outcome;
      }
    },
    async close() {
      transport.close();
    },
  };
}
