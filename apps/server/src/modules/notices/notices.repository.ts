// The notices table: what a cadre wrote, for whom, and where it stands (draft, scheduled, sending,
// sent, cancelled). Audience and attachments are JSON columns read and written whole.
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, NoticeTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

/**
 * `householdIds`: every member of these households, wherever they live. Only other modules name
 * households (agri's advice, through sendToHouseholds); the API gives only how many. `subjects`:
 * what those households were chosen by (agri's crops and animals, `plum`), so the notice can say
 * who it went to (种李子的户) rather than look like one to the whole village.
 */
export type Audience = {
  regionIds: string[];
  gridIds: string[];
  traits: string[];
  personIds: string[];
  householdIds?: string[];
  subjects?: string[];
};
/** `key` is where the bytes are stored: kept inside the server, never shown. */
export type Attachment = { id: string; name: string; contentType: string; key: string };
export type NoticeState = NoticeTable['state'];

export type NoticeRecord = {
  id: string;
  title: string;
  body: string;
  urgent: boolean;
  audience: Audience;
  attachments: Attachment[];
  state: NoticeState;
  scheduledAt: number | null;
  sentAt: number | null;
  expiresAt: number | null;
  recipients: number;
  createdBy: string;
  createdAt: number;
  placement: Placement;
};

const toRecord = (r: NoticeTable): NoticeRecord => ({
  id: r.id,
  title: r.title,
  body: r.body,
  urgent: r.urgent === 1,
  audience: JSON.parse(r.audience) as Audience,
  attachments: JSON.parse(r.attachments) as Attachment[],
  state: r.state,
  scheduledAt: r.scheduled_at,
  sentAt: r.sent_at,
  expiresAt: r.expires_at,
  recipients: r.recipients,
  createdBy: r.created_by,
  createdAt: r.created_at,
  placement: placementOf(r),
});

export async function findNotice(db: Kysely<DB>, id: string): Promise<NoticeRecord | undefined> {
  const row = await db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function insertNotice(db: Kysely<DB>, notice: NoticeRecord): Promise<NoticeRecord> {
  await db
    .insertInto('notices')
    .values({
      id: notice.id,
      title: notice.title,
      body: notice.body,
      urgent: notice.urgent ? 1 : 0,
      audience: JSON.stringify(notice.audience),
      attachments: JSON.stringify(notice.attachments),
      ...placedColumns(notice.placement),
      state: notice.state,
      scheduled_at: notice.scheduledAt,
      sent_at: notice.sentAt,
      expires_at: notice.expiresAt,
      recipients: notice.recipients,
      created_by: notice.createdBy,
      created_at: notice.createdAt,
    })
    .execute();
  return notice;
}

export async function setAttachments(db: Kysely<DB>, id: string, attachments: Attachment[]): Promise<NoticeRecord> {
  const row = await db
    .updateTable('notices')
    .set({ attachments: JSON.stringify(attachments) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Moves a notice on only from the state it was read in; undefined when someone else moved it first. */
export async function changeState(
  db: Kysely<DB>,
  id: string,
  from: NoticeState,
  to: { state: NoticeState; scheduledAt?: number },
): Promise<NoticeRecord | undefined> {
  const row = await db
    .updateTable('notices')
    .set(to.scheduledAt === undefined ? { state: to.state } : { state: to.state, scheduled_at: to.scheduledAt })
    .where('id', '=', id)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Notices due to go out, and those whose push stopped half way (still "sending"), oldest first. */
export async function listDue(db: Kysely<DB>, now: number, limit: number): Promise<NoticeRecord[]> {
  const rows = await db
    .selectFrom('notices')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('state', '=', 'scheduled'), eb('scheduled_at', '<=', now)]), eb('state', '=', 'sending')]))
    .orderBy('scheduled_at')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/**
 * Starts (or resumes) a notice's push, only if it is still due: scheduled for now or earlier, or
 * sending already. False when it was cancelled or moved to a later time since the job listed it.
 */
export async function markSending(db: Kysely<DB>, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('notices')
    .set({ state: 'sending' })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('state', '=', 'sending'), eb.and([eb('state', '=', 'scheduled'), eb('scheduled_at', '<=', now)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Kysely<DB>, id: string, sentAt: number, recipients: number): Promise<void> {
  await db.updateTable('notices').set({ state: 'sent', sent_at: sentAt, recipients }).where('id', '=', id).execute();
}

/** The newest notices placed inside the scope. */
export async function listInScope(db: Kysely<DB>, scope: Scope, limit: number): Promise<NoticeRecord[]> {
  const rows = await db
    .selectFrom('notices as n')
    .selectAll('n')
    .where(inScope(scope, { table: 'n' }))
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}
