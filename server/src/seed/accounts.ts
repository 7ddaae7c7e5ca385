// Demo accounts, one or more for every role, so that a newcomer can walk every journey.
import type { Ctx } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import type { Role } from '../http/access.ts';
import { createUser } from '../modules/accounts/service.ts';

export const DEMO_PASSWORD = 'Kuaixiang2025';

export interface DemoAccount {
  username: string;
  display_name: string;
  role: Role;
  department?: string;
  /** For enterprise / resident logins: the demo profile they act for. */
  profile?: 'enterprise' | 'resident';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', display_name: '平台管理员（市大数据局）', role: 'admin' },
  { username: 'leader', display_name: '市政府领导', role: 'leader' },
  { username: 'rsj-clerk', display_name: '市人社局经办人', role: 'clerk', department: 'lc-rsj' },
  { username: 'rsj-approver', display_name: '市人社局审核人', role: 'approver', department: 'lc-rsj' },
  { username: 'mzj-clerk', display_name: '市民政局经办人', role: 'clerk', department: 'lc-mzj' },
  { username: 'mzj-approver', display_name: '市民政局审核人', role: 'approver', department: 'lc-mzj' },
  { username: 'gxj-clerk', display_name: '市工信局经办人', role: 'clerk', department: 'lc-gxj' },
  { username: 'gxj-approver', display_name: '市工信局审核人', role: 'approver', department: 'lc-gxj' },
  // Four eyes: an item reviewed in three stages by one department needs a second approver for
  // the last stage (the first approver decided the one before).
  { username: 'rsj-leader', display_name: '市人社局分管负责人', role: 'approver', department: 'lc-rsj' },
  { username: 'mzj-leader', display_name: '市民政局分管负责人', role: 'approver', department: 'lc-mzj' },
  { username: 'gxj-leader', display_name: '市工信局分管负责人', role: 'approver', department: 'lc-gxj' },
  { username: 'sx-mzj-clerk', display_name: '莘县民政局经办人', role: 'clerk', department: 'sx-mzj' },
  { username: 'sx-mzj-approver', display_name: '莘县民政局审核人', role: 'approver', department: 'sx-mzj' },
  { username: 'sx-mzj-leader', display_name: '莘县民政局分管负责人', role: 'approver', department: 'sx-mzj' },
  { username: 'czj-payout', display_name: '市财政局兑现专员', role: 'payout', department: 'lc-czj' },
  { username: 'rsj-payout', display_name: '市人社局兑现专员', role: 'payout', department: 'lc-rsj' },
  { username: 'gxj-payout', display_name: '市工信局兑现专员', role: 'payout', department: 'lc-gxj' },
  { username: 'mzj-payout', display_name: '市民政局兑现专员', role: 'payout', department: 'lc-mzj' },
  { username: 'enterprise', display_name: '聊城示例轴承有限公司', role: 'enterprise', profile: 'enterprise' },
  { username: 'resident', display_name: '李某某', role: 'resident', profile: 'resident' },
];

const STAFF: { role: Role; suffix: string; title: string }[] = [
  { role: 'clerk', suffix: 'clerk', title: '经办人' },
  { role: 'approver', suffix: 'approver', title: '审核人' },
  { role: 'approver', suffix: 'leader', title: '分管负责人' },
  { role: 'payout', suffix: 'payout', title: '兑现专员' },
];

/** Every department that owns an item or performs a review step gets what it lacks of a clerk,
 *  two approvers (four eyes on a final stage) and a payout officer, named `<code>-<role>`, so
 *  that no demo case waits for a reviewer who does not exist. */
export function departmentStaff(departments: { code: string; name: string }[]): DemoAccount[] {
  const out: DemoAccount[] = [];
  for (const d of departments) {
    const have = (role: Role) => DEMO_ACCOUNTS.filter((a) => a.department === d.code && a.role === role).length;
    const need: Record<string, number> = { clerk: 1 - have('clerk'), approver: 2 - have('approver'), payout: 1 - have('payout') };
    for (const st of STAFF) {
      if (need[st.role] <= 0) continue;
      need[st.role] -= 1;
      out.push({ username: `${d.code}-${st.suffix}`, display_name: `${d.name}${st.title}`, role: st.role, department: d.code });
    }
  }
  return out;
}

export async function seedAccounts(ctx: Ctx, q: Queryable, entityOf: (profile: 'enterprise' | 'resident') => string, departments: { code: string; name: string }[] = []): Promise<void> {
  for (const a of [...DEMO_ACCOUNTS, ...departmentStaff(departments)]) {
    const exists = await q.query('SELECT 1 FROM users WHERE username = $1', [a.username]);
    if (exists.rows.length) continue;
    await createUser(ctx, q, { username: a.username, display_name: a.display_name, role: a.role, password: DEMO_PASSWORD, ...(a.department ? { department: a.department } : {}), ...(a.profile ? { entity_id: entityOf(a.profile) } : {}) }, undefined);
  }
}
