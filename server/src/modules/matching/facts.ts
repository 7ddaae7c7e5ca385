// Stored facts → normalized facts. entities.facts holds JSON values, personal fields as
// {"enc": "…"} (the ciphertext of their JSON form). One entity goes through normalizeFacts;
// a snapshot of a million goes through FieldDecoder, which checks codes against sets rather
// than lists and decrypts only the fields a plan reads. A value that fails its field type
// becomes unknown and is counted — never logged, it may be personal.
import { normalizeFacts, normalizeValue, type Dictionary, type Entity, type EntityKind, type FieldDef, type Value } from '@kx/engine';
import type { Ctx } from '../../context.ts';
// The sealed form of personal values is the profiles module's; read it the same way.
import { isSealed, unseal } from '../profiles/sensitive.ts';

/** One entity's stored facts as JSON values, personal ones decrypted (never to be logged or echoed). */
export function storedJson(ctx: Pick<Ctx, 'crypto'>, stored: Record<string, unknown>): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stored)) {
    if (v === null || v === undefined) continue;
    try {
      json[k] = unseal(ctx.crypto, v);
    } catch {
      // An undecryptable value is unknown to the rules, as a missing one is.
    }
  }
  return json;
}

/** One entity's stored facts as the engine reads them. */
export function entityFromStored(ctx: Pick<Ctx, 'dict' | 'crypto'>, id: string, kind: EntityKind, stored: Record<string, unknown>): Entity {
  const { entity } = normalizeFacts(ctx.dict, kind, storedJson(ctx, stored));
  return { ...entity, id };
}

/** Normalizes the values of a fixed list of fields, fast. */
export class FieldDecoder {
  readonly defs: FieldDef[];
  /** Values that were present but not valid for their field (left unknown). */
  invalid = 0;
  private readonly codes: (Set<string> | undefined)[];
  private readonly regionOk = new Map<string, boolean>();
  /** Field → its position in keys. */
  private readonly index: Map<string, number>;

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
    this.index = new Map(keys.map((k, j) => [k, j]));
  }

  /**
   * The normalized values of all the fields of one stored facts object, into out[at + j]
   * (undefined = unknown). Walks the facts the entity has (≈ 33) rather than looking up each
   * of the ≈ 90 fields: every stored object has its own shape, so a lookup by name is slow.
   */
  row(stored: Record<string, unknown>, out: (Value | undefined)[], at: number): void {
    for (let j = 0; j < this.keys.length; j++) out[at + j] = undefined;
    for (const k in stored) {
      const j = this.index.get(k);
      if (j !== undefined) out[at + j] = this.value(j, stored[k]);
    }
  }

  /** The normalized value of field j from its stored JSON value; undefined = unknown. */
  value(j: number, stored: unknown): Value | undefined {
    if (stored === null || stored === undefined) return undefined;
    let raw = stored;
    if (isSealed(raw)) {
      try {
        raw = JSON.parse(this.crypto.decrypt(raw.enc));
      } catch {
        this.invalid++;
        return undefined;
      }
    }
    // A hot loop (a million entities × ninety fields): no closures, no allocation on the common path.
    const v = this.check(j, raw);
    if (v === undefined) this.invalid++;
    return v;
  }

  private check(j: number, raw: unknown): Value | undefined {
    const def = this.defs[j];
    switch (def.type) {
      case 'enum':
        return typeof raw === 'string' && this.codes[j]!.has(raw) ? raw : undefined;
      case 'set':
        return this.codeList(j, raw);
      case 'region': {
        if (typeof raw !== 'string') return undefined;
        let valid = this.regionOk.get(raw);
        if (valid === undefined) this.regionOk.set(raw, (valid = this.dict.regions.isValid(raw)));
        return valid ? raw : undefined;
      }
      case 'int':
        return typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : normalizeValue(this.dict, def, raw).value;
      case 'dec':
        return typeof raw === 'number' && Number.isFinite(raw) ? raw : normalizeValue(this.dict, def, raw).value;
      case 'bool':
        return typeof raw === 'boolean' ? raw : normalizeValue(this.dict, def, raw).value;
      default:
        return normalizeValue(this.dict, def, raw).value;
    }
  }

  /** A set's codes, sorted and distinct (stored sets already are: then the array itself). */
  private codeList(j: number, raw: unknown): string[] | undefined {
    if (!Array.isArray(raw)) return undefined;
    const codes = this.codes[j]!;
    let ordered = true;
    for (let k = 0; k < raw.length; k++) {
      const c: unknown = raw[k];
      if (typeof c !== 'string' || !codes.has(c)) return undefined;
      if (k > 0 && !(raw[k - 1] < c)) ordered = false;
    }
    return ordered ? (raw as string[]) : [...new Set(raw as string[])].sort();
  }
}
