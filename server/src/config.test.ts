import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'kx-config-'));

describe('configuration', () => {
  it('has sensible defaults for a fresh machine', () => {
    const c = loadConfig({ KX_DATA_DIR: dir() });
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', cipher: 'aes-256-gcm', seedDemo: true, demoPeople: 20000, demoEnterprises: 2000 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataKey).toHaveLength(32);
  });

  it('keeps the generated data key across restarts', () => {
    const d = dir();
    expect(loadConfig({ KX_DATA_DIR: d }).dataKey.equals(loadConfig({ KX_DATA_DIR: d }).dataKey)).toBe(true);
  });

  // env ; the message must name the variable and the value
  const BAD: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT="eighty"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL="mysql://x"'],
    [{ KX_CIPHER: 'des' }, 'KX_CIPHER="des"'],
    [{ KX_SEED_DEMO: 'maybe' }, 'KX_SEED_DEMO'],
    [{ KX_DATA_KEY: 'abc' }, 'KX_DATA_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
  ];
  it.each(BAD)('refuses %j and names it', (env, want) => {
    expect(() => loadConfig({ KX_DATA_DIR: dir(), ...env })).toThrow(want);
  });
});
