import { describe, expect, it } from 'vitest';
import { SOURCES } from '../dictionary/fields.ts';
import {
  DEPARTMENTS,
  DEPARTMENT_PREFIX,
  departmentByCode,
  departmentFor,
  departmentsIn,
  departmentsOfKind,
} from './departments.ts';
import { REGION_BY_CODE } from './regions.ts';

describe('the department table', () => {
  it('has 186 departments at city and county level, like the seed', () => {
    expect(DEPARTMENTS).toHaveLength(186);
    expect(DEPARTMENTS.filter((d) => d.level === 'city')).toHaveLength(22);
    expect(DEPARTMENTS.filter((d) => d.level === 'county')).toHaveLength(164);
  });

  it('has unique codes and unique names', () => {
    expect(new Set(DEPARTMENTS.map((d) => d.code)).size).toBe(186);
    expect(new Set(DEPARTMENTS.map((d) => d.name)).size).toBe(186);
    for (const d of DEPARTMENTS) expect(d.code).toMatch(/^[a-z]+-[a-z]+$/);
  });

  it('seats every department in a known region, with the region’s prefix', () => {
    for (const d of DEPARTMENTS) {
      expect(REGION_BY_CODE.has(d.region), d.code).toBe(true);
      expect(d.code.startsWith(`${DEPARTMENT_PREFIX[d.region]}-`), d.code).toBe(true);
    }
    expect(departmentsIn('371500')).toHaveLength(22);
    for (const county of ['371502', '371503', '371521', '371522', '371524', '371525', '371526', '371581'])
      expect(departmentsIn(county), county).toHaveLength(16);
    for (const zone of ['LC-JKQ', 'LC-GXQ', 'LC-DJQ']) expect(departmentsIn(zone), zone).toHaveLength(12);
  });

  it('has the city departments the catalogue refers to', () => {
    const names: Record<string, string> = {
      'lc-rsj': '聊城市人力资源和社会保障局', 'lc-czj': '聊城市财政局', 'lc-mzj': '聊城市民政局', 'lc-gxj': '聊城市工业和信息化局',
      'lc-kjj': '聊城市科学技术局', 'lc-nyj': '聊城市农业农村局', 'lc-swj': '聊城市商务局', 'lc-ybj': '聊城市医疗保障局',
      'lc-cl': '聊城市残疾人联合会', 'lc-sws': '国家税务总局聊城市税务局', 'lc-scj': '聊城市市场监督管理局',
      'lc-fgw': '聊城市发展和改革委员会', 'lc-zjj': '聊城市住房和城乡建设局', 'lc-jyj': '聊城市教育和体育局',
      'lc-tyjrj': '聊城市退役军人事务局', 'lc-dsjj': '聊城市大数据局', 'lc-rmyh': '中国人民银行聊城市分行',
    };
    for (const [code, name] of Object.entries(names)) expect(departmentByCode(code)?.name, code).toBe(name);
  });

  it('names county bureaus after their county', () => {
    expect(departmentByCode('sx-mzj')).toMatchObject({ name: '莘县民政局', region: '371522', level: 'county', kind: 'civil', parent: 'lc-mzj' });
    expect(departmentByCode('lq-sws')?.name).toBe('国家税务总局临清市税务局');
    expect(departmentByCode('cp-rsj')?.region).toBe('371503');
    expect(departmentByCode('gt-fgj')?.parent).toBe('lc-fgw');
    expect(departmentByCode('jkq-czj')).toMatchObject({ name: '聊城经济技术开发区财政局', region: 'LC-JKQ', level: 'county' });
  });

  it('links each county bureau to an existing city bureau of the same kind', () => {
    for (const d of DEPARTMENTS.filter((x) => x.level === 'county')) {
      const parent = departmentByCode(d.parent ?? '');
      expect(parent?.level, d.code).toBe('city');
      expect(parent?.kind, d.code).toBe(d.kind);
    }
  });

  it('names only source systems the field dictionary knows', () => {
    const ids = new Set(SOURCES.map((s) => s.id));
    for (const d of DEPARTMENTS) if (d.source) expect(ids.has(d.source), d.code).toBe(true);
  });
});

describe('lookups', () => {
  it('finds the bureau of a kind serving a region, falling back to the city', () => {
    expect(departmentFor('civil', '371522')?.code).toBe('sx-mzj');
    expect(departmentFor('veterans', 'LC-GXQ')?.code).toBe('lc-tyjrj');
    expect(departmentFor('big_data', '371581')?.code).toBe('lc-dsjj');
    expect(departmentFor('nonexistent', '371522')).toBeUndefined();
    expect(departmentsOfKind('hrss')).toHaveLength(12);
    expect(departmentByCode('xx-rsj')).toBeUndefined();
  });
});

describe('the English names', () => {
  it('name every department in English, uniquely, with the place first and no Chinese left', () => {
    expect(new Set(DEPARTMENTS.map((d) => d.name_en)).size).toBe(186);
    for (const d of DEPARTMENTS) expect(d.name_en, d.code).not.toMatch(/[\u4e00-\u9fff]/);
    expect(departmentByCode('lc-gxj')?.name_en).toBe('Liaocheng Bureau of Industry and Information Technology');
    expect(departmentByCode('sx-mzj')?.name_en).toBe('Shen County Bureau of Civil Affairs');
    expect(departmentByCode('lc-rmyh')?.name_en).toBe("People's Bank of China Liaocheng Branch");
  });

  it('give every region an English name: counties by pinyin and kind', () => {
    for (const r of REGION_BY_CODE.values()) expect(r.name_en, r.code).toMatch(/^[A-Za-z' -]+$/);
    expect(REGION_BY_CODE.get('371502')?.name_en).toBe('Dongchangfu District');
    expect(REGION_BY_CODE.get('371522')?.name_en).toBe('Shen County');
  });
});
