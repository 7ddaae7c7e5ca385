import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liaochengDictionary } from '../../dictionary/dictionary.ts';
import { factsFromChips, parseQuestion } from './parse.ts';

const dict = liaochengDictionary();
const DATE = '2025-11-15';
const parse = (q: string) => parseQuestion(q, dict, { date: DATE });
const chip = (q: string, field: string) => parse(q).chips.find((c) => c.field === field);

describe('parseQuestion: the two questions of the issue', () => {
  it('我是东昌府区一家做轴承的小微企业，有什么补贴？', () => {
    const p = parse('我是东昌府区一家做轴承的小微企业，有什么补贴？');
    expect(p.audience).toBe('enterprise');
    expect(p.facts).toEqual({
      region: '371502', industry_section: 'C', industry_division: '34', key_chain: 'bearing', size_class: ['small', 'micro'],
    });
    expect(p.chips.map((c) => c.label_zh)).toEqual([
      '主体：企业', '所在地：东昌府区', '行业门类：制造业', '行业大类：通用设备制造业', '所属重点产业链：轴承', '企业规模：小型或微型',
    ]);
    const region = p.chips.find((c) => c.field === 'region')!;
    expect(p.text.slice(...region.span)).toBe('东昌府区');
    expect(p.keywords).toEqual(['轴承', '小微企业', '补贴']);
  });

  it('我父亲85岁，住在莘县，有什么待遇？', () => {
    const p = parse('我父亲85岁，住在莘县，有什么待遇？');
    expect(p.audience).toBe('person');
    expect(p.relation).toBe('father');
    // Born 85 years before the date: exactly 85 on it.
    expect(p.facts).toEqual({ sex: 'm', birth_date: '1940-11-15', region: '371522', alive: true });
    expect(p.chips[0].label_zh).toBe('主体：个人（父亲）');
    expect(p.chips.find((c) => c.field === 'age')).toMatchObject({ value: 85, label_zh: '年龄：85岁', span: [3, 6] });
    expect(p.keywords).toEqual(['待遇']);
  });
});

describe('parseQuestion: ten more', () => {
  it('Chinese numerals, living alone, 低保 and a county by its short name', () => {
    const p = parse('我妈妈七十二岁，一个人住在茌平，吃低保，能领什么');
    expect(p.facts).toEqual({ sex: 'f', birth_date: '1953-11-15', lives_alone: true, region: '371503', dibao: true, alive: true });
    expect(p.keywords).toEqual(expect.arrayContaining(['独居', '低保']));
  });

  it('a functional zone and the trade of an enterprise', () => {
    const p = parse('开发区一家汽配企业，专精特新，有什么奖励');
    expect(p.facts).toMatchObject({ region: 'LC-JKQ', industry_division: '36', key_chain: 'auto_parts', qualifications: ['zjtx'] });
    expect(parse('高新区的企业').facts.region).toBe('LC-GXQ');
    expect(parse('度假区的饭店').facts).toMatchObject({ region: 'LC-DJQ', industry_division: '62' });
  });

  it('software in 东昌府区, from the product brief', () => {
    const p = parse('东昌府区的小微软件企业能享受什么');
    expect(p.facts).toEqual({ region: '371502', size_class: ['small', 'micro'], industry_section: 'I', industry_division: '65' });
    expect(p.keywords).toEqual(['小微', '软件']);
  });

  it('小型微利 is a tax notion, not a size; 中小学 is a school', () => {
    expect(chip('小型微利企业所得税', 'size_class')).toBeUndefined();
    expect(chip('孩子上中小学', 'size_class')).toBeUndefined();
    expect(chip('中型企业', 'size_class')?.value).toBe('medium');
  });

  it('a child with autism: the disability, the age, the place of registration', () => {
    const p = parse('孩子5岁，是孤独症，户口在临清');
    expect(p.relation).toBe('child');
    expect(p.facts).toEqual({ birth_date: '2020-11-15', disability_category: 'mental', hukou_region: '371581', alive: true });
  });

  it('an unspecified disability is any of the seven categories', () => {
    const c = chip('我是残疾人，想自己开个小店', 'disability_category')!;
    expect(c.value).toEqual(['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']);
    expect(parse('重度残疾').facts.disability_grade).toEqual([1, 2]);
  });

  it('employees and revenue of an enterprise', () => {
    const p = parse('我们是高新区的高新技术企业，有50个员工，营收3000万');
    expect(p.facts).toMatchObject({ region: 'LC-GXQ', qualifications: ['gxjs'], employees: 50, revenue: 3000 });
    expect(parse('营业收入1.2亿的企业').facts.revenue).toBe(12000);
  });

  it('reads 去年/今年/上年度 before a figure as its time, not as a word left over', () => {
    for (const when of ['去年', '今年', '上年度', '上一年度的']) {
      const p = parse(`我们是做轴承的企业，${when}营收800万，有什么补贴`);
      expect(p.facts.revenue, when).toBe(800);
      expect(p.keywords.join(' '), when).not.toMatch(/去年|今年|上年|年度/);
      const c = p.chips.find((x) => x.field === 'revenue')!;
      expect(p.text.slice(c.span[0], c.span[1]).startsWith(when.replace('的', '')), when).toBe(true);
    }
    expect(parse('今年有50个员工').facts.employees).toBe(50);
  });

  it('an enterprise that hired graduates is not a graduate', () => {
    const p = parse('高新区企业招了应届毕业生，有补贴吗');
    expect(p.audience).toBe('enterprise');
    expect(p.facts).toEqual({ region: 'LC-GXQ', new_graduate_hires: 1 });
    const grad = parse('我是应届大学毕业生，本科');
    expect(grad.audience).toBe('person');
    expect(grad.facts).toMatchObject({ graduation_year: 2025, education: 'bachelor' });
  });

  it('buying is a resident\'s question even when it names an industry', () => {
    expect(parse('我想买新能源汽车，把旧车报废了，有补贴吗').audience).toBe('person');
    expect(parse('买家电有补贴吗').keywords).toEqual(['家电有补贴']);
  });

  it('the most specific place wins; 聊城户籍 is the registration', () => {
    expect(parse('聊城市莘县的老人').facts.region).toBe('371522');
    expect(parse('我今年60多岁，失业了，聊城户籍').facts).toMatchObject({ hukou_region: '371500', birth_date: '1965-11-15' });
    expect(chip('我今年60多岁', 'age')?.label_zh).toBe('年龄：60多岁（按60岁）');
  });
});

describe('chips and facts', () => {
  it('keeps ages as chips without a date, and turns corrected chips into facts', () => {
    const p = parseQuestion('我父亲85岁', dict);
    expect(p.facts.birth_date).toBeUndefined();
    const corrected = p.chips.map((c) => (c.field === 'age' ? { ...c, value: 86 } : c));
    expect(factsFromChips(corrected, DATE).birth_date).toBe('1939-11-15');
    expect(() => factsFromChips(corrected, '2025-02-30')).toThrow(/YYYY-MM-DD/);
  });

  it('questions with nothing to read give no chips and no audience', () => {
    const p = parse('有什么政策？');
    expect(p.chips).toEqual([]);
    expect(p.audience).toBeUndefined();
    expect(p.keywords).toEqual([]);
  });

  it('never throws; every chip points at text that is there; every fact is a dictionary field', () => {
    const pieces = ['我父亲', '85岁', '莘县', '东昌府区', '轴承', '小微', '低保', '残疾', '，', '有什么补贴', '招了', '毕业生', '营收30万', '企业', 'x', '买'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const p = parse(text);
        for (const c of p.chips) {
          expect(c.span[0]).toBeGreaterThanOrEqual(0);
          expect(c.span[1]).toBeLessThanOrEqual(text.length);
        }
        for (const k of Object.keys(p.facts)) expect(dict.fields.has(k)).toBe(true);
        if (p.audience) for (const k of Object.keys(p.facts)) expect(dict.fields.get(k)!.kinds).toContain(p.audience);
      }),
      { numRuns: 300 },
    );
  });
});
