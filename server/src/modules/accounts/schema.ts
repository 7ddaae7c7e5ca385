import { Type, type Static } from 'typebox';
import { ROLES } from '../../http/access.ts';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: RoleSchema,
  department: Type.Union([Type.String(), Type.Null()]),
  entity_id: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
});

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const NewUserBody = Type.Object({
  username: Type.String({ minLength: 2, maxLength: 60, pattern: '^[A-Za-z0-9_.@-]+$' }),
  display_name: Type.String({ minLength: 1, maxLength: 100 }),
  role: RoleSchema,
  password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
  department: Type.Optional(Type.String()),
  entity_id: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  email: Type.Optional(Type.String({ maxLength: 200 })),
});
export type NewUserBody = Static<typeof NewUserBody>;

export const Department = Type.Object({
  code: Type.String(),
  name: Type.String(),
  name_en: Type.String({ description: 'English name: Liaocheng Bureau of Civil Affairs' }),
  short_name: Type.Union([Type.String(), Type.Null()]),
  region: Type.String(),
  level: Type.Union([Type.Literal('city'), Type.Literal('county')]),
  kind: Type.String(),
  parent: Type.Union([Type.String(), Type.Null()]),
});

export const LockBody = Type.Object({ locked: Type.Boolean({ description: 'true 锁定，false 解锁 / true locks, false unlocks' }) }, { additionalProperties: false });
export type LockBody = Static<typeof LockBody>;

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  source: Type.String({ description: '数据源系统 / source system' }),
  created_at: Type.String({ format: 'date-time' }),
  created_by: Type.Union([Type.String(), Type.Null()], { description: '创建人用户名 / username of the creator' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;
export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });

export const NewTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  source: Type.String({ minLength: 1, maxLength: 40 }),
});
