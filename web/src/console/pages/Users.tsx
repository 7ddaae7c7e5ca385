// Users and departments (admin): the list, a new user with role and department, lock/unlock.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type User = ResponseOf<'/api/v1/users', 'get'>[number];
type Dept = ResponseOf<'/api/v1/departments', 'get'>[number];
const ROLES = ['clerk', 'approver', 'payout', 'admin', 'leader', 'enterprise', 'resident'] as const;
const ROLE_ZH: Record<string, [string, string]> = {
  clerk: ['经办人', 'clerk'], approver: ['审核人', 'approver'], payout: ['兑付人员', 'payout officer'], admin: ['管理员', 'admin'],
  leader: ['领导', 'leader'], enterprise: ['企业', 'enterprise'], resident: ['居民', 'resident'],
};

export default function Users() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [users, setUsers] = useState<User[]>();
  const [depts, setDepts] = useState<Dept[]>([]);
  const [error, setError] = useState<string>();
  const [q, setQ] = useState('');
  const [form, setForm] = useState<{ username: string; display_name: string; role: (typeof ROLES)[number]; department?: string; password: string }>({ username: '', display_name: '', role: 'clerk', password: '' });
  const load = useCallback(() => api.get('/api/v1/users').then(setUsers, (e: unknown) => setError(errorText(e, locale))), [locale]);
  useEffect(() => { void load(); void api.get('/api/v1/departments').then(setDepts, () => undefined); }, [load]);
  const deptName = (c: string | null) => depts.find((d) => d.code === c)?.name ?? c ?? '—';
  const needle = q.trim().toLowerCase();
  const shown = (users ?? []).filter((u) => !needle || [u.username, u.display_name, u.role, ...(ROLE_ZH[u.role] ?? []), u.department ?? '', deptName(u.department)].some((x) => x.toLowerCase().includes(needle)));
  const create = async () => {
    try {
      await api.post('/api/v1/users', { body: { username: form.username, display_name: form.display_name, role: form.role, password: form.password, ...(form.department ? { department: form.department } : {}) } });
      message.success(t('用户已创建', 'User created'));
      setQ(form.username); // show the new user at once, whatever page it would fall on
      setForm({ username: '', display_name: '', role: 'clerk', password: '' });
      await load();
    } catch (e) { message.error(errorText(e, locale)); }
  };
  const lock = async (u: User, locked: boolean) => {
    try { await api.put('/api/v1/users/{id}/lock', { params: { id: u.id }, body: { locked } }); message.success(locked ? t('已锁定', 'Locked') : t('已解锁', 'Unlocked')); await load(); }
    catch (e) { message.error(errorText(e, locale)); }
  };
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('用户与部门', 'Users & departments')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Card title={t('新建用户', 'New user')} size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" component="div">
          <Space wrap align="end">
            <Form.Item label={t('用户名', 'Username')} htmlFor="u-name"><Input id="u-name" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} /></Form.Item>
            <Form.Item label={t('姓名', 'Display name')} htmlFor="u-display"><Input id="u-display" value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} /></Form.Item>
            <Form.Item label={t('角色', 'Role')} htmlFor="u-role"><Select id="u-role" style={{ width: 140 }} value={form.role} onChange={(r) => setForm({ ...form, role: r })} options={ROLES.filter((r) => r !== 'enterprise' && r !== 'resident').map((r) => ({ value: r, label: t(...ROLE_ZH[r]) }))} /></Form.Item>
            <Form.Item label={t('部门', 'Department')} htmlFor="u-dept"><Select id="u-dept" allowClear showSearch optionFilterProp="label" style={{ width: 220 }} value={form.department} onChange={(d) => setForm({ ...form, department: d })} options={depts.map((d) => ({ value: d.code, label: d.name }))} /></Form.Item>
            <Form.Item label={t('初始密码（≥10 位，含字母和数字）', 'Password (≥ 10, letters and digits)')} htmlFor="u-pw"><Input.Password id="u-pw" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" /></Form.Item>
            <Form.Item><Button type="primary" onClick={() => void create()} disabled={!form.username || !form.display_name || !form.password}>{t('创建用户', 'Create user')}</Button></Form.Item>
          </Space>
        </Form>
      </Card>
      <Input.Search aria-label={t('搜索用户', 'Search users')} placeholder={t('用户名、姓名、角色或部门', 'Username, name, role or department')} allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: 320, marginBottom: 8 }} />
      <Table
        rowKey="id" dataSource={shown} loading={!users && !error} scroll={{ x: 'max-content' }} size="small"
        columns={[
          { title: t('用户名', 'Username'), dataIndex: 'username' },
          { title: t('姓名', 'Name'), dataIndex: 'display_name' },
          { title: t('角色', 'Role'), dataIndex: 'role', render: (r: string) => t(...(ROLE_ZH[r] ?? [r, r])) },
          { title: t('部门', 'Department'), dataIndex: 'department', render: deptName },
          { title: t('状态', 'Status'), dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag color="red">{t('已锁定', 'locked')}</Tag> : <Tag color="green">{t('正常', 'active')}</Tag>) },
          { title: t('操作', 'Actions'), key: 'a', render: (_v, u) => <Button size="small" danger={!u.disabled} onClick={() => void lock(u, !u.disabled)} aria-label={`${u.disabled ? t('解锁', 'Unlock') : t('锁定', 'Lock')} ${u.username}`}>{u.disabled ? t('解锁', 'Unlock') : t('锁定', 'Lock')}</Button> },
        ]}
      />
      <Typography.Title level={3} style={{ marginTop: 24 }}>{t('部门', 'Departments')}</Typography.Title>
      <Table rowKey="code" dataSource={depts} size="small" scroll={{ x: 'max-content' }} pagination={{ pageSize: 20 }}
        columns={[{ title: t('代码', 'Code'), dataIndex: 'code' }, { title: t('名称', 'Name'), dataIndex: 'name' }, { title: t('区划', 'Region'), dataIndex: 'region' }, { title: t('层级', 'Level'), dataIndex: 'level' }]} />
    </ConsoleFrame>
  );
}
