// The visual condition builder: nested "all of / any of" groups (optionally negated) of
// condition rows — field from the dictionary, operator by the field's type, value by type
// (code-table pickers for enums and sets, the region list for regions, typed literals or a
// $parameter otherwise). What it cannot show as a row stays rule text in a raw box.
import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Input, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Expr } from '../../../../engine/src/ast/ast.ts';
import { stripLoc } from '../../../../engine/src/ast/ast.ts';
import { safeParseExpr } from '../../../../engine/src/syntax/parser.ts';
import { printExpr } from '../../../../engine/src/syntax/printer.ts';
import { useI18n, useLabel } from '../../app/i18n.tsx';
import { addChild, newId, updateNode, type BNode, type Cond, type CondOp, type Group, type Operand, type SubjectFn } from './convert.ts';
import type { DictionaryView } from './dictionary.ts';

type FieldView = DictionaryView['fields'][number];
type T = (zh: string, en: string) => string;

/** The value type a condition compares: a date function of a date field gives a number. */
function subjectType(f: FieldView | undefined, fn: SubjectFn | undefined): FieldView['type'] | undefined {
  if (!f) return undefined;
  return fn ? 'int' : f.type;
}

export function opsFor(type: FieldView['type'] | undefined): CondOp[] {
  switch (type) {
    case 'int':
    case 'dec':
      return ['>=', '>', '<=', '<', '=', '!=', 'between', 'known', 'missing'];
    case 'date':
      return ['<', '>', '<=', '>=', '=', 'between', 'known', 'missing'];
    case 'enum':
      return ['=', '!=', 'in', 'not in', 'known', 'missing'];
    case 'set':
      return ['contains any', 'contains all', 'contains none', 'known', 'missing'];
    case 'region':
      return ['within', 'not within', 'known', 'missing'];
    case 'bool':
      return ['=', 'known', 'missing'];
    case 'text':
      return ['=', '!=', 'known', 'missing'];
    default:
      return ['=', '!=', '>=', '<=', 'known', 'missing'];
  }
}

export function opLabel(op: CondOp, type: FieldView['type'] | undefined, t: T): string {
  if (type === 'date' && op === '<') return t('早于', 'before');
  if (type === 'date' && op === '>') return t('晚于', 'after');
  const labels: Record<CondOp, [string, string]> = {
    '=': ['等于', 'equals'], '!=': ['不等于', 'is not'], '>': ['大于', 'more than'], '>=': ['不少于（≥）', 'at least (≥)'],
    '<': ['小于', 'less than'], '<=': ['不超过（≤）', 'at most (≤)'], between: ['介于（含两端）', 'between (inclusive)'],
    in: ['属于其中之一', 'is one of'], 'not in': ['不属于', 'is none of'], 'contains any': ['包含任一', 'contains any of'],
    'contains all': ['包含全部', 'contains all of'], 'contains none': ['不包含', 'contains none of'], within: ['位于', 'within'],
    'not within': ['不位于', 'not within'], known: ['已知', 'is known'], missing: ['缺失', 'is missing'],
  };
  return t(...labels[op]);
}

const FNS: { fn: SubjectFn | ''; zh: string; en: string }[] = [
  { fn: '', zh: '日期本身', en: 'the date' },
  { fn: 'age', zh: '周岁（年龄）', en: 'age in years' },
  { fn: 'years_since', zh: '距今满几年', en: 'full years since' },
  { fn: 'months_since', zh: '距今满几个月', en: 'full months since' },
  { fn: 'days_since', zh: '距今天数', en: 'days since' },
];

/** A literal or $parameter typed as rule text; errors say why it is not a value. */
function OperandInput({ value, onChange, label, placeholder, suffix }: { value: Operand | undefined; onChange(v: Operand | undefined): void; label: string; placeholder?: string; suffix?: string }) {
  const { t } = useI18n();
  const shown = value ? printExpr(value) : '';
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setText((cur) => (cur.trim() === shown ? cur : shown)); }, [shown]);
  const change = (s: string) => {
    setText(s);
    if (!s.trim()) { setError(null); onChange(undefined); return; }
    const r = safeParseExpr(s);
    if (r.ok && (r.value.op === 'lit' || r.value.op === 'param')) { setError(null); onChange(stripLoc(r.value) as Operand); }
    else setError(t('应为一个值（数字、日期、"代码"、true/false）或 $参数', 'a value (number, date, "code", true/false) or a $parameter'));
  };
  return (
    <span>
      <Input aria-label={label} value={text} placeholder={placeholder} status={error ? 'error' : undefined} onChange={(e) => change(e.target.value)} suffix={suffix} style={{ width: 170 }} />
      {error && <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }} role="alert">{error}</Typography.Text>}
    </span>
  );
}

const codesOf = (v: Operand | undefined): string[] => {
  if (!v || v.op !== 'lit') return [];
  const x = v.value;
  if (typeof x === 'string') return [x];
  if (typeof x === 'object' && 'list' in x) return x.list.filter((c): c is string => typeof c === 'string');
  return [];
};

function ValueEditor({ cond, field, view, onChange }: { cond: Cond; field: FieldView | undefined; view: DictionaryView; onChange(values: Operand[], regions?: string[]): void }) {
  const { t } = useI18n();
  const label = useLabel();
  const type = subjectType(field, cond.fn);
  const op = cond.op;
  const vlabel = t('取值', 'Value');
  if (op === 'known' || op === 'missing') return null;
  if (op === 'within' || op === 'not within')
    return (
      <Select
        mode="multiple" aria-label={t('区域', 'Regions')} style={{ minWidth: 220 }} value={cond.regions ?? []} placeholder={t('选择区域', 'Choose regions')}
        onChange={(rs: string[]) => onChange([], rs)} optionFilterProp="label"
        options={view.regions.map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
      />
    );
  const enumDef = field?.enum ? view.enums.find((e) => e.name === field.enum) : undefined;
  const isParam = cond.values[0]?.op === 'param';
  if (enumDef && (type === 'enum' || type === 'set') && !isParam) {
    const multiple = op !== '=' && op !== '!=';
    const codes = codesOf(cond.values[0]);
    const options = enumDef.values.map((v) => ({ value: v.code, label: `${label(v)}（${v.code}）` }));
    return multiple ? (
      <Select
        aria-label={vlabel} style={{ minWidth: 220 }} showSearch optionFilterProp="label" options={options} placeholder={t('选择代码', 'Choose codes')}
        mode="multiple" value={codes} onChange={(cs: string[]) => onChange(cs.length ? [{ op: 'lit', value: { list: cs } }] : [])}
      />
    ) : (
      <Select
        aria-label={vlabel} style={{ minWidth: 220 }} showSearch optionFilterProp="label" options={options} placeholder={t('选择代码', 'Choose codes')}
        value={codes[0]} onChange={(c: string) => onChange([{ op: 'lit', value: c }])}
      />
    );
  }
  if (type === 'bool' && !isParam)
    return (
      <Select
        aria-label={vlabel} style={{ width: 120 }} value={cond.values[0]?.op === 'lit' ? String(cond.values[0].value) : undefined}
        onChange={(v: string) => onChange([{ op: 'lit', value: v === 'true' }])}
        options={[{ value: 'true', label: t('是', 'yes') }, { value: 'false', label: t('否', 'no') }]}
      />
    );
  const unit = !cond.fn && field?.unit ? label(field.unit) : cond.fn === 'age' || cond.fn === 'years_since' ? t('年', 'years') : cond.fn === 'months_since' ? t('月', 'months') : undefined;
  const ph = type === 'date' ? 'YYYY-MM-DD' : type === 'enum' || type === 'set' ? '$list' : type === 'text' ? '"…"' : field?.percent ? '5%' : '0';
  if (op === 'between')
    return (
      <Space size={4} wrap>
        <OperandInput label={t('下限', 'From')} value={cond.values[0]} placeholder={ph} suffix={unit} onChange={(v) => onChange([v, cond.values[1]].filter(Boolean) as Operand[])} />
        <span>{t('至', 'to')}</span>
        <OperandInput label={t('上限', 'To')} value={cond.values[1]} placeholder={ph} suffix={unit} onChange={(v) => onChange(cond.values[0] ? ([cond.values[0], v].filter(Boolean) as Operand[]) : [])} />
      </Space>
    );
  return <OperandInput label={vlabel} value={cond.values[0]} placeholder={ph} suffix={unit} onChange={(v) => onChange(v ? [v] : [])} />;
}

function CondRow({ cond, view, onChange, onRemove, index }: { cond: Cond; view: DictionaryView; onChange(c: Cond): void; onRemove(): void; index: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const field = view.fields.find((f) => f.key === cond.field);
  const type = subjectType(field, cond.fn);
  const ops = opsFor(type);
  const setField = (key: string) => {
    const f = view.fields.find((x) => x.key === key);
    const nextOps = opsFor(f?.type);
    onChange({ ...cond, field: key, fn: undefined, op: nextOps.includes(cond.op) && f?.type === field?.type ? cond.op : nextOps[0], values: f?.type === field?.type ? cond.values : [], regions: undefined });
  };
  const setOp = (op: CondOp) => {
    const arity = (o: CondOp) => (o === 'between' ? 2 : o === 'known' || o === 'missing' || o === 'within' || o === 'not within' ? 0 : o === 'in' || o === 'not in' || o.startsWith('contains') ? 'list' : 1);
    onChange({ ...cond, op, values: arity(op) === arity(cond.op) ? cond.values : [], regions: op === 'within' || op === 'not within' ? cond.regions : undefined });
  };
  return (
    <div role="group" aria-label={`${t('条件', 'Condition')} ${index}`} style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'flex-start', padding: '6px 0', borderBottom: '1px dashed #eee' }}>
      <Select
        aria-label={t('字段', 'Field')} showSearch style={{ minWidth: 200, maxWidth: '100%' }} value={cond.field || undefined} placeholder={t('选择字段', 'Choose a field')}
        optionFilterProp="label" onChange={setField}
        options={view.fields.map((f) => ({ value: f.key, label: `${label(f.label)}${f.unit ? `（${label(f.unit)}）` : ''} · ${f.key}` }))}
      />
      {field?.type === 'date' && (
        <Select
          aria-label={t('取日期的', 'Of the date')} style={{ width: 150 }} value={cond.fn ?? ''}
          onChange={(fn: SubjectFn | '') => onChange({ ...cond, fn: fn || undefined, op: opsFor(fn ? 'int' : 'date')[0], values: [] })}
          options={FNS.map((f) => ({ value: f.fn, label: t(f.zh, f.en) }))}
        />
      )}
      <Select aria-label={t('运算符', 'Operator')} style={{ width: 150 }} value={cond.op} onChange={setOp} options={ops.map((o) => ({ value: o, label: opLabel(o, type, t) }))} />
      <ValueEditor cond={cond} field={field} view={view} onChange={(values, regions) => onChange({ ...cond, values, ...(regions ? { regions } : {}) })} />
      <Button aria-label={`${t('删除条件', 'Remove condition')} ${index}`} icon={<DeleteOutlined />} onClick={onRemove} type="text" danger />
    </div>
  );
}

function RawRow({ expr, onChange, onRemove, index }: { expr: Expr; onChange(e: Expr): void; onRemove(): void; index: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => printExpr(expr));
  const [error, setError] = useState<string | null>(null);
  return (
    <div role="group" aria-label={`${t('条件', 'Condition')} ${index}`} style={{ display: 'flex', gap: 6, alignItems: 'flex-start', padding: '6px 0' }}>
      <div style={{ flex: 1 }}>
        <Tag>{t('规则文本', 'Rule text')}</Tag>
        <Input.TextArea
          aria-label={`${t('条件文本', 'Condition text')} ${index}`} autoSize value={text} style={{ fontFamily: 'monospace' }}
          onChange={(e) => {
            setText(e.target.value);
            const r = safeParseExpr(e.target.value);
            if (r.ok) { setError(null); onChange(stripLoc(r.value)); } else setError(`${r.error.loc ? `${r.error.loc.line}:${r.error.loc.col} ` : ''}${t(r.error.zh, r.error.en)}`);
          }}
        />
        {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
      </div>
      <Button aria-label={`${t('删除条件', 'Remove condition')} ${index}`} icon={<DeleteOutlined />} onClick={onRemove} type="text" danger />
    </div>
  );
}

function GroupBox({ group, root, view, set, index }: { group: Group; root: Group; view: DictionaryView; set(g: Group): void; index: string }) {
  const { t } = useI18n();
  const isRoot = group.id === root.id;
  const upd = (id: string, fn: (n: BNode) => BNode | null) => set(updateNode(root, id, fn));
  const newCond = (): Cond => ({ kind: 'cond', id: newId(), field: '', op: '=', values: [] });
  return (
    <Card
      size="small" role="group" aria-label={isRoot ? t('条件组（根）', 'Condition group (root)') : `${t('条件组', 'Condition group')} ${index}`}
      style={{ marginTop: isRoot ? 0 : 8, borderLeft: `3px solid ${group.logic === 'all' ? '#1677ff' : '#fa8c16'}` }}
      title={
        <Space wrap>
          <Select
            aria-label={t('组合方式', 'Combine')} value={group.logic} style={{ width: 150 }}
            onChange={(logic: 'all' | 'any') => upd(group.id, (n) => ({ ...(n as Group), logic }))}
            options={[{ value: 'all', label: t('全部满足（且）', 'all of (and)') }, { value: 'any', label: t('满足任一（或）', 'any of (or)') }]}
          />
          <Checkbox checked={group.negate} onChange={(e) => upd(group.id, (n) => ({ ...(n as Group), negate: e.target.checked }))}>{t('取反（不满足）', 'negate (not)')}</Checkbox>
        </Space>
      }
      extra={!isRoot && <Button aria-label={`${t('删除条件组', 'Remove group')} ${index}`} icon={<DeleteOutlined />} type="text" danger onClick={() => upd(group.id, () => null)} />}
    >
      {group.children.length === 0 && <div><Typography.Text type="secondary">{t('尚无条件', 'No conditions yet')}</Typography.Text></div>}
      {group.children.map((c, i) => {
        const idx = `${index ? `${index}.` : ''}${i + 1}`;
        if (c.kind === 'group') return <GroupBox key={c.id} group={c} root={root} view={view} set={set} index={idx} />;
        if (c.kind === 'raw') return <RawRow key={c.id} expr={c.expr} index={idx} onChange={(expr) => upd(c.id, (n) => ({ ...(n as BNode), kind: 'raw', expr }) as BNode)} onRemove={() => upd(c.id, () => null)} />;
        return <CondRow key={c.id} cond={c} view={view} index={idx} onChange={(nc) => upd(c.id, () => nc)} onRemove={() => upd(c.id, () => null)} />;
      })}
      <Space style={{ marginTop: 8 }} wrap>
        <Button icon={<PlusOutlined />} onClick={() => set(addChild(root, group.id, newCond()))}>{t('添加条件', 'Add condition')}</Button>
        <Button icon={<PlusOutlined />} onClick={() => set(addChild(root, group.id, { kind: 'group', id: newId(), logic: 'any', negate: false, children: [newCond()] }))}>
          {t('添加条件组', 'Add group')}
        </Button>
      </Space>
    </Card>
  );
}

export function Builder({ tree, onChange, view }: { tree: Group; onChange(g: Group): void; view: DictionaryView }) {
  return <GroupBox group={tree} root={tree} view={view} set={onChange} index="" />;
}
