// The deadline job's reads and marks: which cases are due a reminder or overdue, flagged once each.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type CaseRecord, type Row, selectCases, toCase } from './cases.repository.ts';

/** Open cases whose deadline falls before `until` and that have not been flagged yet, soonest first. */
export async function listDeadlineDue(db: Kysely<DB>, kind: 'reminder' | 'overdue', until: number, limit: number): Promise<CaseRecord[]> {
  const flag = kind === 'reminder' ? 'c.reminded_at' : 'c.overdue_at';
  const rows = await selectCases(db)
    .where('c.state', 'in', ['received', 'assigned', 'accepted', 'handled'])
    .where('c.deadline_at', '<', until)
    .where(flag, 'is', null)
    .orderBy('c.deadline_at')
    .limit(limit)
    .execute();
  return rows.map((row) => toCase(row as Row));
}

/** Marks the reminder or the overdue flag once; false when another run got there first. */
export async function markDeadlineFlag(db: Kysely<DB>, id: string, kind: 'reminder' | 'overdue', now: number): Promise<boolean> {
  const column = kind === 'reminder' ? 'reminded_at' : 'overdue_at';
  const result = await db
    .updateTable('cases')
    .set({ [column]: now })
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
