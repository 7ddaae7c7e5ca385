// The conditions of a rule as a readable checklist. The server prints one line per condition
// (rule.eligibility_zh / eligibility_en), nested groups indented by two spaces per level;
// checklistRows (checklist-rows.ts) turns them into rows with depth and group heads.
import { useI18n } from '../../app/i18n.tsx';
import { checklistRows } from './checklist-rows.ts';

export function Checklist({ lines, label }: { lines: readonly string[]; label: string }) {
  const { t } = useI18n();
  if (!lines.length) return <p>{t('面向全部适用对象，无其他条件。', 'Open to everyone in scope; no further conditions.')}</p>;
  return (
    <ol aria-label={label} style={{ paddingInlineStart: 0, margin: 0 }} data-testid="checklist">
      {checklistRows(lines).map((r, i) => (
        <li key={i} style={{ listStyle: 'none', marginInlineStart: r.depth * 20, padding: '4px 0', fontWeight: r.group ? 600 : 400 }}>
          {r.group ? '' : <span aria-hidden="true" style={{ color: '#c8102e', marginInlineEnd: 6 }}>☐</span>}
          {r.text}
        </li>
      ))}
    </ol>
  );
}
