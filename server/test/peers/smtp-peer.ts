// A real SMTP server (smtp-server) on 127.0.0.1 that receives what the e-mail channel sends,
// parses each message (headers, RFC 2047 subject, the text and HTML parts) and records it.
// Duplicates are counted by Message-ID, the way a receiving system would recognise them.
// Chosen recipients can be answered 451 (try later) or 550 (no such mailbox).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  deliveryId: string | undefined;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Map<string, string>;
  raw: string;
}

export interface SmtpPeer {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** How many times each Message-ID arrived. */
  counts: Map<string, number>;
  duplicates(): number;
  /** Answer RCPT TO for this address with 451 (transient) or 550 (permanent); undefined = accept. */
  reject(address: string, code: 451 | 550 | undefined): void;
  close(): Promise<void>;
}

function unfoldHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'latin1'));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=); adjacent words join without space. */
export function decodeEncodedWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQuotedPrintable(body).toString('utf8');
  return body;
}

function splitHeadBody(raw: string): [string, string] {
  const i = raw.search(/\r?\n\r?\n/);
  if (i < 0) return [raw, ''];
  const sep = raw.slice(i).startsWith('\r\n\r\n') ? 4 : 2;
  return [raw.slice(0, i), raw.slice(i + sep)];
}

/** Collects the text/plain and text/html leaves of a (possibly multipart) message. */
function leaves(raw: string, out: { text: string; html: string }): Map<string, string> {
  const [head, body] = splitHeadBody(raw);
  const headers = unfoldHeaders(head);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      leaves(part.replace(/^\r?\n/, ''), out);
    }
  } else if (/^text\/html/i.test(type)) out.html += decodeBody(body, headers.get('content-transfer-encoding'));
  else if (/^text\/plain/i.test(type)) out.text += decodeBody(body, headers.get('content-transfer-encoding'));
  return headers;
}

export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const out = { text: '', html: '' };
  const headers = leaves(raw, out);
  return {
    messageId: headers.get('message-id') ?? '',
    deliveryId: headers.get('x-kuaixiang-delivery'),
    from: envelope.from,
    to: envelope.to,
    subject: decodeEncodedWords(headers.get('subject') ?? ''),
    text: out.text,
    html: out.html,
    headers,
    raw,
  };
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = [];
  const counts = new Map<string, number>();
  const rejections = new Map<string, 451 | 550>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 200,
    onRcptTo(address, _session, callback) {
      const code = rejections.get(address.address.toLowerCase());
      if (!code) return callback();
      const err = Object.assign(new Error(code === 451 ? '4.2.1 Mailbox busy, try again later' : `5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        messages.push(mail);
        counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
        callback(null, `Message queued as kx${messages.length}`);
      });
    },
  });
  // A client killed mid-session resets its socket; like a real mail server, the peer notes it and
  // goes on (without a listener Node would treat the 'error' event as fatal).
  const resets: Error[] = [];
  server.on('error', (e: Error) => resets.push(e));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    counts,
    duplicates: () => [...counts.values()].reduce((n, c) => n + c - 1, 0),
    reject(address, code) {
      if (code) rejections.set(address.toLowerCase(), code);
      else rejections.delete(address.toLowerCase());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
