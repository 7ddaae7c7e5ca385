import { Typography } from 'antd';
import { useI18n } from '../../app/i18n.tsx';

export default function Overview() {
  const { t } = useI18n();
  return <Typography.Title level={2}>{t('工作台', 'Console')}</Typography.Title>;
}
