import type { SessionInfo, SignedInSession } from '@cunzhi/contracts/auth';
import type { Principal } from '../../platform/access.ts';
import { presentAssignment } from '../../platform/assignment-presenter.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { permissionsOf } from './auth.service.ts';
import type { DeviceSession } from './device-sessions.service.ts';
import type { SessionStanding } from './sessions.service.ts';

/** The signed-in session as the web app sees it: who, what they may do, and what the session still owes. */
export const presentSession = (principal: Principal, csrfToken: string, standing: SessionStanding): SessionInfo => ({
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
  passwordChangeRequired: standing.passwordChangeRequired,
});

/** One of the person's own signed-in devices: its handle, times, how it signed in and its coarse kind. */
export const presentDeviceSession = (session: DeviceSession): SignedInSession => ({
  id: session.id,
  createdAt: toIso(session.createdAt),
  lastSeenAt: toIso(session.lastSeenAt),
  signIn: session.signIn,
  system: session.system,
  browser: session.browser,
  staysUntil: toIsoOrNull(session.staysUntil),
  current: session.current,
});
