// The mode badge (免申即享 / 网上申请 / 线下办理) and the audience tag, in words as well as colour.
// Their own file: the first page needs them without the rest of common.tsx.
import { Tag } from 'antd';
import { useI18n } from '../../app/i18n.tsx';

const MODE: Record<string, { zh: string; en: string; color: string }> = {
  auto: { zh: '免申即享', en: 'No application needed', color: 'green' },
  online: { zh: '网上申请', en: 'Apply online', color: 'blue' },
  offline: { zh: '线下办理', en: 'Apply in person', color: 'default' },
};
export function ModeBadge({ mode }: { mode: string }) {
  const { t } = useI18n();
  const m = MODE[mode] ?? { zh: mode, en: mode, color: 'default' };
  return <Tag color={m.color} data-mode={mode}>{t(m.zh, m.en)}</Tag>;
}

export function AudienceTag({ audience }: { audience: string }) {
  const { t } = useI18n();
  return <Tag>{audience === 'enterprise' ? t('企业', 'Enterprises') : t('个人', 'Residents')}</Tag>;
}
