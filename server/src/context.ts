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

export function createCtx(config: Config, db: Db, clock?: () => Date): Ctx {
  const now = clock ?? (() => new Date());
  return {
    config,
    db,
    crypto: createFieldCrypto(config.dataKey, config.cipher),
    dict: liaochengDictionary(),
    now,
    today: () => now().toISOString().slice(0, 10),
  };
}
