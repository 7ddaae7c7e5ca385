// A web-push service for the tests: a real HTTPS server on 127.0.0.1 (test certificate in this
// folder) playing the role of FCM / Mozilla autopush. Like a real one it
//  - refuses a request whose VAPID Authorization header (vapid t=<JWT>, k=<key>) is not an
//    ES256 JWT signed by the application server key the subscription was made with, for this
//    origin, unexpired, with a subject;
//  - answers 410 for a subscription the "browser" dropped;
//  - and, standing in for the browser, decrypts the aes128gcm payload (RFC 8188 + RFC 8291)
//    with the subscription's private key, so a test can read what the user would see.
import { createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify, createDecipheriv, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CERT = readFileSync(join(HERE, 'push-service-test.crt'));
const KEY = readFileSync(join(HERE, 'push-service-test.key'));

/** An HTTPS agent that trusts the test push service's certificate (and nothing else). */
export const testPushAgent = (): Agent => new Agent({ ca: CERT });

const b64url = (b: Buffer) => b.toString('base64url');

export interface PushedMessage {
  subscription: string;
  payload: Record<string, unknown>;
  ttl: number;
  urgency: string | undefined;
  jwt: { aud: string; exp: number; sub: string };
}

interface BrowserSide {
  ecdh: ECDH;
  auth: Buffer;
  /** The applicationServerKey the subscription was made with. */
  serverKey: string;
  gone: boolean;
}

export interface WebPushPeer {
  origin: string;
  received: PushedMessage[];
  /** Requests refused for VAPID reasons, with the reason. */
  refused: string[];
  /** A browser subscribing with this application server key: the subscription JSON it would post. */
  subscribe(applicationServerKey: string): string;
  /** The browser unsubscribed: the service answers 410 from now on. */
  drop(subscription: string): void;
  /** Answer the next requests with this status instead (429, 500 …); undefined = normal. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

/** Checks the VAPID header; returns the claims, or why it is refused. */
function checkVapid(header: string | undefined, serverKey: string, origin: string): { ok: true; jwt: PushedMessage['jwt'] } | { ok: false; why: string } {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!m) return { ok: false, why: 'no vapid authorization' };
  const [, token, k] = m;
  if (k !== serverKey) return { ok: false, why: 'key differs from the subscription\'s applicationServerKey' };
  const [h, p, s] = token.split('.');
  const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
  if (head.alg !== 'ES256') return { ok: false, why: `alg ${head.alg}` };
  const raw = Buffer.from(k, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')))
    return { ok: false, why: 'bad signature' };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as PushedMessage['jwt'];
  const now = Date.now() / 1000;
  if (claims.aud !== origin) return { ok: false, why: `aud ${claims.aud}` };
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) return { ok: false, why: 'exp out of range' };
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) return { ok: false, why: 'no subject' };
  return { ok: true, jwt: claims };
}

/** RFC 8291 §3.4 + RFC 8188: the browser's side of aes128gcm. */
export function decryptAes128gcm(body: Buffer, ecdh: ECDH, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  const uaPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonceBase = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const out: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, Math.min(at + rs, records.length));
    const nonce = Buffer.from(nonceBase);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8); // the record sequence number, XORed into the low bits
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // strip the padding: zeros, then the delimiter (2 for the last record, 1 before)
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

export async function startWebPushPeer(): Promise<WebPushPeer> {
  const received: PushedMessage[] = [];
  const refused: string[] = [];
  const browsers = new Map<string, BrowserSide>();
  let failure: number | undefined;
  let origin = '';
  const server = createServer({ cert: CERT, key: KEY }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
      const browser = id ? browsers.get(id) : undefined;
      if (!id || !browser || browser.gone) return res.writeHead(410).end('subscription gone');
      const vapid = checkVapid(req.headers.authorization, browser.serverKey, origin);
      if (!vapid.ok) {
        refused.push(vapid.why);
        return res.writeHead(403).end(vapid.why);
      }
      if (failure) return res.writeHead(failure, failure === 429 ? { 'Retry-After': '5' } : {}).end('not now');
      if (req.headers['content-encoding'] !== 'aes128gcm') return res.writeHead(415).end('aes128gcm only');
      const plain = decryptAes128gcm(Buffer.concat(chunks), browser.ecdh, browser.auth);
      received.push({
        subscription: id, payload: JSON.parse(plain.toString('utf8')) as Record<string, unknown>,
        ttl: Number(req.headers.ttl), urgency: req.headers.urgency as string | undefined, jwt: vapid.jwt,
      });
      res.writeHead(201, { Location: `${origin}/message/${randomUUID()}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    refused,
    subscribe(applicationServerKey) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomUUID();
      browsers.set(id, { ecdh, auth, serverKey: applicationServerKey, gone: false });
      return JSON.stringify({ endpoint: `${origin}/push/${id}`, expirationTime: null, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } });
    },
    drop(subscription) {
      const id = /\/push\/([\w-]+)$/.exec((JSON.parse(subscription) as { endpoint: string }).endpoint)![1];
      browsers.get(id)!.gone = true;
    },
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
