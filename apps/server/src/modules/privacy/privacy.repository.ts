// Consents, data subject requests and legal holds (PIPL arts. 14-15, 31, 44-47).
import type { ConsentPurpose } from '@cunzhi/contracts/privacy';
import type { Kysely } from 'kysely';
import { placementOf } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type Consent = {
  id: string;
  personId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  at: number;
  recordedBy: string | null;
  guardianPersonId: string | null;
  note: string | null;
};

export async function insertConsent(db: Kysely<DB>, consent: Consent): Promise<void> {
  await db
    .insertInto('privacy_consents')
    .values({
      id: consent.id,
      person_id: consent.personId,
      purpose: consent.purpose,
      granted: consent.granted ? 1 : 0,
      at: consent.at,
      recorded_by: consent.recordedBy,
      guardian_person_id: consent.guardianPersonId,
      note: consent.note,
    })
    .execute();
}

/** The latest consent row per person and purpose: rows are appended, ids are time-ordered (UUIDv7). */
function latestOf(rows: { id: string; person_id: string; purpose: string; granted: number; at: number | string }[]) {
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = `${row.person_id}|${row.purpose}`;
    const seen = latest.get(key);
    if (!seen || Number(row.at) > Number(seen.at) || (Number(row.at) === Number(seen.at) && row.id > seen.id)) latest.set(key, row);
  }
  return [...latest.values()];
}

export async function latestConsents(db: Kysely<DB>, personId: string): Promise<Consent[]> {
  const rows = await db.selectFrom('privacy_consents').selectAll().where('person_id', '=', personId).execute();
  return latestOf(rows).map((r) => {
    const row = rows.find((x) => x.id === r.id) as (typeof rows)[number];
    return {
      id: row.id,
      personId: row.person_id,
      purpose: row.purpose,
      granted: row.granted === 1,
      at: Number(row.at),
      recordedBy: row.recorded_by,
      guardianPersonId: row.guardian_person_id,
      note: row.note,
    };
  });
}

/** Of these people, those whose latest consent for the purpose is a withdrawal. */
export async function withdrawnAmong(db: Kysely<DB>, personIds: string[], purpose: ConsentPurpose): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('privacy_consents')
    .select(['id', 'person_id', 'purpose', 'granted', 'at'])
    .where('person_id', 'in', personIds)
    .where('purpose', '=', purpose)
    .execute();
  return new Set(
    latestOf(rows)
      .filter((r) => r.granted === 0)
      .map((r) => r.person_id),
  );
}

/** People whose consent for the purpose was withdrawn at or before the cutoff and not given again. */
export async function withdrawnSince(db: Kysely<DB>, purpose: ConsentPurpose, cutoff: number): Promise<string[]> {
  const rows = await db
    .selectFrom('privacy_consents')
    .select(['id', 'person_id', 'purpose', 'granted', 'at'])
    .where('purpose', '=', purpose)
    .execute();
  return latestOf(rows)
    .filter((r) => r.granted === 0 && Number(r.at) <= cutoff)
    .map((r) => r.person_id);
}

export type PrivacyRequest = {
  id: string;
  personId: string;
  kind: 'export' | 'correction' | 'deletion';
  details: string;
  state: 'submitted' | 'accepted' | 'refused' | 'completed';
  requestedBy: string;
  handledBy: string | null;
  answer: string | null;
  placement: Placement;
  createdAt: number;
  updatedAt: number;
};

type RequestRow = DB['privacy_requests'] extends infer T ? { [K in keyof T]: T[K] } : never;

const requestOf = (row: RequestRow): PrivacyRequest => ({
  id: row.id,
  personId: row.person_id,
  kind: row.kind,
  details: row.details,
  state: row.state,
  requestedBy: row.requested_by,
  handledBy: row.handled_by,
  answer: row.answer,
  placement: placementOf(row),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export async function insertRequest(db: Kysely<DB>, request: PrivacyRequest): Promise<void> {
  await db
    .insertInto('privacy_requests')
    .values({
      id: request.id,
      person_id: request.personId,
      kind: request.kind,
      details: request.details,
      state: request.state,
      requested_by: request.requestedBy,
      handled_by: null,
      answer: null,
      region_id: request.placement.regionId,
      village_id: request.placement.villageId,
      township_id: request.placement.townshipId,
      county_id: request.placement.countyId,
      created_at: request.createdAt,
      updated_at: request.updatedAt,
    })
    .execute();
}

export async function findRequest(db: Kysely<DB>, id: string): Promise<PrivacyRequest | undefined> {
  const row = await db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && requestOf(row as RequestRow);
}

/** Newest first, at most 500: the open queue of a county is far smaller. */
export async function listRequests(db: Kysely<DB>, filter: { personId: string } | { scope: Scope }): Promise<PrivacyRequest[]> {
  let query = db.selectFrom('privacy_requests').selectAll().orderBy('created_at', 'desc').limit(500);
  query =
    'personId' in filter
      ? query.where('person_id', '=', filter.personId)
      : query.where(inScope(filter.scope, { table: 'privacy_requests' }));
  return (await query.execute()).map((r) => requestOf(r as RequestRow));
}

/** Moves the request on only from the state it was read in, so that two handlers never both act. */
export async function moveRequest(
  db: Kysely<DB>,
  id: string,
  from: PrivacyRequest['state'],
  to: PrivacyRequest['state'],
  handledBy: string,
  answer: string | null,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('privacy_requests')
    .set({ state: to, handled_by: handledBy, answer, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertHold(db: Kysely<DB>, hold: { id: string; personId: string; reason: string; placedBy: string; at: number }) {
  await db
    .insertInto('privacy_holds')
    .values({ id: hold.id, person_id: hold.personId, reason: hold.reason, placed_by: hold.placedBy, placed_at: hold.at, released_at: null })
    .execute();
}

export async function findHold(db: Kysely<DB>, id: string) {
  return db.selectFrom('privacy_holds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function activeHolds(db: Kysely<DB>, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('privacy_holds')
    .select('reason')
    .where('person_id', '=', personId)
    .where('released_at', 'is', null)
    .execute();
  return rows.map((r) => r.reason);
}

export async function releaseHold(db: Kysely<DB>, id: string, now: number): Promise<void> {
  await db.updateTable('privacy_holds').set({ released_at: now }).where('id', '=', id).where('released_at', 'is', null).execute();
}
