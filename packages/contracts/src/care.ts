// Elder care on the wire: elders, their devices and alarm rules, readings in (gateway batches) and
// out (readings, trends), alarms, and the gateway keys that send for a township. Visits are in
// care-rounds.ts, reminders and device commands in care-commands.ts.
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

export const ALARM_HANDLER_ROLES = ['doctor', 'caretaker', 'family', 'staff'] as const;
export type AlarmHandlerRole = (typeof ALARM_HANDLER_ROLES)[number];

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
  /**
   * Who closed it, as the elder's family may see them: their display name and their part in the
   * elder's care (the elder's doctor or caretaker, a linked family member, else other staff). Given
   * by the alarm list only, for a closed alarm.
   */
  handledBy: Type.Optional(
    Nullable(Type.Object({ name: Type.String(), role: Type.Unsafe<AlarmHandlerRole>({ type: 'string', enum: [...ALARM_HANDLER_ROLES] }) })),
  ),
});
export type Alarm = Static<typeof Alarm>;

/**
 * How long the elder's family keep seeing an alarm after it is closed (its outcome: who, when, the
 * note): a family member far away looks once a day, so the outcome waits a whole day for them.
 */
export const FAMILY_SEES_CLOSED_ALARMS_MS = 24 * 3_600_000;

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
export type Elder = Static<typeof Elder>;
export type ElderInput = Static<typeof ElderInput>;

export const ElderList = Type.Object({ items: Type.Array(Elder) });
/** Where an elder lives and the phone to call them on: for their doctor, caretaker, grid worker and linked family only. */
export const ElderHome = Type.Object({ address: Nullable(Type.String()), phone: Nullable(Type.String()) });
export type ElderHome = Static<typeof ElderHome>;

export type ElderList = Static<typeof ElderList>;

export const ElderListQuery = Type.Object({ mine: Type.Optional(Type.Boolean()) });

export const ReadingBatchResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String() })),
  alarms: Type.Array(Alarm),
});
export type ReadingBatchResult = Static<typeof ReadingBatchResult>;

export const AlarmList = Type.Object({ items: Type.Array(Alarm) });
export type AlarmList = Static<typeof AlarmList>;

export const AlarmListQuery = Type.Object({ open: Type.Optional(Type.Boolean()), elder: Type.Optional(Id) });

export const AlarmActionInput = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const Device = Type.Object({
  id: Id,
  serial: Type.String(),
  kind: Type.String(),
  battery: Type.Union([Type.Integer(), Type.Null()]),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
});
export type Device = Static<typeof Device>;

export const DeviceList = Type.Object({ items: Type.Array(Device) });

export const DEVICE_KINDS = ['bracelet', 'sosButton', 'doorSensor', 'camera', 'speaker'] as const;

export const DeviceInput = Type.Object(
  {
    serial: Type.String({ minLength: 3, maxLength: 64 }),
    kind: Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k))),
  },
  { additionalProperties: false },
);

export const RegisteredDevice = Type.Object({
  id: Id,
  serial: Type.String(),
  kind: Type.String(),
  battery: Type.Union([Type.Integer(), Type.Null()]),
  key: Type.String({ description: "The device's own key, shown this once" }),
});
export type RegisteredDevice = Static<typeof RegisteredDevice>;

export const FamilyLinkInput = Type.Object({ userId: Id, consent: Type.Boolean() }, { additionalProperties: false });

export const AlarmRule = Type.Object({
  cause: Type.String(),
  limit: Type.Number(),
  forMinutes: Type.Number(),
  enabled: Type.Boolean(),
  own: Type.Boolean({ description: "True where the elder's own rule replaces the county default" }),
});
export type AlarmRule = Static<typeof AlarmRule>;

export const AlarmRuleList = Type.Object({ items: Type.Array(AlarmRule) });

export const AlarmRulesInput = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          cause: Type.String({ maxLength: 40 }),
          limit: Type.Optional(Type.Number({ minimum: -100_000, maximum: 100_000 })),
          forMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
          enabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const ReadingsQuery = Type.Object({
  since: Type.String({ format: 'date-time', maxLength: 40 }),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
});

export const Reading = Type.Object({
  kind: Type.String(),
  value: Type.Union([Type.Number(), Type.Null()]),
  value2: Type.Union([Type.Number(), Type.Null()]),
  at: Type.String(),
  flag: Type.Optional(
    Type.Union([Type.Literal('high'), Type.Literal('low'), Type.Null()], {
      description:
        "偏高/偏低 under this elder's alarm rules, the usual ranges where they say nothing (care-reading-flags.ts); null: in range",
    }),
  ),
});
export type Reading = Static<typeof Reading>;

export const ReadingList = Type.Object({ items: Type.Array(Reading) });

export const TrendsQuery = Type.Object({
  period: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  since: Type.String({ format: 'date-time', maxLength: 40 }),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
});

export const Trend = Type.Object({
  kind: Type.String(),
  start: Type.String(),
  count: Type.Integer(),
  avg: Type.Union([Type.Number(), Type.Null()]),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  avg2: Type.Union([Type.Number(), Type.Null()]),
  min2: Type.Union([Type.Number(), Type.Null()]),
  max2: Type.Union([Type.Number(), Type.Null()]),
});
export type Trend = Static<typeof Trend>;

export const TrendList = Type.Object({ items: Type.Array(Trend) });

export const GatewayKey = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(Type.String(), { description: 'Granted beyond writing readings; empty: write-only' }),
  createdAt: Type.String(),
});
export type GatewayKey = Static<typeof GatewayKey>;

export const GatewayKeyList = Type.Object({ items: Type.Array(GatewayKey) });

export const GatewayKeyScopesInput = Type.Object(
  { scopes: Type.Array(Type.Literal('care.read'), { maxItems: 1 }) },
  { additionalProperties: false },
);

export const GatewayDeviceList = Type.Object({ items: Type.Array(Type.Object({ serial: Type.String(), kind: Type.String() })) });
