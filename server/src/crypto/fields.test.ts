// Field encryption: what was sealed is read back, tampering is refused, and values sealed by
// earlier releases (these tokens were written by the implementation before key objects and
// pooled nonces) still open — a city's database holds millions of them.
import { describe, expect, it } from 'vitest';
import { createFieldCrypto } from './fields.ts';

const key = Buffer.alloc(32, 3);
const OLD = {
  aes: 'v1.a.+90I8PxtD67tx7MbmwIUc+jrvzcf3bANin+o/eGjddwJcp9Ahhh2bjn3uYkppqBO',
  sm4: 'v1.s.TfrVwaYiKrSg11bomcXuRzwZhOh4PBOAfkVgFHj+yE3rLHbEu6K0NEl5L5L++f50U9snybXq',
  bytes: 'YVJi2f9vcBJM44rNGR82+ZJ0zaO/ruxFLRikxE7JzyjRWN9A0E+P9Me0',
  blind: 'wgjSSqYkEQGR9d3rRtvXjybzlVXnXRWz_X0nWMYCVTc',
};

/** The same token with one byte of its sealed part changed. */
function tampered(token: string): string {
  const [v, tag, b64] = token.split('.');
  const raw = Buffer.from(b64, 'base64');
  raw[raw.length - 1] ^= 1;
  return `${v}.${tag}.${raw.toString('base64')}`;
}

describe.each(['aes-256-gcm', 'sm4-gcm'] as const)('field crypto (%s)', (cipher) => {
  const c = createFieldCrypto(key, cipher);

  it('reads back what it sealed, a fresh ciphertext each time', () => {
    const values = ['"371502199001010018"', '1234.5', '"李某某"', ''];
    const tokens = values.map((v) => c.encrypt(v));
    expect(tokens.map((t) => c.decrypt(t))).toEqual(values);
    const again = c.encrypt(values[0]);
    expect(again).not.toBe(tokens[0]);
    // Nonces are drawn in blocks: thousands of values in a row never share one.
    const many = new Set(Array.from({ length: 3000 }, () => c.encrypt('1').split('.')[2].slice(0, 16)));
    expect(many.size).toBe(3000);
  });

  it('refuses a changed ciphertext and a malformed token', () => {
    expect(() => c.decrypt(tampered(c.encrypt('"371502199001010018"')))).toThrow();
    expect(() => c.decrypt('v2.a.AAAA')).toThrow(/invalid ciphertext/);
    expect(() => c.decryptBytes(Buffer.from('xyz'))).toThrow(/invalid ciphertext/);
  });

  it('seals and opens bytes (the persisted snapshot)', () => {
    const plain = Buffer.from('columns '.repeat(100));
    expect(c.decryptBytes(c.encryptBytes(plain)).equals(plain)).toBe(true);
  });

  it('reads values sealed by earlier releases, whichever cipher is current', () => {
    expect(c.decrypt(OLD.aes)).toBe('"371502199001010018"');
    expect(c.decrypt(OLD.sm4)).toBe('1234.5');
    expect(c.decryptBytes(Buffer.from(OLD.bytes, 'base64')).toString()).toBe('snapshot part');
    expect(c.blindIndex('person:371502199001010018')).toBe(OLD.blind);
  });
});
