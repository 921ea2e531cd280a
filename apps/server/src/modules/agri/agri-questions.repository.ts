// Questions to the township's extension worker (agri_questions) and their threads (agri_question_messages).
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { AgriQuestionTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type QuestionRecord = {
  id: string;
  householdId: string;
  placement: Placement;
  plotId: string | null;
  flockId: string | null;
  subjectName: string | null;
  text: string;
  photoIds: string[];
  state: 'open' | 'answered' | 'closed';
  askedBy: string;
  askedAt: number;
  dueAt: number;
  answeredAt: number | null;
  answeredByName: string | null;
  updatedAt: number;
};

const toQuestion = (r: AgriQuestionTable): QuestionRecord => ({
  id: r.id,
  householdId: r.household_id,
  placement: placementOf(r, r.household_id),
  plotId: r.plot_id,
  flockId: r.flock_id,
  subjectName: r.subject_name,
  text: r.text,
  photoIds: JSON.parse(r.photo_ids) as string[],
  state: r.state as QuestionRecord['state'],
  askedBy: r.asked_by,
  askedAt: Number(r.asked_at),
  dueAt: Number(r.due_at),
  answeredAt: r.answered_at === null ? null : Number(r.answered_at),
  answeredByName: r.answered_by_name,
  updatedAt: Number(r.updated_at),
});

export async function insertQuestion(db: Kysely<DB>, q: QuestionRecord): Promise<void> {
  await db
    .insertInto('agri_questions')
    .values({
      id: q.id,
      household_id: q.householdId,
      ...placedColumns(q.placement),
      plot_id: q.plotId,
      flock_id: q.flockId,
      subject_name: q.subjectName,
      text: q.text,
      photo_ids: JSON.stringify(q.photoIds),
      state: q.state,
      asked_by: q.askedBy,
      asked_at: q.askedAt,
      due_at: q.dueAt,
      answered_at: q.answeredAt,
      answered_by_name: q.answeredByName,
      updated_at: q.updatedAt,
    })
    .execute();
}

export async function findQuestion(db: Kysely<DB>, id: string): Promise<QuestionRecord | undefined> {
  const row = await db.selectFrom('agri_questions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toQuestion(row);
}

/** Moves a question on only from the state it was read in. */
export async function setState(
  db: Kysely<DB>,
  id: string,
  from: string,
  to: { state: string; answeredAt?: number; answeredByName?: string; updatedAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable('agri_questions')
    .set({
      state: to.state,
      updated_at: to.updatedAt,
      ...(to.answeredAt !== undefined && { answered_at: to.answeredAt, answered_by_name: to.answeredByName ?? null }),
    })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Questions in the scope (or of one household), newest first, before the cursor's id. */
export async function listQuestions(
  db: Kysely<DB>,
  where: { scope: Scope; state?: string; overdueAt?: number },
  before: string | undefined,
  limit: number,
): Promise<QuestionRecord[]> {
  let query = db
    .selectFrom('agri_questions as q')
    .selectAll('q')
    .where(inScope(where.scope, { table: 'q', householdColumn: 'household_id' }));
  if (where.state) query = query.where('q.state', '=', where.state);
  if (where.overdueAt !== undefined) query = query.where('q.state', '=', 'open').where('q.due_at', '<=', where.overdueAt);
  if (before) query = query.where('q.id', '<', before);
  const rows = await query.orderBy('q.id', 'desc').limit(limit).execute();
  return rows.map(toQuestion);
}

export type MessageRecord = {
  id: string;
  questionId: string;
  side: 'household' | 'extensionWorker';
  byUserId: string;
  byName: string;
  text: string;
  photoIds: string[];
  at: number;
};

export async function insertMessage(db: Kysely<DB>, m: MessageRecord): Promise<void> {
  await db
    .insertInto('agri_question_messages')
    .values({
      id: m.id,
      question_id: m.questionId,
      side: m.side,
      by_user_id: m.byUserId,
      by_name: m.byName,
      text: m.text,
      photo_ids: JSON.stringify(m.photoIds),
      at: m.at,
    })
    .execute();
}

export async function listMessages(db: Kysely<DB>, questionId: string): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom('agri_question_messages')
    .selectAll()
    .where('question_id', '=', questionId)
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    questionId: r.question_id,
    side: r.side as MessageRecord['side'],
    byUserId: r.by_user_id,
    byName: r.by_name,
    text: r.text,
    photoIds: JSON.parse(r.photo_ids) as string[],
    at: Number(r.at),
  }));
}
