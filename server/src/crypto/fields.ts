// Personal data at rest (R14, 密评 GB/T 39786 §8.4): field encryption with AES-256-GCM, or
// with SM4 when configured — SM4-CTR with an HMAC-SM3 tag (encrypt-then-MAC), because
// Node's OpenSSL ships SM4 and SM3 but not SM4-GCM — and a keyed hash (blind index, HMAC)
// so that a record can be found by its 身份证号 without storing the number in clear.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

export type CipherName = 'aes-256-gcm' | 'sm4-gcm';

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Binary form, for bulk data at rest (the persisted snapshot): algorithm tag byte + sealed bytes. */
  encryptBytes(plain: Buffer): Buffer;
  decryptBytes(sealed: Buffer): Buffer;
  /** Deterministic keyed hash for lookups (never reversible). */
  blindIndex(value: string): string;
  cipher: CipherName;
}

const VERSION = 'v1';
const derive = (master: Buffer, info: string, len: number) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, len));
// A key object made once: given a raw Buffer, every cipher object would import the key anew
// (a third of a decryption's cost; a snapshot decrypts millions of values).
const keyOf = (master: Buffer, info: string, len: number): KeyObject => createSecretKey(derive(master, info, len));

// Nonces come from the CSPRNG in blocks: one system call per 1,024 values instead of one per
// value (sealing is half of a bulk load's preparation). Each nonce is still used once.
const NONCES = Buffer.alloc(16 * 1024);
let nonceAt = NONCES.length;
function nonce(len: number): Buffer {
  if (nonceAt + len > NONCES.length) {
    randomFillSync(NONCES);
    nonceAt = 0;
  }
  const iv = NONCES.subarray(nonceAt, nonceAt + len);
  nonceAt += len;
  return iv;
}

interface Algo {
  tag: string;
  seal(plain: Buffer): Buffer;
  open(raw: Buffer): Buffer;
}

function aesGcm(master: Buffer): Algo {
  const key = keyOf(master, 'kx-field-aes-256-gcm', 32);
  return {
    tag: 'a',
    seal(plain) {
      const iv = nonce(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      // GCM is a stream mode: update gives every byte, final only checks and ends.
      const body = c.update(plain);
      c.final();
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    open(raw) {
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      const plain = d.update(raw.subarray(28));
      // Throws when the tag does not match: nothing is returned unauthenticated.
      d.final();
      return plain;
    },
  };
}

function sm4CtrSm3(master: Buffer): Algo {
  const key = keyOf(master, 'kx-field-sm4-ctr', 16);
  const macKey = keyOf(master, 'kx-field-sm4-mac', 32);
  const mac = (data: Buffer) => createHmac('sm3', macKey).update(data).digest();
  return {
    tag: 's',
    seal(plain) {
      const iv = nonce(16);
      const c = createCipheriv('sm4-ctr', key, iv);
      const body = Buffer.concat([iv, c.update(plain), c.final()]);
      return Buffer.concat([mac(body), body]);
    },
    open(raw) {
      const tag = raw.subarray(0, 32);
      const body = raw.subarray(32);
      if (!timingSafeEqual(tag, mac(body))) throw new Error('密文完整性校验失败 / ciphertext integrity check failed');
      const d = createDecipheriv('sm4-ctr', key, body.subarray(0, 16));
      return Buffer.concat([d.update(body.subarray(16)), d.final()]);
    },
  };
}

export function createFieldCrypto(master: Buffer, cipher: CipherName = 'aes-256-gcm'): FieldCrypto {
  if (master.length !== 32) throw new Error('数据密钥应为 32 字节 / the data key must be 32 bytes');
  // Both algorithms can read: a city that switches to SM4 still reads older AES records.
  const algos = { a: aesGcm(master), s: sm4CtrSm3(master) };
  const current = cipher === 'sm4-gcm' ? algos.s : algos.a;
  const macKey = keyOf(master, 'kx-blind-index', 32);
  return {
    cipher,
    encrypt(plain) {
      return `${VERSION}.${current.tag}.${current.seal(Buffer.from(plain, 'utf8')).toString('base64')}`;
    },
    decrypt(token) {
      const [v, tag, b64] = token.split('.');
      const algo = algos[tag as 'a' | 's'];
      if (v !== VERSION || !algo || !b64) throw new Error('密文格式无效 / invalid ciphertext');
      return algo.open(Buffer.from(b64, 'base64')).toString('utf8');
    },
    encryptBytes(plain) {
      return Buffer.concat([Buffer.from(current.tag), current.seal(plain)]);
    },
    decryptBytes(sealed) {
      const algo = algos[String.fromCharCode(sealed[0]) as 'a' | 's'];
      if (!algo) throw new Error('密文格式无效 / invalid ciphertext');
      return algo.open(sealed.subarray(1));
    },
    blindIndex(value) {
      return createHmac('sha256', macKey).update(value.trim().toUpperCase()).digest('base64url');
    },
  };
}
