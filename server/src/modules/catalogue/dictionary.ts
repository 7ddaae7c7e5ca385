// The field dictionary as the console's visual rule builder needs it: every field a rule
// may read (label, type, unit, enum), the code tables, the source systems and the regions
// with their functional zones. Public — it is the vocabulary of published rules, no data.
// The browser rebuilds an engine Dictionary from it (createDictionary) to run test cases
// with the same engine the server uses.
import { Type, type Static } from 'typebox';
import { REGIONS, ZONES } from '@kx/data';
import type { Dictionary } from '@kx/engine';

const Text2 = Type.Object({ zh: Type.String(), en: Type.String() });

export const DictionaryView = Type.Object({
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      type: Type.Union([
        Type.Literal('int'), Type.Literal('dec'), Type.Literal('bool'), Type.Literal('date'), Type.Literal('enum'), Type.Literal('set'), Type.Literal('region'), Type.Literal('text'),
      ]),
      enum: Type.Optional(Type.String()),
      label: Text2,
      unit: Type.Optional(Text2),
      source: Type.String(),
      kinds: Type.Array(Type.Union([Type.Literal('enterprise'), Type.Literal('person')])),
      percent: Type.Optional(Type.Boolean()),
      mutable: Type.Optional(Type.Boolean()),
      description: Type.Optional(Type.String()),
      sensitive: Type.Optional(Type.Boolean()),
    }),
    { description: '规则可读取的字段（含内置的 entity_kind）/ fields a rule may read (with the built-in entity_kind)' },
  ),
  enums: Type.Array(Type.Object({ name: Type.String(), label: Text2, values: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })) })),
  sources: Type.Array(Type.Object({ id: Type.String(), label: Text2 })),
  regions: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      name_en: Type.String({ description: 'English (pinyin) name: Dongchangfu District' }),
      level: Type.String(),
      parent: Type.Optional(Type.String()),
      historical: Type.Optional(Type.Boolean()),
      members: Type.Optional(Type.Array(Type.String(), { description: '功能区的成员区划 / member codes of a functional zone' })),
    }),
  ),
});
export type DictionaryView = Static<typeof DictionaryView>;

let cached: { dict: Dictionary; view: DictionaryView } | undefined;

/** The view of a dictionary (built once per dictionary: it never changes while the service runs). */
export function dictionaryView(dict: Dictionary): DictionaryView {
  if (cached?.dict === dict) return cached.view;
  const members = new Map(ZONES.map((z) => [z.code, z.members]));
  const view: DictionaryView = {
    fields: [...dict.fields.values()].map((f) => ({ ...f, kinds: [...f.kinds] })),
    enums: [...dict.enums.values()].map((e) => ({ name: e.name, label: e.label, values: e.values.map((v) => ({ code: v.code, zh: v.zh, en: v.en })) })),
    sources: [...dict.sources.values()].map((s) => ({ id: s.id, label: s.label })),
    regions: REGIONS.filter((r) => dict.regions.isValid(r.code)).map((r) => ({
      code: r.code, name: r.name, name_en: r.name_en, level: r.level,
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.historical ? { historical: true } : {}),
      ...(members.has(r.code) ? { members: members.get(r.code)! } : {}),
    })),
  };
  cached = { dict, view };
  return view;
}
