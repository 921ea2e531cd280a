// Every module's privacy declaration, in one list: the record of processing, exports, erasures,
// withdrawals and purges all read it. A module with personal data that is missing here fails
// privacy.test.ts ("every module declares itself").
import { agriPrivacy } from '../agri/agri.privacy.ts';
import { auditPrivacy } from '../audit/audit.privacy.ts';
import { authPrivacy } from '../auth/auth.privacy.ts';
import { carePrivacy } from '../care/care.privacy.ts';
import { casesPrivacy } from '../cases/cases.privacy.ts';
import { dashboardPrivacy } from '../dashboard/dashboard.privacy.ts';
import { monitoringPrivacy } from '../monitoring/monitoring.privacy.ts';
import { noticesPrivacy } from '../notices/notices.privacy.ts';
import { notificationsPrivacy } from '../notifications/notifications.privacy.ts';
import { open311Privacy } from '../open311/open311.privacy.ts';
import { orgPrivacy } from '../org/org.privacy.ts';
import { pointsPrivacy } from '../points/points.privacy.ts';
import { povertyPrivacy } from '../poverty/poverty.privacy.ts';
import { servicesPrivacy } from '../services/services.privacy.ts';
import { privacyPrivacy } from './privacy.privacy.ts';
import type { PrivacyDeclaration } from './privacy-declaration.ts';

export const DECLARATIONS: readonly PrivacyDeclaration[] = [
  orgPrivacy,
  authPrivacy,
  auditPrivacy,
  casesPrivacy,
  open311Privacy,
  pointsPrivacy,
  carePrivacy,
  servicesPrivacy,
  noticesPrivacy,
  notificationsPrivacy,
  monitoringPrivacy,
  povertyPrivacy,
  agriPrivacy,
  dashboardPrivacy,
  privacyPrivacy,
];
