import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '@kx/data';
import { scanLogDir } from './log-scan.global.ts';
import { findPersonalData } from './pii.ts';

describe('the end-of-run log scan', () => {
  const id = makeIdNumber('371521', '1990-01-31', 7);
  const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

  it('recognises ID numbers by their check character, and mobile numbers', () => {
    expect(findPersonalData(`a ${id} b`).map((h) => h.kind)).toEqual(['id_number']);
    expect(findPersonalData(`a ${wrongCheck} b`)).toEqual([]);
    expect(findPersonalData('tel:13800138000, 12345678901, 138001380001').map((h) => h.kind)).toEqual(['phone']);
    expect(findPersonalData(`${id.slice(0, 17)}x`).length).toBe(id.endsWith('X') ? 1 : 0);
  });

  it('names the file and masks the value it found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-scan-test-'));
    try {
      writeFileSync(join(dir, 'clean.log'), '{"msg":"request completed","responseTime":13.98765432101}\n');
      expect(scanLogDir(dir)).toEqual({ files: 1, problems: [] });
      writeFileSync(join(dir, 'leaky.log'), `{"msg":"lookup ${id}"}\n{"msg":"sms to 13912345678"}\n`);
      const { problems } = scanLogDir(dir);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^leaky\.log: 身份证号/);
      expect(problems.join('\n')).not.toContain(id);
      expect(problems.join('\n')).not.toContain('13912345678');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
