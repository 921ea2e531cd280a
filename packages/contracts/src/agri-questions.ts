// Farms (agri): questions to the township's extension worker, and the figures of the wall screen. The API list: agri.ts.
import { type Static, Type } from 'typebox';
import { CropSchema, oneOf, PhotoIds, QUESTION_FILTERS, QuestionStateSchema, SpeciesSchema } from './agri.ts';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

// ---- Questions ----------------------------------------------------------------------------------

export const QuestionInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    plotId: Type.Optional(Id),
    flockId: Type.Optional(Id),
    photoIds: Type.Optional(PhotoIds),
  },
  { additionalProperties: false },
);
export type QuestionInput = Static<typeof QuestionInput>;
export const QuestionMessageInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }), photoIds: Type.Optional(PhotoIds) },
  { additionalProperties: false },
);
export type QuestionMessageInput = Static<typeof QuestionMessageInput>;

export const Question = Type.Object({
  id: Id,
  householdId: Id,
  headName: Type.String(),
  regionId: Id,
  plotId: Nullable(Type.String()),
  flockId: Nullable(Type.String()),
  subjectName: Nullable(Type.String()),
  text: Type.String(),
  photoIds: Type.Array(Id),
  state: QuestionStateSchema,
  askedAt: Timestamp,
  /** A working day after asking (platform/working-time.ts). */
  dueAt: Timestamp,
  /** Open and past dueAt. */
  overdue: Type.Boolean(),
  answeredAt: Nullable(Type.String()),
  answeredByName: Nullable(Type.String()),
});
export type Question = Static<typeof Question>;
export const QuestionQuery = Type.Object(
  { ...PageQuery.properties, state: Type.Optional(oneOf(QUESTION_FILTERS)), regionId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const QuestionPage = pageOf(Question);
export type QuestionPage = Static<typeof QuestionPage>;

export const QuestionMessage = Type.Object({
  id: Id,
  byName: Type.String(),
  /** household or extensionWorker */
  side: Type.Union([Type.Literal('household'), Type.Literal('extensionWorker')]),
  text: Type.String(),
  photoIds: Type.Array(Id),
  at: Timestamp,
});
export const QuestionThread = Type.Object({ question: Question, messages: Type.Array(QuestionMessage) });
export type QuestionThread = Static<typeof QuestionThread>;

// ---- Figures ------------------------------------------------------------------------------------

export const FiguresQuery = Type.Object(
  { regionId: Type.Optional(Id), year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) },
  { additionalProperties: false },
);
const Count = Type.Integer();
export const AgriFigures = Type.Object({
  regionId: Id,
  regionName: Type.String(),
  year: Type.Integer(),
  farms: Count,
  plotsByCrop: Type.Array(Type.Object({ crop: CropSchema, plots: Count, households: Count, areaMu: Type.Number() })),
  flocksBySpecies: Type.Array(Type.Object({ species: SpeciesSchema, flocks: Count, households: Count, heads: Count })),
  advice: Type.Object({ rules: Count, households: Count, deliveries: Count, read: Count }),
  questions: Type.Object({ asked: Count, answered: Count, open: Count, overdue: Count }),
  /** Month 1–12 of the year: yields and sales from observations. */
  byMonth: Type.Array(
    Type.Object({ month: Type.Integer(), yieldKg: Type.Number(), soldKg: Type.Number(), salesYuan: Type.Number(), deaths: Count }),
  ),
  /** The same counts for each place one level down (villages of a township, townships of the county). */
  byPlace: Type.Array(
    Type.Object({
      regionId: Id,
      name: Type.String(),
      farms: Count,
      areaMu: Type.Number(),
      heads: Count,
      householdsAdvised: Count,
      questionsAnswered: Count,
      salesYuan: Type.Number(),
    }),
  ),
});
export type AgriFigures = Static<typeof AgriFigures>;
