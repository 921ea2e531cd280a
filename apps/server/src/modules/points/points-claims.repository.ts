// Claims for points under a rule, with their before and after photos.
import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { placementOf } from '../../db/placement.ts';
import type { DB, PointsClaimPhotoTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import { type HouseholdPlace, placeColumns } from './points.repository.ts';

/** A claim as its own tables hold it; the head's name beside it is org's (points-claims.service.ts adds it). */
export type ClaimRecord = {
  id: string;
  householdId: string;
  ruleId: string;
  filedBy: string;
  note: string | null;
  state: 'submitted' | 'moreInfo' | 'approved' | 'rejected';
  reason: string | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
  ledgerId: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  placement: Placement;
  ruleItem: string;
  points: number;
  photoCount: number;
};

function selectClaims(db: Kysely<DB>) {
  return db
    .selectFrom('points_claims as c')
    .innerJoin('points_rules as r', 'r.id', 'c.rule_id')
    .selectAll('c')
    .select(['r.item as rule_item', 'r.points'])
    .select((eb) =>
      eb
        .selectFrom('points_claim_photos as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.claim_id', '=', 'c.id')
        .as('photo_count'),
    );
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof selectClaims>['executeTakeFirstOrThrow']>>;

const toClaim = (r: ClaimRow): ClaimRecord => ({
  id: r.id,
  householdId: r.household_id,
  ruleId: r.rule_id,
  filedBy: r.filed_by,
  note: r.note,
  state: r.state as ClaimRecord['state'],
  reason: r.reason,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  ledgerId: r.ledger_id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  placement: placementOf(r, r.household_id),
  ruleItem: r.rule_item,
  points: r.points,
  photoCount: Number(r.photo_count ?? 0),
});

export async function findClaim(db: Kysely<DB>, id: string): Promise<ClaimRecord | undefined> {
  const row = await selectClaims(db).where('c.id', '=', id).executeTakeFirst();
  return row && toClaim(row);
}

/** A claim known to exist (read again in the transaction that changed it). */
export async function requireClaim(db: Kysely<DB>, id: string): Promise<ClaimRecord> {
  return toClaim(await selectClaims(db).where('c.id', '=', id).executeTakeFirstOrThrow());
}

export async function insertClaim(
  db: Kysely<DB>,
  claim: { id: string; household: HouseholdPlace; ruleId: string; filedBy: string; note: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('points_claims')
    .values({
      id: claim.id,
      household_id: claim.household.id,
      ...placeColumns(claim.household),
      rule_id: claim.ruleId,
      filed_by: claim.filedBy,
      note: claim.note,
      state: 'submitted',
      reason: null,
      reviewed_by: null,
      reviewed_at: null,
      ledger_id: null,
      version: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** What a review changes; fields left out stay as they are. */
export type ClaimChanges = {
  state: ClaimRecord['state'];
  reason?: string | null;
  note?: string | null;
  reviewedBy?: string;
  reviewedAt?: number;
  ledgerId?: string;
};

/** Moves a claim only if nobody moved it since it was read. */
export async function updateClaimAtVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  changes: ClaimChanges,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('points_claims')
    .set({
      state: changes.state,
      ...(changes.reason !== undefined && { reason: changes.reason }),
      ...(changes.note !== undefined && { note: changes.note }),
      ...(changes.reviewedBy !== undefined && { reviewed_by: changes.reviewedBy, reviewed_at: changes.reviewedAt }),
      ...(changes.ledgerId !== undefined && { ledger_id: changes.ledgerId }),
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Newest first: ids are UUIDv7, so the id orders by filing time. */
const CLAIM_KEYS = [['c.id', 'desc']] as const;

export async function listClaims(
  db: Kysely<DB>,
  filter: { scope: Scope; states?: string[]; householdId?: string; after?: readonly [string]; limit: number },
): Promise<ClaimRecord[]> {
  let query = selectClaims(db).where(inScope(filter.scope, { table: 'c', householdColumn: 'household_id' }));
  if (filter.states) query = query.where('c.state', 'in', filter.states);
  if (filter.householdId) query = query.where('c.household_id', '=', filter.householdId);
  const rows = await keysetPage(query, CLAIM_KEYS, filter.after, filter.limit).execute();
  return rows.map(toClaim);
}

export type ClaimPhoto = {
  id: string;
  claimId: string;
  stage: string;
  fileKey: string;
  thumbKey: string;
  width: number;
  height: number;
  uploadedBy: string;
  createdAt: number;
};

const toClaimPhoto = (p: PointsClaimPhotoTable): ClaimPhoto => ({
  id: p.id,
  claimId: p.claim_id,
  stage: p.stage,
  fileKey: p.file_key,
  thumbKey: p.thumb_key,
  width: p.width,
  height: p.height,
  uploadedBy: p.uploaded_by,
  createdAt: p.created_at,
});

export async function insertClaimPhoto(db: Kysely<DB>, photo: Omit<ClaimPhoto, 'createdAt'>, now: number): Promise<ClaimPhoto> {
  const row: PointsClaimPhotoTable = {
    id: photo.id,
    claim_id: photo.claimId,
    stage: photo.stage,
    file_key: photo.fileKey,
    thumb_key: photo.thumbKey,
    width: photo.width,
    height: photo.height,
    uploaded_by: photo.uploadedBy,
    created_at: now,
  };
  await db.insertInto('points_claim_photos').values(row).execute();
  return toClaimPhoto(row);
}

export async function listClaimPhotos(db: Kysely<DB>, claimId: string): Promise<ClaimPhoto[]> {
  const rows = await db.selectFrom('points_claim_photos').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();
  return rows.map(toClaimPhoto);
}
