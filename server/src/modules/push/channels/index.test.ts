import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { closeChannels, createChannels } from './index.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'kx-channels-'));

describe('the channel registry', () => {
  it('builds only what is configured: webhooks need no settings, the others do', async () => {
    const bare = createChannels(loadConfig({ KX_DATA_DIR: dataDir() }));
    expect([...bare.keys()]).toEqual(['webhook']);
    await closeChannels(bare);
    expect(bare.size).toBe(0);
  });

  it('builds every transport a city configures, each under its name; SMPP wins over HTTP for SMS', async () => {
    const all = createChannels(
      loadConfig({
        KX_DATA_DIR: dataDir(),
        KX_SMTP_URL: 'smtp://127.0.0.1:1',
        KX_SMPP_URL: 'smpp://kx:pw@127.0.0.1:1',
        KX_SMS_HTTP_URL: 'http://127.0.0.1:1/send',
        KX_VAPID_SUBJECT: 'mailto:push@example.cn',
      }),
    );
    expect([...all.keys()].sort()).toEqual(['email', 'sms', 'webhook', 'webpush']);
    for (const [name, adapter] of all) expect(adapter.name).toBe(name);
    await closeChannels(all);
  });

  it('has nothing for a configuration without channel settings (the inbox alone)', () => {
    const { channels: _omitted, ...config } = loadConfig({ KX_DATA_DIR: dataDir() });
    expect(createChannels(config).size).toBe(0);
  });
});
