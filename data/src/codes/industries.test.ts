import { describe, expect, it } from 'vitest';
import { SMALL_ENUMS } from '../dictionary/enums.ts';
import {
  CLASSES,
  CLASS_BY_CODE,
  DIVISIONS,
  INDUSTRY_EDITION,
  INDUSTRY_ENUMS,
  KEY_CHAINS,
  SECTIONS,
  chainsOf,
  divisionOf,
  industryFacts,
  sectionOf,
  toEdition2017,
} from './industries.ts';

describe('GB/T 4754-2017 tables', () => {
  it('has the 20 sections with the division ranges of domain.md §3', () => {
    expect(SECTIONS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    const ranges = Object.fromEntries(SECTIONS.map((s) => [s.code, `${s.from}-${s.to}`]));
    expect(ranges).toEqual({
      A: '01-05', B: '06-12', C: '13-43', D: '44-46', E: '47-50', F: '51-52', G: '53-60', H: '61-62',
      I: '63-65', J: '66-69', K: '70-70', L: '71-72', M: '73-75', N: '76-79', O: '80-82', P: '83-83',
      Q: '84-85', R: '86-90', S: '91-96', T: '97-97',
    });
  });

  it('has all 97 divisions, numbered 01–97, each in the section whose range holds it', () => {
    expect(DIVISIONS).toHaveLength(97);
    expect(DIVISIONS.map((d) => d.code)).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
    for (const d of DIVISIONS) {
      const s = SECTIONS.find((x) => x.code === d.section)!;
      expect(d.code >= s.from && d.code <= s.to).toBe(true);
      expect(d.zh.length).toBeGreaterThan(0);
      expect(d.en.length).toBeGreaterThan(0);
    }
  });

  it('names the manufacturing divisions as domain.md lists them', () => {
    const name = (c: string) => DIVISIONS.find((d) => d.code === c)!.zh;
    expect(name('13')).toBe('农副食品加工业');
    expect(name('27')).toBe('医药制造业');
    expect(name('34')).toBe('通用设备制造业');
    expect(name('36')).toBe('汽车制造业');
    expect(name('43')).toBe('金属制品、机械和设备修理业');
    expect(name('51')).toBe('批发业');
    expect(name('65')).toBe('软件和信息技术服务业');
  });

  it('carries every class named in domain.md §3 with its 2017 name', () => {
    const named: Record<string, string> = {
      '3451': '滚动轴承制造', '3452': '滑动轴承制造', '3453': '齿轮及齿轮减、变速箱制造', '3459': '其他传动部件制造',
      '3216': '铝冶炼', '3252': '铝压延加工', '3251': '铜压延加工', '3130': '钢压延加工', '3311': '金属结构制造',
      '5164': '金属及金属矿批发', '1711': '棉纺纱加工', '1712': '棉织造加工', '1713': '棉印染精加工',
      '2614': '有机化学原料制造', '2621': '氮肥制造', '2651': '初级形态塑料及合成树脂制造', '2661': '化学试剂和助剂制造',
      '3611': '汽柴油车整车制造', '3612': '新能源车整车制造', '3660': '汽车车身、挂车制造', '3670': '汽车零部件及配件制造',
      '2710': '化学药品原料药制造', '2720': '化学药品制剂制造', '2730': '中药饮片加工', '2740': '中成药生产',
      '2761': '生物药品制造', '2762': '基因工程药物和疫苗制造', '2770': '卫生材料及医药用品制造',
      '1351': '牲畜屠宰', '1352': '禽类屠宰', '1353': '肉制品及副产品加工', '1371': '蔬菜加工', '1391': '淀粉及淀粉制品制造',
      '7010': '房地产开发经营', '7020': '物业管理', '6110': '旅游饭店', '6210': '正餐服务',
    };
    for (const [code, zh] of Object.entries(named)) expect(CLASS_BY_CODE.get(code)?.zh, code).toBe(zh);
  });

  it('has unique class codes, each in an existing division, and some class in every section', () => {
    expect(new Set(CLASSES.map((c) => c.code)).size).toBe(CLASSES.length);
    for (const c of CLASSES) {
      expect(c.code).toMatch(/^\d{4}$/);
      expect(divisionOf(c.code)).toBe(c.division);
      expect(c.en.length).toBeGreaterThan(0);
    }
    expect(new Set(CLASSES.map((c) => c.section)).size).toBe(20);
  });
});

describe('enums for the dictionary', () => {
  it('exports industry_section, industry_division and industry_class', () => {
    const byName = new Map(INDUSTRY_ENUMS.map((e) => [e.name, e]));
    expect(byName.get('industry_section')!.values.map((v) => v.code)).toContain('C');
    expect(byName.get('industry_division')!.values.map((v) => v.code)).toContain('34');
    expect(byName.get('industry_class')!.values.find((v) => v.code === '3451')?.zh).toBe('滚动轴承制造');
  });
});

describe('helpers', () => {
  it('finds the division and section of a code', () => {
    expect(divisionOf('3451')).toBe('34');
    expect(divisionOf('345')).toBe('34');
    expect(divisionOf('34')).toBe('34');
    expect(divisionOf('98')).toBeUndefined();
    expect(divisionOf('C3451')).toBeUndefined();
    expect(sectionOf('3451')).toBe('C');
    expect(sectionOf('34')).toBe('C');
    expect(sectionOf('53')).toBe('G');
    expect(sectionOf('7020')).toBe('K');
    expect(sectionOf('97')).toBe('T');
    expect(sectionOf('F')).toBe('F');
    expect(sectionOf('00')).toBeUndefined();
  });

  it('gives the four industry facts with the edition', () => {
    expect(industryFacts('3451')).toEqual({
      industry_section: 'C', industry_division: '34', industry_code: '3451', industry_edition: 'GB/T 4754-2017',
    });
    expect(() => industryFacts('3499')).toThrow(/3499.*GB\/T 4754-2017/);
  });

  it('facts use only codes the dictionary enums know', () => {
    const codes = (name: string) => new Set(INDUSTRY_ENUMS.find((e) => e.name === name)!.values.map((v) => v.code));
    const editions = SMALL_ENUMS.find((e) => e.name === 'industry_edition')!.values.map((v) => v.code);
    for (const c of CLASSES) {
      const f = industryFacts(c.code);
      expect(codes('industry_section').has(f.industry_section)).toBe(true);
      expect(codes('industry_division').has(f.industry_division)).toBe(true);
      expect(editions).toContain(f.industry_edition);
    }
  });
});

describe('key chains', () => {
  it('maps exactly the 12 chains of the key_chain enum (all but none) to known classes', () => {
    const chainEnum = SMALL_ENUMS.find((e) => e.name === 'key_chain')!.values.map((v) => v.code).filter((c) => c !== 'none');
    expect(chainEnum).toHaveLength(12);
    expect(Object.keys(KEY_CHAINS).sort()).toEqual([...chainEnum].sort());
    for (const classes of Object.values(KEY_CHAINS)) {
      expect(classes.length).toBeGreaterThan(0);
      for (const c of classes) expect(CLASS_BY_CODE.has(c), c).toBe(true);
    }
  });

  it('puts bearings in 3451 and auto parts in 3670, not the 2011 code', () => {
    expect(chainsOf('3451')).toEqual(['bearing']);
    expect(chainsOf('3670')).toEqual(['auto_parts']);
    expect(chainsOf('6210')).toEqual([]);
  });
});

describe('2011 → 2017', () => {
  it('moves 2011 3660 汽车零部件 to 2017 3670', () => {
    expect(toEdition2017('3660', 'GB/T 4754-2011')).toEqual({ ok: true, code: '3670', edition: INDUSTRY_EDITION });
    expect(toEdition2017('3650', 'GB/T 4754-2011')).toMatchObject({ ok: true, code: '3660' });
  });

  it('keeps 2017 codes and unchanged 2011 codes, and refuses to guess 2011 3610', () => {
    expect(toEdition2017('3660', 'GB/T 4754-2017')).toMatchObject({ ok: true, code: '3660' });
    expect(toEdition2017('3451', 'GB/T 4754-2011')).toMatchObject({ ok: true, code: '3451' });
    expect(toEdition2017('3610', 'GB/T 4754-2011')).toMatchObject({ ok: false, candidates: ['3611', '3612'] });
    expect(toEdition2017('3451', 'GB/T 4754-2002')).toMatchObject({ ok: false });
  });
});
