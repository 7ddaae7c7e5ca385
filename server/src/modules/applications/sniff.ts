// What an uploaded file really is, from its first bytes — the extension and the declared
// content type are the client's word, the magic bytes are the file's. Accepted: PDF, JPEG,
// PNG and OFD (GB/T 33190, the national electronic document format: a ZIP container whose
// root holds OFD.xml). A few common dangerous kinds are named so the refusal says what was sent.

export type MaterialType = 'pdf' | 'jpg' | 'png' | 'ofd';

export const MATERIAL_TYPES: Record<MaterialType, { zh: string; mime: string; extensions: string[] }> = {
  pdf: { zh: 'PDF 文档', mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { zh: 'JPEG 图片', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { zh: 'PNG 图片', mime: 'image/png', extensions: ['png'] },
  ofd: { zh: 'OFD 版式文档', mime: 'application/ofd', extensions: ['ofd'] },
};

const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** Names of entries in a ZIP's central directory (empty when it is not a well-formed ZIP). */
export function zipEntryNames(b: Buffer): string[] {
  // End of central directory: signature 50 4B 05 06, within the last 64 KiB + 22 bytes.
  const min = Math.max(0, b.length - 65_557);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return [];
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let k = 0; k < count && p + 46 <= b.length && b.readUInt32LE(p) === 0x02014b50; k++) {
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    names.push(b.toString('utf8', p + 46, Math.min(b.length, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

export type Sniffed = { ok: true; type: MaterialType } | { ok: false; what: string };

export function sniff(b: Buffer): Sniffed {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { ok: true, type: 'pdf' }; // %PDF-
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { ok: true, type: 'jpg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: 'png' };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) {
    if (zipEntryNames(b).some((n) => n === 'OFD.xml')) return { ok: true, type: 'ofd' };
    return { ok: false, what: 'ZIP 压缩包（不是 OFD 文档）/ a ZIP archive (not an OFD document)' };
  }
  if (startsWith(b, [0x4d, 0x5a])) return { ok: false, what: 'Windows 可执行文件 / a Windows executable' }; // MZ
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { ok: false, what: 'ELF 可执行文件 / an ELF executable' };
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) return { ok: false, what: '旧版 Office 文档 / a legacy Office document' };
  if (startsWith(b, [0x3c])) return { ok: false, what: 'HTML/XML 文本 / HTML or XML text' };
  if (b.length === 0) return { ok: false, what: '空文件 / an empty file' };
  return { ok: false, what: '无法识别的内容 / unrecognised content' };
}

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(filename);
  return m ? m[1].toLowerCase() : '';
}
