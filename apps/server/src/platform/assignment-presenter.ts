import type { RoleAssignment } from '@cunzhi/contracts/org';
import type { Assignment } from './access.ts';

/** A role assignment as it leaves the server: in the signed-in session (auth) and in user management (org). */
export const presentAssignment = (a: Assignment): RoleAssignment => ({
  id: a.id,
  role: a.role,
  regionId: a.regionId,
  regionName: a.regionName,
  regionLevel: a.regionLevel,
  gridId: a.gridId,
});
