import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../catalogue/files.ts';
import { liaochengDictionary } from '../../dictionary/dictionary.ts';
import { buildSearchIndex, type SearchIndex } from '../build.ts';
import { matchQuestion, type MatchOptions } from './match.ts';
import { parseQuestion, type ParsedQuestion } from './parse.ts';

const dict = liaochengDictionary();
const demo = loadCatalogue(join(import.meta.dirname, '..', '..', '..', 'policies'), dict);
const DATE = '2025-11-15';
let index: SearchIndex;
beforeAll(() => {
  index = buildSearchIndex(demo.documents, dict);
});

const ask = (q: string | ParsedQuestion, opts: MatchOptions = {}) =>
  matchQuestion(typeof q === 'string' ? parseQuestion(q, dict, { date: DATE }) : q, demo.items, dict, DATE, { index, limit: 100, ...opts });
const find = (m: ReturnType<typeof ask>, id: string) => [...m.eligible, ...m.undetermined, ...m.ineligible].find((x) => x.item_id === id);

describe('matchQuestion', () => {
  it('a small bearing maker in 东昌府区: enterprise items only, the 临清 ones ruled out, the chain and size ones first', () => {
    const m = ask('我是东昌府区一家做轴承的小微企业，有什么补贴？');
    expect(m.skipped).toBe(demo.items.filter((i) => i.audience === 'person').length);
    expect(find(m, 'lq-gxj-zc-jigai')).toMatchObject({ verdict: 'ineligible', reason_zh: '不符合：所在地在临清市范围内' });
    expect(m.ranked.slice(0, 3).map((x) => x.item_id)).toContain('lc-rsj-cydb-xw');
    expect(m.ranked.slice(0, 10).map((x) => x.item_id)).toContain('lc-gxj-cyl-rd');
    const chain = find(m, 'lc-gxj-cyl-rd')!;
    expect(chain.verdict).toBe('undetermined');
    expect(chain.satisfied).toBe(2); // in the city, on a key chain
    expect(chain.missing.map((x) => x.field)).toEqual(expect.arrayContaining(['rd_expense', 'credit_status']));
    expect(chain.add_zh).toMatch(/^请补充：/);
    expect(m.ranked.every((x) => x.verdict !== 'ineligible')).toBe(true);
  });

  it('an 85-year-old in 莘县: 高龄津贴 first, asking for the place of registration; youth items ruled out by age', () => {
    const m = ask('我父亲85岁，住在莘县，有什么待遇？');
    expect(m.audience).toBe('person');
    const first = m.ranked[0];
    expect(first.item_id).toBe('lc-mzj-gljt');
    expect(first.missing.map((x) => x.label_zh)).toEqual(['户籍所在地']);
    expect(first.add_zh).toBe('请补充：户籍所在地');
    expect(find(m, 'lc-rsj-qnrc-zfbt')!.verdict).toBe('ineligible');
    expect(find(m, 'lc-cl-etkf')!.reason_zh).toContain('年龄');
    expect(find(m, 'cp-mzj-kllr')!.verdict).toBe('ineligible'); // 茌平 only, and 70–79
  });

  it('says eligible, with the amount, when the chips settle every condition', () => {
    const m = ask('临清的低保户，户口在临清，冬天取暖有补助吗');
    const heating = find(m, 'lq-mzj-qnjz')!;
    expect(heating.verdict).toBe('eligible');
    expect(heating.amount).toBe('400');
    expect(m.ranked[0].item_id).toBe('lq-mzj-qnjz');
  });

  it('alternatives that disagree leave the verdict open', () => {
    // 中小企业: medium, small or micro; the loan subsidy is for small and micro only.
    const m = ask('东昌府区的中小企业');
    const loan = find(m, 'lc-rsj-cydb-xw')!;
    expect(loan.verdict).toBe('undetermined');
    const smallMicro = find(ask('东昌府区的小微企业'), 'lc-rsj-cydb-xw')!;
    expect(smallMicro.satisfied).toBe(loan.satisfied + 1);
  });

  it('a qualification named is one the enterprise holds at least', () => {
    const m = ask('东昌府区的专精特新企业');
    expect(find(m, 'lc-gxj-zjtx-award')!.verdict).toBe('undetermined');
    expect(find(m, 'lc-gxj-zjtx-award')!.satisfied).toBe(2); // in the city, holds zjtx
    // Holding zjtx does not say it is not also above scale.
    expect(find(m, 'lc-gxj-sgnt')!.verdict).toBe('undetermined');
  });

  it('without an audience, every item is tried as its own kind', () => {
    const m = ask('有什么补贴');
    expect(m.audience).toBeUndefined();
    expect(m.skipped).toBe(0);
    expect(m.eligible.length + m.undetermined.length + m.ineligible.length).toBe(demo.items.length);
  });

  it('details: the engine ranks what to add for the top undetermined items', () => {
    const cheap = ask('我父亲85岁，住在莘县');
    const full = ask('我父亲85岁，住在莘县', { details: 3 });
    expect(full.ranked.map((x) => x.item_id)).toEqual(cheap.ranked.map((x) => x.item_id));
    expect(new Set(full.ranked[0].missing.map((x) => x.field))).toEqual(new Set(cheap.ranked[0].missing.map((x) => x.field)));
  });

  it('names chips the dictionary rejects', () => {
    const p = parseQuestion('我父亲85岁，住在莘县', dict, { date: DATE });
    const bad = { ...p, chips: p.chips.map((c) => (c.field === 'region' ? { ...c, value: '99x' } : c)) };
    expect(ask(bad).errors.join('\n')).toMatch(/region.*99x/);
    expect(() => matchQuestion(p, demo.items, dict, '2025/11/15')).toThrow(/YYYY-MM-DD/);
  });
});
