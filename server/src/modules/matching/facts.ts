// Stored facts → normalized facts. entities.facts holds JSON values, personal fields as
// {"enc": "…"} (the ciphertext of their JSON form). One entity goes through normalizeFacts;
// a snapshot of a million goes through FieldDecoder, which checks codes against sets rather
// than lists and decrypts only the fields a plan reads. A value that fails its field type
// becomes unknown and is counted — never logged, it may be personal.
import { normalizeFacts, normalizeValue, type Dictionary, type Entity, type EntityKind, type FieldDef, type Value } from '@kx/engine';
import type { Ctx } from '../../context.ts';

export function isSealed(v: unknown): v is { enc: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { enc?: unknown }).enc === 'string';
}

export function unsealValue(crypto: Ctx['crypto'], stored: unknown): unknown {
  return isSealed(stored) ? JSON.parse(crypto.decrypt(stored.enc)) : stored;
}

/** One entity's stored facts as the engine reads them. */
export function entityFromStored(ctx: Pick<Ctx, 'dict' | 'crypto'>, id: string, kind: EntityKind, stored: Record<string, unknown>): Entity {
  const json: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stored)) {
    if (v === null || v === undefined) continue;
    try {
      json[k] = unsealValue(ctx.crypto, v);
    } catch {
      // An undecryptable value is unknown to the rules, as a missing one is.
    }
  }
  const { entity } = normalizeFacts(ctx.dict, kind, json);
  return { ...entity, id };
}

/** Normalizes the values of a fixed list of fields, fast. */
export class FieldDecoder {
  readonly defs: FieldDef[];
  /** Values that were present but not valid for their field (left unknown). */
  invalid = 0;
  private readonly codes: (Set<string> | undefined)[];
  private readonly regionOk = new Map<string, boolean>();

  constructor(
    private readonly dict: Dictionary,
    private readonly crypto: Ctx['crypto'],
    readonly keys: readonly string[],
  ) {
    this.defs = keys.map((k) => {
      const d = dict.fields.get(k);
      if (!d) throw new Error(`字段 "${k}" 不在字段字典中 / field "${k}" is not in the dictionary`);
      return d;
    });
    this.codes = this.defs.map((d) => (d.enum ? new Set(dict.enums.get(d.enum)!.values.map((v) => v.code)) : undefined));
  }

  /** The normalized value of field j from its stored JSON value; undefined = unknown. */
  value(j: number, stored: unknown): Value | undefined {
    if (stored === null || stored === undefined) return undefined;
    const def = this.defs[j];
    let raw = stored;
    if (isSealed(raw)) {
      try {
        raw = JSON.parse(this.crypto.decrypt(raw.enc));
      } catch {
        this.invalid++;
        return undefined;
      }
    }
    const ok = (v: Value | undefined) => (v === undefined ? (this.invalid++, undefined) : v);
    switch (def.type) {
      case 'enum':
        return ok(typeof raw === 'string' && this.codes[j]!.has(raw) ? raw : undefined);
      case 'set': {
        if (!Array.isArray(raw) || !raw.every((c) => typeof c === 'string' && this.codes[j]!.has(c))) return ok(undefined);
        return [...new Set(raw as string[])].sort();
      }
      case 'region': {
        if (typeof raw !== 'string') return ok(undefined);
        let valid = this.regionOk.get(raw);
        if (valid === undefined) this.regionOk.set(raw, (valid = this.dict.regions.isValid(raw)));
        return ok(valid ? raw : undefined);
      }
      case 'int':
        return ok(typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : normalizeValue(this.dict, def, raw).value);
      case 'dec':
        return ok(typeof raw === 'number' && Number.isFinite(raw) ? raw : normalizeValue(this.dict, def, raw).value);
      default:
        return ok(normalizeValue(this.dict, def, raw).value);
    }
  }
}
