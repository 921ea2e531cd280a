import type { Kysely } from 'kysely';
import type { CasePhotoTable, DB } from '../../db/schema.ts';

export type PhotoStage = 'report' | 'before' | 'after';

export type CasePhoto = {
  id: string;
  caseId: string;
  stage: PhotoStage;
  uploadedBy: string;
  width: number;
  height: number;
  bytes: number;
  fileKey: string;
  thumbKey: string;
  publicKey: string | null;
  publicThumbKey: string | null;
  createdAt: number;
};

const toPhoto = (row: CasePhotoTable): CasePhoto => ({
  id: row.id,
  caseId: row.case_id,
  stage: row.stage as PhotoStage,
  uploadedBy: row.uploaded_by,
  width: row.width,
  height: row.height,
  bytes: row.bytes,
  fileKey: row.file_key,
  thumbKey: row.thumb_key,
  publicKey: row.public_key,
  publicThumbKey: row.public_thumb_key,
  createdAt: row.created_at,
});

export async function insertPhoto(db: Kysely<DB>, row: CasePhotoTable): Promise<void> {
  await db.insertInto('case_photos').values(row).execute();
}

export async function listPhotos(db: Kysely<DB>, caseId: string): Promise<CasePhoto[]> {
  const rows = await db.selectFrom('case_photos').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map(toPhoto);
}

/** Published photos of many cases at once, for a public page. */
export async function listPublishedPhotos(db: Kysely<DB>, caseIds: string[]): Promise<CasePhoto[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('case_photos')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .where('public_key', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map(toPhoto);
}

export async function findPhoto(db: Kysely<DB>, caseId: string, id: string): Promise<CasePhoto | undefined> {
  const row = await db.selectFrom('case_photos').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
  return row && toPhoto(row);
}

export async function countPhotos(db: Kysely<DB>, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('case_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPublicCopy(db: Kysely<DB>, id: string, keys: { publicKey: string; publicThumbKey: string } | null): Promise<void> {
  await db
    .updateTable('case_photos')
    .set({ public_key: keys?.publicKey ?? null, public_thumb_key: keys?.publicThumbKey ?? null })
    .where('id', '=', id)
    .execute();
}
