// Who acts on a payout batch. Over HTTP it is a logged-in user: the payout officer of the
// batch's department makes, exports and answers batches; leaders and admins read them.
// From the console (`kx payout`) it is the operator, who holds the database itself.
import { userInfo } from 'node:os';
import { DomainError } from '../../errors.ts';
import { actorOf, type Principal, type Role } from '../../http/access.ts';

export interface Officer {
  /** As written to the audit log. */
  actor: string;
  userId?: string;
  role?: Role;
  department?: string;
  operator?: boolean;
}

export function officerOf(p: Principal): Officer {
  return { actor: actorOf(p), userId: p.userId, role: p.role, department: p.department };
}

export function consoleOperator(): Officer {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): the audit row still says it came from the console
  }
  return { actor: `cli:${name}`, operator: true };
}

/** Making, exporting and answering a batch: the payout officer of its department. */
export function assertMayAct(o: Officer, department: string): void {
  if (o.operator) return;
  if (o.role !== 'payout' || o.department !== department)
    throw new DomainError('FORBIDDEN', `只有部门 ${department} 的兑现专员可以操作其拨付批次`, `only a payout officer of ${department} may act on its payout batches`);
}

/** Reading a batch: its department's officers, leaders and admins. */
export function assertMayRead(o: Officer, department: string): void {
  if (o.operator || o.role === 'leader' || o.role === 'admin') return;
  if (o.role === 'payout' && o.department === department) return;
  throw new DomainError('FORBIDDEN', `无权查看部门 ${department} 的拨付批次`, `not allowed to read the payout batches of ${department}`);
}
