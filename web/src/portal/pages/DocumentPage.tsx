// /documents/:id — a policy document: its number, issuers, dates, full text of the
// interpretation, and the items it contains with their mode.
import { Link, useParams } from 'react-router-dom';
import { Card, Descriptions, List, Space, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { AudienceTag, Loading, ModeBadge, ZhOnly, useLoad } from '../components/common.tsx';
import { useDepartmentName } from '../../app/departments.ts';

export default function DocumentPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const deptName = useDepartmentName();
  const state = useLoad(() => api.get('/api/v1/documents/{id}', { params: { id } }), [id]);
  return (
    <Loading state={state}>
      {(d) => (
        <div style={{ maxWidth: 960, margin: '0 auto' }}>
          <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}><ZhOnly text={d.title} /></Typography.Title>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={[
            { key: 'no', label: t('文号', 'Number'), children: d.number },
            { key: 'issuers', label: t('发文机关', 'Issued by'), children: d.issuers.map((c) => deptName(c)).join(locale === 'en' ? '; ' : '、') },
            { key: 'pub', label: t('发布日期', 'Published'), children: d.published_on },
            { key: 'valid', label: t('有效期', 'In force'), children: `${d.valid_from ?? '—'} — ${d.valid_to ?? t('长期', 'open-ended')}` },
            ...(d.url ? [{ key: 'url', label: t('原文', 'Original'), children: <a href={d.url} target="_blank" rel="noreferrer">{d.url}</a> }] : []),
          ]} />
          <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('政策事项', 'Items in this document')}</Typography.Title>}>
            <List dataSource={d.items} renderItem={(i) => (
              <List.Item>
                <Space wrap>
                  <Link to={`/items/${encodeURIComponent(i.id)}`}>{locale === 'en' && i.title_en ? i.title_en : i.title}</Link>
                  <ModeBadge mode={i.mode} /><AudienceTag audience={i.audience} />
                </Space>
              </List.Item>
            )} />
          </Card>
          <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('摘要与解读', 'Summary and interpretation')}</Typography.Title>}>
            {d.summary && <Typography.Paragraph strong><ZhOnly text={d.summary} /></Typography.Paragraph>}
            {locale === 'en' && <Typography.Paragraph type="secondary">(The interpretation below is in Chinese only.)</Typography.Paragraph>}
            <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }} data-testid="document-text" lang="zh-CN">{d.interpretation}</div>
          </Card>
        </div>
      )}
    </Loading>
  );
}
