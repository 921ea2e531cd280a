// Caretakers' rounds on the wire: visits checked in, the day's visit list, and missed visits.
import { type Static, Type } from 'typebox';
import { Elder } from './care.ts';
import { Id, LocalDate } from './common.ts';

export const VISIT_KINDS = ['visit', 'careRound', 'doctorVisit'] as const;

/** The check-in tasks that are a care round's work (照料: cooking, cleaning). */
export const CARE_ROUND_TASKS: readonly string[] = ['mealCooked', 'houseCleaned'];

/**
 * The other kinds of round a check-in also does, as a caretaker counts them: a care round is made
 * at the elder's home, so it is that day's daily visit too; a daily visit in which a meal was cooked
 * or the house cleaned is that day's care round. A doctor's home visit stands alone.
 */
export function alsoDoneBy(kind: string, tasks: readonly string[]): ('visit' | 'careRound')[] {
  if (kind === 'careRound') return ['visit'];
  if (kind === 'visit' && tasks.some((task) => CARE_ROUND_TASKS.includes(task))) return ['careRound'];
  return [];
}

export const Visit = Type.Object({
  id: Id,
  elderPersonId: Id,
  kind: Type.String(),
  byUserId: Id,
  byName: Type.String(),
  at: Type.String(),
  note: Type.String(),
  tasks: Type.Array(Type.String()),
  systolic: Type.Union([Type.Integer(), Type.Null()]),
  diastolic: Type.Union([Type.Integer(), Type.Null()]),
});
export type Visit = Static<typeof Visit>;

export const VisitList = Type.Object({ items: Type.Array(Visit) });

export const VisitsQuery = Type.Object({ since: Type.String({ format: 'date-time', maxLength: 40 }) });

export const VisitInput = Type.Object(
  {
    /**
     * The visit's id, minted by the phone once per check-in form: a second tap or a second send
     * (each outbox item has its own Idempotency-Key) is the same visit, answered as the first.
     */
    id: Type.Optional(Id),
    kind: Type.Union(VISIT_KINDS.map((k) => Type.Literal(k))),
    at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    note: Type.String({ maxLength: 1000 }),
    tasks: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
    systolic: Type.Optional(Type.Integer({ minimum: 50, maximum: 260 })),
    diastolic: Type.Optional(Type.Integer({ minimum: 30, maximum: 160 })),
  },
  { additionalProperties: false },
);
export type VisitInput = Static<typeof VisitInput>;

export const RoundsItem = Type.Object({
  elder: Elder,
  due: Type.Array(Type.Object({ kind: Type.String(), done: Type.Boolean(), lastAt: Type.Union([Type.String(), Type.Null()]) })),
});
export type RoundsItem = Static<typeof RoundsItem>;

export const RoundsPlan = Type.Object({ items: Type.Array(RoundsItem) });

export const MissedVisitsQuery = Type.Object({ since: LocalDate });

export const MissedVisit = Type.Object({
  elderPersonId: Id,
  name: Type.String(),
  day: Type.String(),
  kind: Type.String(),
  caretakerUserId: Type.Union([Id, Type.Null()]),
});
export type MissedVisit = Static<typeof MissedVisit>;

export const MissedVisitList = Type.Object({ items: Type.Array(MissedVisit) });
