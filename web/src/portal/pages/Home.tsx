import { Typography } from 'antd';
import { useI18n } from '../../app/i18n.tsx';

export default function Home() {
  const { t } = useI18n();
  return <Typography.Title level={2}>{t('政策快享', 'Kuaixiang')}</Typography.Title>;
}
