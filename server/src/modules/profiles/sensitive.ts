// Personal fields (FieldDef.sensitive) at rest and on the wire. At rest a value is the
// ciphertext of its JSON form, stored as {"enc": "…"} both in entities.facts and in the
// history (facts.value); no other JSON value of a fact is an object, so the form is
// unambiguous. On the wire they are masked unless the caller may and asks to see them:
//   id_number → 371502********0018, a person's name → 李**, anything else → "***".
// Amounts (incomes, medical costs) are masked whole rather than shown as a band: a band of
// a monthly income narrows it enough to be personal data itself, and the people entitled
// to the value (the resident, an admin with a reason) can unmask it.
import type { Dictionary, EntityKind, FieldDef } from '@kx/engine';
import type { FieldCrypto } from '../../crypto/fields.ts';
import { maskIdNumber, maskName } from '../../crypto/mask.ts';

export const MASK = '***';

export interface Sealed {
  enc: string;
}

export function isSealed(v: unknown): v is Sealed {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Sealed).enc === 'string';
}

export function isSensitive(dict: Dictionary, field: string): boolean {
  return dict.fields.get(field)?.sensitive === true;
}

/** The stored form of a JSON fact value: ciphertext for personal fields; unknown stays null. */
export function seal(crypto: FieldCrypto, def: FieldDef | undefined, value: unknown): unknown {
  if (value === null || value === undefined || !def?.sensitive) return value ?? null;
  return { enc: crypto.encrypt(JSON.stringify(value)) } satisfies Sealed;
}

/** The JSON value of a stored fact. */
export function unseal(crypto: FieldCrypto, stored: unknown): unknown {
  return isSealed(stored) ? JSON.parse(crypto.decrypt(stored.enc)) : stored;
}

/** What a caller who may not see a personal value is shown instead. */
export function maskValue(def: FieldDef | undefined, kind: EntityKind, value: unknown): unknown {
  if (value === null || value === undefined || !def?.sensitive) return value;
  if (def.key === 'id_number') return maskIdNumber(String(value));
  // An enterprise's name is public registry data (国家企业信用信息公示系统); a person's is not.
  if (def.key === 'name') return kind === 'enterprise' ? value : maskName(String(value));
  return MASK;
}

/** The masked form of a message that quotes a personal value (validation errors). */
export function maskMessage(message: string, raw: unknown, masked: unknown): string {
  const quoted = JSON.stringify(raw);
  if (quoted === undefined || raw === masked) return message;
  return message.split(quoted).join(JSON.stringify(masked));
}
