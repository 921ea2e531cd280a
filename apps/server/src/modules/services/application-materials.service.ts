// The materials of an application: pictures or PDFs the applicant's side uploads while the
// application waits for them, and the department reads (each read audited: they hold personal data).
import { hash } from 'node:crypto';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { isApplicantSide, recordDenied, visibleApplication } from './application-access.ts';
import * as repo from './applications.repository.ts';
import * as catalogue from './catalogue.repository.ts';

export type UploadedMaterial = Omit<repo.StoredMaterial, 'key'>;

/**
 * Adds a material to an application while it is submitted or waiting for more materials. The
 * material must be one the item asks for (or one the department asked for); the bytes must be
 * a picture or a PDF, whatever they claim to be.
 */
/** The files one material may have (the pages of a household register, say). */
export const MAX_FILES_PER_MATERIAL = 10;
/** All of one application's files together, after pictures are shrunk. */
export const MAX_MATERIAL_BYTES = 60 * 1_048_576;

export async function uploadMaterial(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  applicationId: string,
  material: string,
  data: Buffer,
  idempotencyKey: string | undefined,
): Promise<UploadedMaterial> {
  const application = await visibleApplication(deps, principal, applicationId);
  if (!isApplicantSide(principal, application)) {
    await recordDenied(deps, actor, 'services.material.upload', applicationId, { material });
    throw forbidden();
  }
  if (application.state !== 'submitted' && application.state !== 'moreMaterials') {
    throw new AppError('invalid_transition', {}, { state: application.state, action: 'upload' });
  }
  const item = (await catalogue.findItem(deps.reader, application.itemId)) as catalogue.StoredItem;
  const known = new Set([...item.materials.map((m) => m.name), ...application.missing]);
  if (!known.has(material)) throw new AppError('validation_failed', {}, { field: 'material', known: [...known] });
  const checked = await checkDocument(data).catch(async (error: unknown) => {
    await recordDenied(deps, actor, 'services.material.upload', applicationId, { material, problem: 'not_a_document' });
    throw error;
  });
  return runIdempotent(
    deps.db,
    {
      principalId: principal.userId,
      key: idempotencyKey,
      operation: `services.upload:${applicationId}:${material}`,
      // The file itself, not its length: another file of the same size under the same key is 422.
      payload: { sha256: hash('sha256', data) },
    },
    async (trx) => {
      // Checked again where the file is written: a decision made while the picture was being
      // checked (a second or two for a large one) must not be followed by a file it never saw.
      if (!(await repo.takesMaterials(trx, applicationId))) {
        const now = await repo.findApplication(trx, applicationId);
        throw new AppError('invalid_transition', {}, { state: now?.state, action: 'upload' });
      }
      const held = await repo.listMaterials(trx, applicationId);
      const bytes = held.reduce((sum, file) => sum + file.bytes, 0) + checked.data.length;
      if (held.filter((file) => file.material === material).length >= MAX_FILES_PER_MATERIAL || bytes > MAX_MATERIAL_BYTES)
        throw new AppError('materials_full', { max: MAX_FILES_PER_MATERIAL, mb: MAX_MATERIAL_BYTES / 1_048_576 });
      const now = deps.now();
      const id = uuidv7(now);
      const key = `services/${applicationId}/${id}${checked.contentType === 'application/pdf' ? '.pdf' : '.jpg'}`;
      await deps.files.put(key, checked.data);
      const { key: _key, ...stored } = await repo.insertMaterial(
        trx,
        applicationId,
        { id, material, contentType: checked.contentType, bytes: checked.data.length, createdAt: now, key },
        principal.userId,
      );
      await recordAudit(
        trx,
        actor,
        {
          action: 'services.material.upload',
          targetType: 'serviceApplication',
          targetId: applicationId,
          regionId: application.placement.regionId,
          details: { material },
        },
        now,
      );
      return stored;
    },
  );
}

export async function materialFile(deps: Deps, principal: Principal, actor: Actor, applicationId: string, fileId: string) {
  const application = await visibleApplication(deps, principal, applicationId);
  const file = (await repo.listMaterials(deps.reader, applicationId)).find((f) => f.id === fileId);
  if (!file) throw notFound('file');
  const data = await deps.files.get(file.key);
  if (!data) throw notFound('file');
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'services.material.read',
      targetType: 'serviceApplication',
      targetId: applicationId,
      regionId: application.placement.regionId,
    },
    deps.now(),
  );
  return { data, contentType: file.contentType };
}
