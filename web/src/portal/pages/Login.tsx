// /login?next=… — username and password. Staff land in the console, enterprises and
// residents on 我能享受什么, unless `next` names a page of this site.
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useI18n } from '../../app/i18n.tsx';
import { isStaff, useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../components/common.tsx';

/** Only paths of this site; never an absolute URL or protocol-relative //host. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : null;
}

export default function Login() {
  const { t } = useI18n();
  const { login } = useSession();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const me = await login(v.username.trim(), v.password);
      const next = safeNext(params.get('next'));
      const staff = isStaff(me);
      nav(next && (staff || !next.startsWith('/console')) ? next : staff ? '/console' : '/me', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card style={{ maxWidth: 420, margin: '24px auto' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('登录', 'Log in')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('企业、居民登录后可查看能享受的政策并在线申请；部门工作人员登录后进入工作台。', 'Enterprises and residents see what they are entitled to and apply online; department staff go to the console.')}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} name="login">
        <Form.Item label={t('用户名', 'Username')} name="username" rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('密码', 'Password')} name="password" rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
        <Button type="primary" htmlType="submit" block loading={busy}>{t('登录', 'Log in')}</Button>
      </Form>
    </Card>
  );
}
