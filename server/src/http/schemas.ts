// Schemas shared by every route module. One schema source: TypeBox validates requests,
// types handlers and generates the OpenAPI document.
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: '稳定的错误代码 / stable error code' }),
    message: Type.String({ description: '中文说明' }),
    message_en: Type.Optional(Type.String()),
    field: Type.Optional(Type.String({ description: '出错的字段 / the field at fault' })),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Standard error responses, for the OpenAPI document. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorBody]));

export const Page = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
