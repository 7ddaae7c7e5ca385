// /apply/:itemId — starts (or reopens) the application for an item: POST /api/v1/applications
// returns the draft prefilled from the profile (or this period's existing application), then
// the application page takes over.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Spin, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ErrorAlert, RequireEntity } from '../components/common.tsx';

function Start({ itemId }: { itemId: string }) {
  const { t } = useI18n();
  const nav = useNavigate();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stale = false;
    api.post('/api/v1/applications', { body: { item_id: itemId } }).then(
      (a) => { if (!stale) nav(`/me/applications/${a.id}`, { replace: true }); },
      (e: unknown) => { if (!stale) setError(e); },
    );
    return () => { stale = true; };
  }, [itemId, nav]);
  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('在线申请', 'Apply online')}</Typography.Title>
      {error ? (
        <>
          <ErrorAlert error={error} />
          <Link to={`/items/${encodeURIComponent(itemId)}`}>{t('返回事项', 'Back to the item')}</Link>
        </>
      ) : <Spin aria-label={t('正在按档案预填申请表', 'Prefilling the form from your profile')} />}
    </div>
  );
}

export default function Apply() {
  const { itemId = '' } = useParams();
  return <RequireEntity><Start itemId={itemId} /></RequireEntity>;
}
