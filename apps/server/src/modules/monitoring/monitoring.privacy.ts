// What the monitoring module processes about people, for the record of processing
// (privacy-declarations.ts), and its retention purge: a camera's pictures are deleted (row and
// files) once its retention days are over, unless an evidence hold keeps them.
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as cameras from './monitoring-cameras.repository.ts';
import * as snapshots from './monitoring-snapshots.repository.ts';

const DAY_MS = 24 * 3_600_000;
const BATCH = 200;

/**
 * Rows go first, in a transaction with the audit row, then the files: a crash between leaves
 * unreferenced files, never a picture listed without its file. A snapshot held meanwhile (evidence)
 * is not deleted: the delete itself asks again that it is not held.
 */
export async function deleteExpiredSnapshots(deps: Deps): Promise<number> {
  const now = deps.now();
  let deleted = 0;
  for (const camera of await cameras.retentionOfCameras(deps.db)) {
    const before = now - camera.retentionDays * DAY_MS;
    for (;;) {
      const expired = await snapshots.expiredSnapshots(deps.db, camera.id, before, BATCH);
      if (expired.length === 0) break;
      const gone = await deps.db.transaction().execute(async (trx) => {
        const ids = await snapshots.deleteUnheldSnapshots(
          trx,
          expired.map((s) => s.id),
        );
        if (ids.length > 0) {
          await recordAudit(
            trx,
            SYSTEM_ACTOR,
            {
              action: 'privacy.purge',
              targetType: 'camera',
              targetId: camera.id,
              details: { module: 'monitoring', snapshots: ids.length },
            },
            now,
          );
        }
        return new Set(ids);
      });
      for (const snapshot of expired.filter((s) => gone.has(s.id))) {
        await deps.files.remove(snapshot.fileKey);
        await deps.files.remove(snapshot.thumbKey);
      }
      deleted += gone.size;
      if (expired.length < BATCH) break;
    }
  }
  return deleted;
}

export const monitoringPrivacy: PrivacyDeclaration = {
  module: 'monitoring',
  activities: [
    {
      name: '公共区域视频图像 / Camera pictures of public places',
      dataCategories: ['images of people and vehicles in public places', 'time and place'],
      subjects: 'people passing the cameras of market towns and public security',
      purpose: 'public security and finding unauthorised building (公共安全、乱搭乱建巡查)',
      legalBasis: 'publicInterest',
      sensitive: true,
      retention: "each camera's retention days (set per camera); pictures held as evidence until the hold is released",
      recipients: ['village cadre', 'township official', 'county administrator', 'grid worker of the place'],
    },
    {
      name: '农业与居家养老摄像头 / Farm and elder’s home cameras',
      dataCategories: ['images of a household’s farm, yard or home, masked where the camera was told'],
      subjects: 'households that asked for a camera, elders living at home',
      // Installed at the household's request under its agreement with the village.
      purpose: 'watch crops and flocks; look after elders living alone',
      legalBasis: 'contract',
      sensitive: true,
      retention: "each camera's retention days; elder's home pictures are seen by cadres only",
      recipients: ['village cadre', 'township official', 'county administrator'],
    },
  ],
  purges: [{ name: 'snapshotRetention', everyMs: 3_600_000, run: deleteExpiredSnapshots }],
};
