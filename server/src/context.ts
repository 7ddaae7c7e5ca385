// Everything a service needs, built once at start-up and passed explicitly (no globals).
import type { Dictionary } from '@kx/engine';
import { liaochengDictionary } from '@kx/data';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { createFieldCrypto, type FieldCrypto } from './crypto/fields.ts';

export interface Ctx {
  config: Config;
  db: Db;
  crypto: FieldCrypto;
  dict: Dictionary;
  /** The date the platform considers "today": injectable so tests pin the clock. */
  today(): string;
  now(): Date;
}

/** The real time, or (KX_CLOCK) a clock started at the configured instant that runs on from there. */
function configuredClock(config: Config): () => Date {
  if (!config.clockStart) return () => new Date();
  const offset = config.clockStart.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

export function createCtx(config: Config, db: Db, clock?: () => Date): Ctx {
  const now = clock ?? configuredClock(config);
  return {
    config,
    db,
    crypto: createFieldCrypto(config.dataKey, config.cipher),
    dict: liaochengDictionary(),
    now,
    today: () => now().toISOString().slice(0, 10),
  };
}
