// The place a camera page centres on: the region of the caller's first role that sees cameras.
import type { SessionInfo } from '@cunzhi/contracts/auth';

const CAMERA_ROLES = ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker'];

export function homeRegionOf(session: SessionInfo | null | undefined): string | undefined {
  return session?.user.assignments.find((a) => CAMERA_ROLES.includes(a.role))?.regionId;
}
