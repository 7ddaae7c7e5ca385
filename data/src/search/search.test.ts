import { join } from 'node:path';
import { parseDate, type PolicyDocument } from '@kx/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../catalogue/files.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { maxAmount } from './amount.ts';
import { buildSearchIndex, type SearchIndex } from './build.ts';
import { search, suggest } from './search.ts';

const dict = liaochengDictionary();
const demo = loadCatalogue(join(import.meta.dirname, '..', '..', 'policies'), dict);
let index: SearchIndex;
beforeAll(() => {
  index = buildSearchIndex(demo.documents, dict);
});

const ids = (q: string, opts: Parameters<typeof search>[2] = {}) => search(index, q, { kind: 'item', limit: 100, ...opts }).hits.map((h) => h.item_id!);
const item = (id: string) => demo.items.find((i) => i.id === id)!;

describe('search: words, synonyms, typos, pinyin', () => {
  it('ranks the same whatever order the catalogue is read in (ties: shorter title, then id)', () => {
    const reversed = [...demo.documents].reverse().map((d) => ({ ...d, items: [...d.items].reverse() }));
    const other = buildSearchIndex(reversed, dict);
    for (const q of ['zjtx', '小巨人', '补贴', '高龄', 'gljt', '以旧换新'])
      expect(search(other, q, { kind: 'all', limit: 50 }).hits.map((h) => h.item_id ?? h.document_id), q).toEqual(search(index, q, { kind: 'all', limit: 50 }).hits.map((h) => h.item_id ?? h.document_id));
  });

  it('finds 失业保险稳岗返还 first for 稳岗返还, highlighted in title and snippet', () => {
    const r = search(index, '稳岗返还', { kind: 'item' });
    expect(r.hits[0].item_id).toBe('lc-rsj-wgfh');
    expect(r.hits[0].title_html).toBe('失业保险<mark>稳岗返还</mark>');
    expect(r.hits[0].snippet).toContain('<mark>稳岗返还</mark>');
    expect(r.took_ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps domain words whole: 专精特新 does not match every 特 and 新', () => {
    const hits = ids('专精特新');
    expect(hits.slice(0, 3).sort()).toEqual(['dcf-gxj-zjtx-peitao', 'lc-gxj-xjr-award', 'lc-gxj-zjtx-award']);
    expect(hits).not.toContain('lc-swj-yjhx-jd');
  });

  it('expands synonyms: 残障补助 finds the 残疾人 subsidies and says what it searched for', () => {
    const r = search(index, '残障补助', { kind: 'item' });
    expect(r.hits.slice(0, 3).map((h) => h.item_id).sort()).toEqual(['lc-cl-cyfc', 'lc-mzj-cjr-hlbt', 'lc-mzj-cjr-shbt']);
    expect(r.terms.find((t) => t.word === '残障')?.also).toContain('残疾人');
  });

  it('ranks the word typed above its synonym', () => {
    // 小巨人 is a synonym of 专精特新, but the query says 小巨人.
    expect(ids('小巨人')[0]).toBe('lc-gxj-xjr-award');
  });

  it('survives homophone typos: 稳刚返还 and 以旧换薪', () => {
    expect(ids('稳刚返还')[0]).toBe('lc-rsj-wgfh');
    expect(ids('以旧换薪').slice(0, 3).sort()).toEqual(['lc-swj-yjhx-jd', 'lc-swj-yjhx-qc', 'lc-swj-yjhx-sm']);
  });

  it('reads Latin letters as pinyin: initials, full syllables, a syllable cut short', () => {
    const g = search(index, 'gljt', { kind: 'item' });
    expect(g.hits[0].item_id).toBe('lc-mzj-gljt');
    expect(g.hits[0].title_html).toContain('<mark>高龄津贴</mark>');
    expect(ids('wengang')[0]).toBe('lc-rsj-wgfh');
    expect(ids('Wen Gang Fan')[0]).toBe('lc-rsj-wgfh');
    expect(ids('wengan')[0]).toBe('lc-rsj-wgfh');
    expect(ids('zjtx')).toContain('lc-gxj-zjtx-award');
  });

  it('escapes HTML in snippets and titles', () => {
    const doc: PolicyDocument = {
      ...demo.documents[0],
      id: 'x-doc',
      title: '测试<b>文件</b>',
      summary: '稳岗返还 <script>alert(1)</script> & 更多',
      interpretation: '',
      items: [{ ...demo.documents[0].items[0], id: 'x-item', title: '稳岗<i>返还</i>', summary: '稳岗返还 <script>x</script>' }],
    };
    const small = buildSearchIndex([doc], dict);
    const r = search(small, '稳岗返还');
    for (const h of r.hits) {
      expect(h.snippet).not.toMatch(/<(script|b|i)>/);
      expect(h.title_html).not.toMatch(/<(b|i)>/);
    }
    expect(r.hits.find((h) => h.kind === 'item')!.snippet).toContain('&lt;script&gt;');
  });

  it('returns documents as well as items unless told otherwise', () => {
    const r = search(index, '高龄津贴', { limit: 20 });
    expect(r.hits.some((h) => h.kind === 'document' && h.document_id === 'lc-mzj-2025-gljt' && h.item_id === undefined)).toBe(true);
    expect(search(index, '高龄津贴', { kind: 'document' }).hits.every((h) => h.kind === 'document')).toBe(true);
  });

  it('pages with offset and limit over the same total', () => {
    const all = search(index, '补贴', { kind: 'item', limit: 100 });
    const page2 = search(index, '补贴', { kind: 'item', limit: 5, offset: 5 });
    expect(page2.total).toBe(all.total);
    expect(page2.hits.map((h) => h.item_id)).toEqual(all.hits.slice(5, 10).map((h) => h.item_id));
  });
});

describe('search: filters', () => {
  it('region: items whose scope contains the place or lies within it', () => {
    const linqing = ids('技术改造', { filters: { region: '371581' } });
    expect(linqing).toContain('lq-gxj-zc-jigai'); // 临清's own
    expect(linqing).toContain('lc-gxj-jsgz'); // the city's, which contains 临清
    expect(linqing).not.toContain('cp-gxj-lv-jigai'); // 茌平's
    const city = ids('技术改造', { filters: { region: '371500' } });
    expect(city).toEqual(expect.arrayContaining(['lq-gxj-zc-jigai', 'cp-gxj-lv-jigai', 'lc-gxj-jsgz']));
    // A town of the economic zone gets the zone's items and the district's.
    const town = ids('', { filters: { region: '371502008' } });
    expect(town).toEqual(expect.arrayContaining(['jkq-gxj-sgnt', 'dcf-gxj-zjtx-peitao']));
    expect(town).not.toContain('gxq-kjj-gq-award');
  });

  it('audience, mode and department', () => {
    const persons = search(index, '补贴', { kind: 'item', limit: 100, filters: { audience: 'person' } }).hits;
    expect(persons.length).toBeGreaterThan(5);
    expect(persons.every((h) => h.audience === 'person')).toBe(true);
    expect(ids('', { filters: { mode: 'offline', department: 'lc-jyj' } }).sort()).toEqual(['lc-jyj-gzzxj', 'lc-jyj-xqzz', 'lc-jyj-zzzxj']);
    expect(ids('', { filters: { mode: ['auto'] } }).every((id) => item(id).mode === 'auto')).toBe(true);
  });

  it('industry: items whose rule does not rule the industry out', () => {
    const bearing = ids('', { filters: { industry: 'bearing' } });
    expect(bearing).toEqual(expect.arrayContaining(['lq-gxj-zc-cydn', 'lq-gxj-zc-rugui', 'lc-gxj-cyl-rd', 'lc-rsj-wgfh']));
    expect(bearing).not.toContain('cp-gxj-lv-jigai'); // aluminium only
    expect(bearing).not.toContain('lc-swj-xs-entry'); // trade and catering only
    expect(bearing.every((id) => item(id).audience === 'enterprise')).toBe(true);
    const catering = ids('', { filters: { industry: '62' } });
    expect(catering).toContain('lc-swj-xs-entry');
    expect(catering).not.toContain('lq-gxj-zc-cydn');
    expect(catering).not.toContain('lc-gxj-zgsz'); // manufacturing only
    expect(() => ids('', { filters: { industry: 'steel' } })).toThrow(/行业筛选.*industry filter/);
  });

  it('amount: by the most an item can pay', () => {
    const big = ids('', { filters: { amount: { min: 1_000_000 } } });
    expect(big).toEqual(expect.arrayContaining(['lc-gxj-jsgz', 'lc-rsj-wgfh'])); // 300万 cap; no cap
    expect(big).not.toContain('lc-kjj-kjxzx-entry'); // 1万
    const small = ids('', { filters: { amount: { max: 1000 } } });
    expect(small).toContain('lc-rsj-qzcybt');
    expect(small).not.toContain('lc-mzj-dibao'); // no upper bound
  });

  it('open now: valid and inside the application window on the given date', () => {
    const oct = ids('', { filters: { open_now: true }, date: '2025-10-01' });
    const nov = ids('', { filters: { open_now: true }, date: '2025-11-15' });
    expect(oct).not.toContain('lq-mzj-qnjz'); // from 1 November
    expect(nov).toContain('lq-mzj-qnjz');
    expect(oct).toContain('lc-kjj-kjxzx-rd'); // window to 31 October
    expect(nov).not.toContain('lc-kjj-kjxzx-rd');
    expect(() => ids('', { filters: { open_now: true } })).toThrow(/查询日期.*search date/);
    expect(() => ids('', { date: '2025-13-01' })).toThrow(/YYYY-MM-DD/);
  });

  it('a document passes a filter when one of its items does', () => {
    const docs = search(index, '', { kind: 'document', limit: 100, filters: { audience: 'person', region: '371522' } }).hits.map((h) => h.document_id);
    expect(docs).toContain('sx-mzj-2025-sklx');
    expect(docs).not.toContain('lq-gxj-2025-zhoucheng');
  });
});

describe('maxAmount', () => {
  const day = parseDate('2025-11-15')!;
  it('reads caps, fixed awards and tiers; formulas that grow without a cap have none', () => {
    expect(maxAmount(item('lc-gxj-jsgz'), day)).toBe(3_000_000); // min(x × 8%, 300万)
    expect(maxAmount(item('lc-kjj-kjxzx-entry'), day)).toBe(10_000); // $award
    expect(maxAmount(item('lc-mzj-gljt'), day)).toBe(600); // tier by age
    expect(maxAmount(item('lc-gxj-lianzhu'), day)).toBe(2_000_000); // tier by revenue
    expect(maxAmount(item('lc-nyj-gdlbh'), day)).toBeNull(); // per 亩
  });
});

describe('suggest', () => {
  it('completes titles and words as the user types', () => {
    const s = suggest(index, '高龄');
    expect(s[0]).toMatchObject({ kind: 'title', item_id: 'lc-mzj-gljt' });
    expect(suggest(index, '稳').map((x) => x.text)).toContain('稳岗返还');
  });

  it('completes pinyin and initials', () => {
    expect(suggest(index, 'gl')[0].text).toBe('高龄津贴（含百岁老人长寿补贴）');
    expect(suggest(index, 'wengangf').map((x) => x.item_id)).toContain('lc-rsj-wgfh');
    expect(suggest(index, '')).toEqual([]);
    expect(suggest(index, '补', { limit: 3 })).toHaveLength(3);
  });
});
