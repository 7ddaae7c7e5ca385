// Small pieces shared by the console pages.
import { Tag } from 'antd';
import { useI18n } from '../app/i18n.tsx';

/**
 * Remaining WORKING days of a review step as a coloured tag that also says it in words
 * (colour is never the only signal): overdue, due today, ≤ 2 days, ≤ 5 days, more.
 */
export function DeadlineTag({ days, overdue, deadline }: { days: number | null; overdue: boolean; deadline: string | null }) {
  const { t } = useI18n();
  if (days === null) return <Tag>{t('无时限', 'no deadline')}</Tag>;
  const [color, text] = overdue || days < 0
    ? ['red', t(`已超期 ${Math.abs(days)} 个工作日`, `overdue by ${Math.abs(days)} working days`)]
    : days === 0 ? ['volcano', t('今天到期', 'due today')]
    : days <= 2 ? ['orange', t(`剩 ${days} 个工作日`, `${days} working days left`)]
    : days <= 5 ? ['gold', t(`剩 ${days} 个工作日`, `${days} working days left`)]
    : ['green', t(`剩 ${days} 个工作日`, `${days} working days left`)];
  return <Tag color={color} title={deadline ?? undefined}>{text}{deadline ? ` · ${deadline}` : ''}</Tag>;
}

export const STATUS_ZH: Record<string, [string, string]> = {
  draft: ['草稿', 'draft'], submitted: ['待审核', 'submitted'], approved: ['已审核待发布', 'approved'], published: ['已发布', 'published'],
  superseded: ['已被取代', 'superseded'], expired: ['已失效', 'expired'], withdrawn: ['已撤回', 'withdrawn'], rejected: ['已退回', 'rejected'],
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const [zh, en] = STATUS_ZH[status] ?? [status, status];
  const color = status === 'published' ? 'green' : status === 'submitted' || status === 'approved' ? 'blue' : status === 'rejected' ? 'red' : undefined;
  return <Tag color={color}>{t(zh, en)}</Tag>;
}

const BATCH_STATUS: Record<string, [string, string, string]> = {
  draft: ['待导出', 'not exported', 'default'], exported: ['已导出待回盘', 'exported', 'blue'], reconciled: ['已对账', 'reconciled', 'green'], partially_failed: ['部分失败', 'partially failed', 'red'],
};

/** A payout batch's status in words (and colour). */
export function BatchStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const [zh, en, color] = BATCH_STATUS[status] ?? [status, status, 'default'];
  return <Tag color={color}>{t(zh, en)}</Tag>;
}
