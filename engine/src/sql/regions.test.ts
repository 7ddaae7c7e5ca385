// `within` in SQL must equal the region tree's three-valued answer (withinCode: `contains`,
// else unknown where the code `overlaps`) for every code: provinces, prefectures, counties,
// towns, the historical county 371523, functional zones (as ancestors and as facts) and codes
// the tree has never heard of.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDictionary, createRegionTree, withinCode, type Entity, type ZoneDef } from '../index.ts';
import { TEST_ENUMS, TEST_FIELDS } from '../../test/fixtures.ts';
import { runProbes, TEST_DATABASES, uniqueTable, type OpenDatabase } from '../../test/sql/databases.ts';
import type { SqlContext } from './compile.ts';
import { loadEntities } from './testing.ts';

const ZONES: ZoneDef[] = [
  { code: 'LC-JKQ', name: '经开区', members: ['371502008', '371502009', '371502010', '371502116'] },
  { code: 'LC-GXQ', name: '高新区', members: ['371502108', '371502110'] },
  // A zone made of a whole county and one town elsewhere: prefixes of two lengths.
  { code: 'LC-XQ', name: '测试区', members: ['371522', '371526101'] },
];
const NAMES: Record<string, string> = {
  '370000': '山东省', '371500': '聊城市', '371502': '东昌府区', '371522': '莘县', '371526': '高唐县', '371523': '茌平县',
  '371502008': '北城街道', '371502001': '古楼街道', '371502108': '许营镇', '370100': '济南市', '370102': '历下区',
};
const TREE = createRegionTree({ names: NAMES, zones: ZONES });
const DICT = createDictionary({ fields: TEST_FIELDS, enums: TEST_ENUMS, sources: [{ id: 'test', label: { zh: '测试', en: 'Test' } }], regions: TREE });

/** Codes as facts: every named code, every zone, towns and villages below them, strangers. */
const CODES = [
  ...Object.keys(NAMES), ...ZONES.map((z) => z.code), ...ZONES.flatMap((z) => z.members),
  '371502009', '371502010', '371502116', '371502110', '371522100', '371522100203', '371526101', '371526102', '371523001',
  '371503', '371581', '370102001', '110101', '37', '3715', '371502008001', '371500000', 'LC', 'LC-JKQX', '',
];
const ANCESTORS = [
  ...Object.keys(NAMES), ...ZONES.map((z) => z.code), '37', '3715', '371502009', '371522100', '110000', '371526101', '371503',
];

describe.each(TEST_DATABASES)('within on $name', (database) => {
  let db: OpenDatabase;
  const table = uniqueTable('regions');
  const ids = CODES.map((_, i) => `r${String(i).padStart(3, '0')}`);
  beforeAll(async () => {
    db = await database.open();
    const entities: Entity[] = CODES.map((code, i) => ({ id: ids[i], kind: 'enterprise', facts: { entity_kind: 'enterprise', region: code } }));
    entities.push({ id: 'unknown', kind: 'enterprise', facts: { entity_kind: 'enterprise' } });
    await loadEntities(db, DICT, table, entities, { temporary: true });
  });
  afterAll(() => db.close());

  const ctx: SqlContext = { dict: DICT, params: new Map(), day: 0, zones: ZONES };

  async function check(lists: string[][], negate: boolean, c: SqlContext = ctx) {
    const probes = lists.map((regions) => ({ expr: { op: 'within' as const, value: { op: 'field' as const, name: 'region' }, regions, negate }, ctx: c }));
    const got = await runProbes(db, probes, table);
    for (const [k, regions] of lists.entries()) {
      const want = CODES.map((code) => 'FTU'[withinCode(TREE, regions, code, negate)]);
      expect({ regions, got: ids.map((id) => got.get(id)![k]) }).toEqual({ regions, got: want });
      expect(got.get('unknown')![k]).toBe('U');
    }
  }

  it('equals the tree for each single ancestor, within and not within', async () => {
    const singles = ANCESTORS.map((a) => [a]);
    await check(singles, false);
    await check(singles, true);
  });

  it('puts zones inside their prefectures and the historical 371523 inside 371500', async () => {
    const got = await runProbes(db, [{ expr: { op: 'within', value: { op: 'field', name: 'region' }, regions: ['371500'] }, ctx }], table);
    const at = (code: string) => got.get(ids[CODES.indexOf(code)])![0];
    expect([at('LC-JKQ'), at('LC-XQ'), at('371523'), at('371523001'), at('370102'), at('LC-JKQX')]).toEqual(['T', 'T', 'T', 'T', 'F', 'F']);
  });

  it('equals the tree for random lists of ancestors (property)', async () => {
    const list = fc.uniqueArray(fc.constantFrom(...ANCESTORS), { minLength: 0, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(fc.array(list, { minLength: 10, maxLength: 30 }), fc.boolean(), async (lists, negate) => {
        await check(lists, negate);
      }),
      { numRuns: 15 },
    );
  });

  it('reads the zones from a tree that lists them', async () => {
    const listing: typeof TREE & { zones(): ZoneDef[] } = { ...TREE, zones: () => ZONES };
    const dict = { ...DICT, regions: listing };
    await check([['LC-JKQ', '371526'], ['370000']], false, { dict, params: new Map(), day: 0 });
  });
});
