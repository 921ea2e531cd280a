import { type Static, Type } from 'typebox';

export const Id = Type.String({ format: 'uuid', description: 'UUIDv7' });
export const Timestamp = Type.String({ description: 'ISO-8601 with offset, Asia/Shanghai' });
export const MobilePhone = Type.String({ pattern: '^1[3-9]\\d{9}$', description: 'Mainland mobile number, 11 digits' });
export const AnyPhone = Type.String({ pattern: '^[0-9+\\-() ]{5,20}$' });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});

export const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export type Page<T> = { items: T[]; nextCursor: string | null };
