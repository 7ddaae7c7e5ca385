import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.ts';
import { checkFile, MAX_MATERIAL_BYTES } from './materials.ts';
import { EXE, JPG, OFD, PNG, zip } from './fixtures.ts';
import { extensionOf, sniff, zipEntryNames } from './sniff.ts';

describe('sniffing the content of an upload', () => {
  it.each([
    ['PDF', Buffer.from('%PDF-1.4\n...'), 'pdf'],
    ['JPEG', JPG, 'jpg'],
    ['PNG', PNG, 'png'],
    ['OFD (a ZIP with OFD.xml at its root)', OFD, 'ofd'],
  ])('knows %s by its first bytes', (_what, bytes, type) => {
    expect(sniff(bytes)).toEqual({ ok: true, type });
  });

  it.each([
    [EXE, '可执行文件'],
    [zip({ 'word/document.xml': '<w:document/>' }), 'ZIP'],
    [Buffer.from('<html><body>hi</body></html>'), 'HTML'],
    [Buffer.alloc(0), '空文件'],
    [Buffer.from('just some text'), '无法识别'],
  ])('names what a refused file really is (%#)', (bytes, what) => {
    const s = sniff(bytes);
    expect(s.ok).toBe(false);
    expect(!s.ok && s.what).toContain(what);
  });

  it('reads the entry names of a ZIP, and none of a truncated one', () => {
    expect(zipEntryNames(OFD)).toEqual(['OFD.xml', 'Doc_0/Document.xml']);
    expect(zipEntryNames(OFD.subarray(0, OFD.length - 10))).toEqual([]);
  });

  it('takes the extension case-insensitively', () => {
    expect([extensionOf('证明.PDF'), extensionOf('scan.jpeg'), extensionOf('noext')]).toEqual(['pdf', 'jpeg', '']);
  });
});

describe('checking a material file', () => {
  const refusal = (f: () => unknown): DomainError => {
    try {
      f();
    } catch (e) {
      return e as DomainError;
    }
    throw new Error('not refused');
  };

  it('refuses an executable renamed .pdf, naming the material, the file and the field', () => {
    const e = refusal(() => checkFile('银行开户许可证', 'permit.pdf', EXE));
    expect([e.code, e.field]).toEqual(['BAD_INPUT', 'file']);
    expect(e.zh).toContain('银行开户许可证');
    expect(e.zh).toContain('permit.pdf');
    expect(e.zh).toContain('Windows 可执行文件');
  });

  it('refuses an extension that does not match the content', () => {
    const e = refusal(() => checkFile('照片', 'photo.pdf', PNG));
    expect([e.field, e.zh]).toEqual(['file', expect.stringContaining('PNG 图片')]);
  });

  it('refuses a file over the limit by its size alone', () => {
    const e = refusal(() => checkFile('照片', 'big.pdf', Buffer.alloc(MAX_MATERIAL_BYTES + 1)));
    expect([e.code, e.field]).toEqual(['TOO_LARGE', 'file']);
  });

  it('accepts the four formats under their own extensions', () => {
    expect([checkFile('a', 'a.PDF', Buffer.from('%PDF-1.7')), checkFile('a', 'a.jpeg', JPG), checkFile('a', 'a.png', PNG), checkFile('a', 'a.ofd', OFD)]).toEqual(['pdf', 'jpg', 'png', 'ofd']);
  });
});
