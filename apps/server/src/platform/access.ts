// One place decides who may do what: from the role, the region a role is held at, and where the
// resource sits in the region tree. Lists use the same scope as SQL filters (db/scope-filter.ts).
import { isDutyRole, type Role } from '@cunzhi/contracts/roles';
import type { RegionLevel } from '../db/schema.ts';
import { forbidden, type NotFoundTarget, notFound } from './errors.ts';

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'org.readIdNumber',
  'user.manage',
  'audit.read',
  'cases.read',
  'cases.supervise',
  'cases.configure',
  'points.read',
  'points.file',
  'points.keep',
  'points.rules',
  'points.verify',
  'care.read',
  'care.manage',
  'care.ingest',
  'care.visit',
  'services.read',
  'services.apply',
  'services.handle',
  'services.catalogue',
  'notices.write',
  'apiKeys.grant',
  'privacy.handle',
  'privacy.record',
  'monitoring.manage',
  'monitoring.view',
  'evidence.request',
  'evidence.decide',
  'poverty.read',
  'poverty.configure',
  'agri.read',
  'agri.farm',
  'agri.advise',
  'agri.figures',
  'agri.camera',
  'screen.read',
  'screen.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF_READERS: Role[] = [
  'countyAdmin',
  'townshipOfficial',
  'villageCadre',
  'gridWorker',
  'appealsAgent',
  'doctor',
  'caretaker',
  'pointsKeeper',
  'serviceHallAgent',
];

/** Roles that act on their own household only, whatever region the role is held at. */
const HOUSEHOLD_ROLES: Role[] = ['villager'];

/**
 * Separation of duties (GB/T 22239-2019 8.1.4.2 and 8.1.4.3, README "Separation of duties"): the
 * county's system administrator configures the platform, its security administrator manages
 * accounts and roles, its audit administrator alone reads the audit log; each holds nothing else.
 * The county admin runs the county's business (cases, points, care, services) and none of the three.
 */
const GRANTS: Record<Permission, Role[]> = {
  // The security administrator picks regions and people when linking and placing accounts.
  'org.read': [...STAFF_READERS, 'villager', 'securityAdmin', 'extensionWorker'],
  'org.write': ['countyAdmin', 'townshipOfficial', 'villageCadre'],
  // Proxy applications and county records need the full number; everyone else sees it masked.
  'org.readIdNumber': ['countyAdmin', 'townshipOfficial', 'serviceHallAgent'],
  // A township official staffs its own township below it; the county's accounts are the security administrator's.
  'user.manage': ['securityAdmin', 'townshipOfficial'],
  'audit.read': ['auditAdmin'],
  // Cases in a region: who sees them, and who takes them in, assigns, returns and closes them.
  'cases.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker', 'appealsAgent'],
  'cases.supervise': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'appealsAgent'],
  // The county's categories, routing, deadlines and working calendar.
  'cases.configure': ['systemAdmin'],
  // The points bank: accounts are read by the village and the household; claims are filed by the
  // household or for it; the keeper reviews, runs the shop and books; cadres record deductions.
  'points.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker', 'pointsKeeper', 'villager'],
  'points.file': ['villager', 'villageCadre', 'gridWorker', 'pointsKeeper'],
  'points.keep': ['villageCadre', 'pointsKeeper'],
  'points.rules': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'pointsKeeper'],
  'points.verify': ['countyAdmin'],
  // Elders' health: the township health centre, the village, their caretakers and grid workers.
  'care.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker', 'doctor', 'caretaker'],
  'care.manage': ['townshipOfficial', 'villageCadre', 'doctor'],
  // A health centre's device gateway acts as an account holding the doctor role for its township.
  'care.ingest': ['doctor'],
  // PIPL requests (arts. 44-47) and legal holds: the county and the person's township; the record of processing (art. 54): the county.
  'privacy.handle': ['countyAdmin', 'townshipOfficial'],
  'privacy.record': ['countyAdmin'],
  // Who records visits: caretakers' daily visits and care rounds, grid workers' calls, doctors' home visits.
  'care.visit': ['caretaker', 'gridWorker', 'villageCadre', 'doctor'],
  // Government services: applications are seen by the places that hold them and the hall that made them.
  // Department handlers see their own department's applications (by department, not by place).
  'services.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'serviceHallAgent', 'villager'],
  // A villager for their own household; a service-hall agent on a villager's behalf in their township.
  'services.apply': ['villager', 'serviceHallAgent'],
  // Department handlers decide the applications of their department's items.
  'services.handle': ['departmentHandler'],
  'services.catalogue': ['systemAdmin'],
  // Government information is pushed by the village, the township and the county to their own people.
  'notices.write': ['countyAdmin', 'townshipOfficial', 'villageCadre'],
  // What an integration key may do beyond its kind (a gateway reading health data) is the county's call.
  'apiKeys.grant': ['systemAdmin'],
  // Cameras: the county, township and village cadres register and change those of their place;
  // they and the grid workers look at the pictures of their place (elders' homes: cadres only,
  // modules/monitoring/camera-access.ts).
  'monitoring.manage': ['countyAdmin', 'townshipOfficial', 'villageCadre'],
  'monitoring.view': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker'],
  // Evidence for the police: the township's police liaison asks for a camera's pictures over a
  // time range for a case; a cadre whose region holds the camera approves or refuses. The liaison
  // sees no pictures online, only the package once approved (modules/monitoring/monitoring-evidence.*).
  'evidence.request': ['policeLiaison'],
  'evidence.decide': ['townshipOfficial', 'villageCadre'],
  // Return-to-poverty monitoring: a household's economics are seen by the cadres and grid workers
  // of its place and the offices above (the township's and the county's rural revitalisation
  // office); which step each may take is modules/poverty/poverty-workflow.ts's. The county sets
  // the monitoring line and thresholds.
  'poverty.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker'],
  'poverty.configure': ['countyAdmin'],
  // Farms (modules/agri): a household keeps its own plots and flocks (villager: own household only);
  // the township's extension worker (农技员) keeps those of the township, writes the advice library
  // and weather, and answers questions; the place's cadres and grid workers read farms; figures are
  // aggregated for the wall screen. Attaching a camera: the household, the worker and the cadres.
  'agri.read': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'gridWorker', 'extensionWorker', 'villager'],
  'agri.farm': ['extensionWorker', 'villager'],
  'agri.advise': ['extensionWorker'],
  'agri.figures': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'extensionWorker'],
  'agri.camera': ['countyAdmin', 'townshipOfficial', 'villageCadre', 'extensionWorker', 'villager'],
  // The wall screen (modules/dashboard): the place's cadres read it at their desks and issue and
  // revoke the keys of its screens; a screen key itself reads only its own place's screen.
  'screen.read': ['countyAdmin', 'townshipOfficial', 'villageCadre'],
  'screen.manage': ['countyAdmin', 'townshipOfficial', 'villageCadre'],
};

export type Assignment = {
  id: string;
  role: Role;
  regionId: string;
  regionLevel: RegionLevel;
  regionName: string;
  gridId: string | null;
  /** The villager groups of the grid, when the role is held for a grid. */
  gridRegionIds: string[];
};

export type Principal = {
  userId: string;
  displayName: string;
  phone: string;
  personId: string | null;
  householdId: string | null;
  assignments: Assignment[];
  /** Set when an integration key acts for its account: the key may do less than the account. */
  key?: KeyGrant;
};

/**
 * An integration key acting for its account. A device gateway's account holds the doctor role for
 * its township, but the key only writes readings (care.ingest); it reads health data only where the
 * county granted it that scope. Open311 keys do what their account does.
 */
export type KeyGrant = { kind: 'open311' | 'gateway' | 'screen'; scopes: string[] };
const KEY_PERMISSIONS: Partial<Record<KeyGrant['kind'], Permission[]>> = { gateway: ['care.ingest'], screen: ['screen.read'] };
/** The scopes the county may grant a gateway key. */
export const GRANTABLE_KEY_SCOPES = ['care.read'] as const satisfies readonly Permission[];

function keyAllows(principal: Principal, permission: Permission): boolean {
  const own = principal.key && KEY_PERMISSIONS[principal.key.kind];
  return !own || own.includes(permission) || (principal.key?.scopes.includes(permission) ?? false);
}

/** Where a resource sits: its own node and the ancestors copied onto it. */
export type Placement = {
  regionId: string;
  villageId: string | null;
  townshipId: string | null;
  countyId: string | null;
  householdId?: string | null;
};

/** Region ids per level that a permission reaches, plus single households. Empty means nothing. */
export type Scope = {
  countyIds: string[];
  townshipIds: string[];
  villageIds: string[];
  regionIds: string[];
  householdIds: string[];
};

/** The distinct roles held, in the order they were given. */
export function rolesOf(holder: { assignments: Assignment[] }): Role[] {
  return [...new Set(holder.assignments.map((a) => a.role))];
}

/** The roles that hold a permission anywhere. */
export const rolesWith = (permission: Permission): readonly Role[] => GRANTS[permission];

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return keyAllows(principal, permission) && principal.assignments.some((a) => GRANTS[permission].includes(a.role));
}

export function scopeFor(principal: Principal, permission: Permission): Scope {
  const scope: Scope = { countyIds: [], townshipIds: [], villageIds: [], regionIds: [], householdIds: [] };
  if (!keyAllows(principal, permission)) return scope;
  for (const assignment of principal.assignments) {
    if (!GRANTS[permission].includes(assignment.role)) continue;
    if (HOUSEHOLD_ROLES.includes(assignment.role)) {
      if (principal.householdId) scope.householdIds.push(principal.householdId);
    } else if (assignment.gridId) {
      scope.regionIds.push(...assignment.gridRegionIds);
    } else {
      const byLevel = {
        county: scope.countyIds,
        township: scope.townshipIds,
        village: scope.villageIds,
        villagerGroup: scope.regionIds,
      };
      byLevel[assignment.regionLevel].push(assignment.regionId);
    }
  }
  return scope;
}

export function isEmptyScope(scope: Scope): boolean {
  return Object.values(scope).every((ids) => ids.length === 0);
}

export function scopeIncludes(scope: Scope, placement: Placement): boolean {
  return (
    (placement.countyId !== null && scope.countyIds.includes(placement.countyId)) ||
    (placement.townshipId !== null && scope.townshipIds.includes(placement.townshipId)) ||
    (placement.villageId !== null && scope.villageIds.includes(placement.villageId)) ||
    scope.regionIds.includes(placement.regionId) ||
    (placement.householdId != null && scope.householdIds.includes(placement.householdId))
  );
}

export function allows(principal: Principal, permission: Permission, placement: Placement): boolean {
  return scopeIncludes(scopeFor(principal, permission), placement);
}

/** A role as a user holds it, placed in the region tree: what deciding over that user looks at. */
export type HeldRole = { role: Role; regionLevel: RegionLevel; placement: Placement };

const DEPTH: Record<RegionLevel, number> = { county: 0, township: 1, village: 2, villagerGroup: 3 };

/**
 * Roles that manage users rank at the level of the region they are held at; every other role
 * manages nobody and ranks below any manager whose region holds it. Comparing region levels of
 * all roles instead would stop a county admin appointing the county's department handlers and a
 * township official staffing its own service hall, the only levels those roles exist at.
 */
const managesUsers = (role: Role) => GRANTS['user.manage'].includes(role);

/**
 * Whether the principal may give this role at this place, or take it away, or act on an account
 * that holds it: one of the principal's managing roles must hold the place, and a managing role
 * may only be given strictly below that manager's level. So nobody makes a peer or a superior:
 * a township official never a township official, a security administrator never another one.
 * The three duties (system, security, audit administration) nobody gives here at all.
 */
export function mayAssignRole(principal: Principal, held: HeldRole): boolean {
  // Whoever could give a duty could also reset its holder's password and act as it, so the duties
  // come from the command line only, and nobody through the API manages an account holding one.
  if (isDutyRole(held.role)) return false;
  return principal.assignments.some(
    (own) =>
      managesUsers(own.role) &&
      scopeIncludes(scopeFor({ ...principal, assignments: [own] }, 'user.manage'), held.placement) &&
      (!managesUsers(held.role) || DEPTH[held.regionLevel] > DEPTH[own.regionLevel]),
  );
}

/**
 * Whether giving `adding` to an account holding `held` would break the separation of duties: a
 * duty role (system, security or audit administration) is the only role its account holds, so
 * no account holds two of them, nor a duty beside any other work.
 */
export function dutiesConflict(held: Role[], adding: Role): boolean {
  const roles = new Set([...held, adding]);
  return roles.size > 1 && [...roles].some(isDutyRole);
}

/**
 * How far a manager reaches over one user account; every user operation asks this one question.
 * - `see`: one of the user's roles lies in the manager's scope, enough to list and read it.
 * - `manage`: the manager could have given the user every role it holds (mayAssignRole), so
 *   resetting its password, disabling it or changing its roles never hands the manager an account
 *   that reaches outside its scope or sits at or above its level. Any role out of reach spoils
 *   the whole account: a password opens every role at once.
 * - `assign`: the user holds no role, so any manager may give it its first role (within
 *   mayAssignRole), but not set its password, disable, enable or unlock it. An account without
 *   roles is a blank the county may still give any role: whoever knew its password then would
 *   hold that role, so only a manager at the county level, who could give any role below its
 *   own, handles the password and state of a roleless account. A township official who gives
 *   the first role manages the account from then on, as any other in its reach.
 * A manager's own account always holds its own managing role, so it is never `manage` here; a
 * user changes their own password through the auth routes.
 */
export function accessToUser(principal: Principal, target: { assignments: HeldRole[] }): 'none' | 'see' | 'assign' | 'manage' {
  if (!hasPermission(principal, 'user.manage')) return 'none';
  if (target.assignments.length === 0) {
    return principal.assignments.some((own) => managesUsers(own.role) && own.regionLevel === 'county') ? 'manage' : 'assign';
  }
  if (target.assignments.every((held) => mayAssignRole(principal, held))) return 'manage';
  const scope = scopeFor(principal, 'user.manage');
  return target.assignments.some((held) => scopeIncludes(scope, held.placement)) ? 'see' : 'none';
}

/**
 * Throws unless the principal may do this here. What the principal cannot even see is reported
 * as missing (404), so ids from another village reveal nothing; what it can see but not change
 * is refused (403).
 */
export function authorize(principal: Principal, permission: Permission, placement: Placement, target: NotFoundTarget): void {
  if (allows(principal, permission, placement)) return;
  if (permission !== 'org.read' && allows(principal, 'org.read', placement)) throw forbidden();
  throw notFound(target);
}
