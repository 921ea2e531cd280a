import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';

const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const CARE_READING_KINDS = [
  'bloodPressure',
  'heartRate',
  'glucose',
  'steps',
  'motion',
  'door',
  'fall',
  'sos',
  'okPress',
  'battery',
] as const;

export const ReadingBatch = Type.Object(
  {
    readings: Type.Array(
      Type.Object(
        {
          device: Type.String({ minLength: 1, maxLength: 64, description: 'The device serial number' }),
          id: Type.Optional(
            Type.String({ minLength: 1, maxLength: 80, description: "The device's own id of the reading; repeats are stored once" }),
          ),
          kind: oneOf(CARE_READING_KINDS),
          value: Type.Optional(
            Type.Number({
              minimum: -1_000_000,
              maximum: 1_000_000,
              description: 'Systolic mmHg, beats per minute, mmol/L, steps or battery percent',
            }),
          ),
          value2: Type.Optional(Type.Number({ minimum: -1_000_000, maximum: 1_000_000, description: 'Diastolic mmHg' })),
          at: Type.String({ format: 'date-time', maxLength: 40 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const Alarm = Type.Object({
  id: Id,
  elderPersonId: Id,
  cause: Type.String(),
  severity: Type.String(),
  state: Type.String(),
  repeats: Type.Integer(),
  value: Nullable(Type.Number()),
  firstAt: Timestamp,
  lastAt: Timestamp,
  acknowledgedAt: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type Alarm = Static<typeof Alarm>;

export const ElderInput = Type.Object(
  {
    personId: Id,
    livingSituation: Type.String({ minLength: 1, maxLength: 200 }),
    conditions: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 }),
    contacts: Type.Array(
      Type.Object(
        { name: Type.String({ maxLength: 40 }), relation: Type.String({ maxLength: 20 }), phone: Type.String({ maxLength: 20 }) },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
    doctorUserId: Type.Optional(Nullable(Id)),
    caretakerUserId: Type.Optional(Nullable(Id)),
    presence: Type.Optional(oneOf(['home', 'away', 'hospital'] as const)),
  },
  { additionalProperties: false },
);

export const Elder = Type.Object({
  personId: Id,
  name: Type.String(),
  livingSituation: Type.String(),
  conditions: Type.Array(Type.String()),
  contacts: Type.Array(Type.Object({ name: Type.String(), relation: Type.String(), phone: Type.String() })),
  presence: Type.String(),
  lastActivityAt: Nullable(Type.String()),
});
