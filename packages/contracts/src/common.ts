import { type Static, type TSchema, Type } from 'typebox';

/**
 * A value or null, written as a JSON Schema type array (`type: ['string', 'null']`) rather than
 * anyOf: the response serializer writes a type array directly, while for anyOf it validates every
 * value to pick a branch, which made list responses several times slower.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const base = schema as unknown as { type?: string; enum?: unknown[] };
  if (typeof base.type !== 'string') throw new Error('Nullable() takes a schema with a single primitive type');
  return Type.Unsafe<Static<T> | null>({
    ...base,
    type: [base.type, 'null'],
    ...(base.enum && { enum: [...base.enum, null] }),
  });
}

export const Id = Type.String({ format: 'uuid', description: 'UUIDv7' });
export const Timestamp = Type.String({ description: 'ISO-8601 with offset, Asia/Shanghai' });
export const MobilePhone = Type.String({ pattern: '^1[3-9]\\d{9}$', maxLength: 11, description: 'Mainland mobile number, 11 digits' });
/** A phone number as people write it: digits with +, -, brackets or spaces, at least five of them digits ("-----" is none). */
export const AnyPhone = Type.String({ pattern: '^(?=(?:[^0-9]*[0-9]){5})[0-9+\\-() ]{5,20}$', maxLength: 20 });
/**
 * A person's or a household head's name: at least one letter, not only spaces, punctuation ("---")
 * or characters that show nothing (zero-width spaces, variation selectors, combining marks, Hangul
 * fillers, the blank braille cell).
 */
export const PersonName = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '[^\\s\\p{P}\\p{S}\\p{M}\\p{Default_Ignorable_Code_Point}\\u2800]',
});
/** A day of the calendar, YYYY-MM-DD: a day that exists (format 'date' checks the month's days), not only its shape. */
export const LocalDate = Type.String({ format: 'date', maxLength: 10, description: 'A calendar day, YYYY-MM-DD' });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});

export const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export type Page<T> = { items: T[]; nextCursor: string | null };
