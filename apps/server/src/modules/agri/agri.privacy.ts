// What the agri module processes about people, for the record of processing (privacy-declarations.ts).
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './agri.privacy.repository.ts';

/** A day after upload, a photo never attached to an observation, question or rule is removed. */
export const FREE_PHOTO_HOURS = 24;

/** Removes photos uploaded and never used (an observation abandoned on the phone): the row first, then the bytes. */
export async function purgeFreePhotos(deps: Deps): Promise<number> {
  const now = deps.now();
  let removed = 0;
  for (const photo of await repo.freePhotosBefore(deps.db, now - FREE_PHOTO_HOURS * 3_600_000, 500)) {
    const gone = await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteFreePhoto(trx, photo.id))) return false;
      await recordAudit(
        trx,
        SYSTEM_ACTOR,
        { action: 'privacy.purge', targetType: 'photo', targetId: photo.id, details: { module: 'agri' } },
        now,
      );
      return true;
    });
    if (!gone) continue;
    for (const key of photo.keys) await deps.files.remove(key);
    removed++;
  }
  return removed;
}

export const agriPrivacy: PrivacyDeclaration = {
  module: 'agri',
  activities: [
    {
      name: '农户生产档案与农技服务 / Farm records and extension advice',
      dataCategories: ['plots and flocks', 'observations and photos', 'yields and sales', 'questions to the extension worker'],
      subjects: 'households farming in the county',
      purpose: 'keep the household’s farm record, send the advice that concerns it and answer its questions',
      legalBasis: 'publicInterest',
      sensitive: false,
      retention: 'kept while the household farms; photos never attached are removed after a day; figures are aggregated without households',
      recipients: ['extension worker', 'village cadre', 'township official'],
    },
  ],
  purges: [{ name: 'freePhotos', everyMs: 3_600_000, run: purgeFreePhotos }],
  exportPerson: async (deps, person) => (person.householdId ? repo.farmDataOfHousehold(deps.reader, person.householdId) : {}),
};
