import type { SessionInfo } from '@cunzhi/contracts/auth';
import type { Principal } from '../../platform/access.ts';
import { presentAssignment } from '../../platform/assignment-presenter.ts';
import { permissionsOf } from './auth.service.ts';
import type { SecondFactorStanding } from './sessions.service.ts';

/** The signed-in session as the web app sees it: who, what they may do, and the second factor's standing. */
export const presentSession = (principal: Principal, csrfToken: string, standing: SecondFactorStanding): SessionInfo => ({
  user: {
    id: principal.userId,
    phone: principal.phone,
    displayName: principal.displayName,
    householdId: principal.householdId,
    assignments: principal.assignments.map(presentAssignment),
  },
  permissions: permissionsOf(principal),
  csrfToken,
  idleTimeoutMinutes: standing.idleTimeoutMinutes,
  totpEnabled: standing.totpEnabled,
  totpEnrolmentRequired: standing.totpEnrolmentRequired,
});
