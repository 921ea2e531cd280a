import type { RoleAssignmentInput, UserInput } from '@cunzhi/contracts/org';
import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import type { DB, RegionLevel } from '../../db/schema.ts';
import {
  type Assignment,
  accessToUser,
  allows,
  dutiesConflict,
  hasPermission,
  mayAssignRole,
  type Principal,
  scopeFor,
} from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { hashPassword, passwordProblem } from '../../platform/passwords.ts';
import { sessionCacheOf } from '../../platform/session-cache.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import { getPerson } from './people.service.ts';
import { findGrid } from './regions.repository.ts';
import { requireRegion } from './regions.service.ts';
import * as repo from './users.repository.ts';

/** The region levels at which each role makes sense. */
const ROLE_LEVELS: Record<Role, RegionLevel[]> = {
  countyAdmin: ['county'],
  systemAdmin: ['county'],
  securityAdmin: ['county'],
  auditAdmin: ['county'],
  townshipOfficial: ['township'],
  villageCadre: ['village'],
  gridWorker: ['village'],
  appealsAgent: ['county', 'township'],
  departmentHandler: ['county', 'township'],
  doctor: ['township', 'village'],
  caretaker: ['village', 'villagerGroup'],
  pointsKeeper: ['village'],
  serviceHallAgent: ['township'],
  // The police station's contact for one township: asks for camera pictures as evidence.
  policeLiaison: ['township'],
  // The agricultural extension station's worker (农技员): a township's, or the county station's.
  extensionWorker: ['county', 'township'],
  villager: ['village', 'villagerGroup'],
  familyMember: ['county', 'township', 'village', 'villagerGroup'],
};

export function assignmentsOf(deps: Deps, userId: string): Promise<Assignment[]> {
  return repo.loadAssignments(deps.db, userId);
}

/** Whether an account with this id exists; `db` is the caller's transaction when inside one. */
export function userExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return repo.userExists(db, id);
}

function requireManager(principal: Principal): void {
  if (!hasPermission(principal, 'user.manage')) throw forbidden();
}

/**
 * The user, when the principal reaches it as far as `need` (platform/access.ts accessToUser, the
 * one rule for every user operation). A user the principal cannot see is missing (404), so ids
 * from elsewhere reveal nothing; one it sees but may not change is refused (403).
 */
async function requireUser(deps: Deps, principal: Principal, id: string, need: 'see' | 'assign' | 'manage'): Promise<repo.UserRecord> {
  requireManager(principal);
  const user = await repo.findUser(deps.db, id);
  if (!user) throw notFound('user');
  requireReach(principal, user, need);
  return user;
}

function requireReach(principal: Principal, user: repo.UserRecord, need: 'see' | 'assign' | 'manage'): void {
  const reach = accessToUser(principal, user);
  if (reach === 'none') throw notFound('user');
  if (need === 'manage' && reach === 'assign') throw new AppError('first_role_only');
  if (need !== 'see' && reach === 'see') throw forbidden();
}

/** For other modules' administrator actions on an account (auth's reset of a second factor). */
export const requireManagedUser = (deps: Deps, principal: Principal, id: string) => requireUser(deps, principal, id, 'manage');

/**
 * What org asks of auth about an account: its sessions, integration keys, password and lock are
 * auth's tables. Auth depends on org (a principal's roles), so org takes these functions (auth's
 * sessions.service.ts and credentials.service.ts, handed over by app.ts to org's routes) instead
 * of importing auth, which would make a cycle.
 */
export type AccountSessions = PasswordSetter & {
  /** Ends every session of the account, in the caller's transaction. */
  endSessionsOf: (db: Kysely<DB>, userId: string) => Promise<void>;
  backsApiKey: (db: Kysely<DB>, userId: string) => Promise<boolean>;
  /** Clears the count of wrong passwords and the lock, in the caller's transaction. */
  unlock: (db: Kysely<DB>, userId: string, now: number) => Promise<void>;
  /** Until when each of these accounts is locked, for those locked at `now`. */
  lockedUntilOf: (db: Kysely<DB>, userIds: readonly string[], now: number) => Promise<Map<string, number>>;
};

/**
 * Sets an account's password (a hash) and clears its lock, in the caller's transaction: auth's,
 * handed in. `mustChange`: chosen by someone other than the holder, who must change it first.
 */
export type PasswordSetter = {
  setPassword: (db: Kysely<DB>, userId: string, passwordHash: string, now: number, mustChange: boolean) => Promise<void>;
};

/** An account with the lock auth keeps on it, as the user pages show it. */
export type UserRecord = repo.UserRecord & { lockedUntil: number | null };

async function withLocks(deps: Deps, accounts: AccountSessions, users: repo.UserRecord[]): Promise<UserRecord[]> {
  const locks = await accounts.lockedUntilOf(
    deps.db,
    users.map((u) => u.id),
    deps.now(),
  );
  return users.map((u) => ({ ...u, lockedUntil: locks.get(u.id) ?? null }));
}

async function withLock(deps: Deps, accounts: AccountSessions, user: repo.UserRecord): Promise<UserRecord> {
  return (await withLocks(deps, accounts, [user]))[0] as UserRecord;
}

/**
 * An account that backs an integration key acts only through its key: it never logs in, so
 * nobody sets its password, enables it or gives it roles here (disabling it, which stops the key,
 * and taking roles away stay open to whoever manages it).
 */
async function refuseKeyAccount(deps: Deps, accounts: AccountSessions, userId: string): Promise<void> {
  if (await accounts.backsApiKey(deps.db, userId)) throw new AppError('key_account');
}

export async function listUsers(
  deps: Deps,
  principal: Principal,
  query: { q?: string; limit?: number; cursor?: string },
  accounts: AccountSessions,
): Promise<Page<UserRecord>> {
  requireManager(principal);
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.listUsers(deps.db, {
    scope: scopeFor(principal, 'user.manage'),
    includeUnassigned: true,
    q: query.q?.trim() || undefined,
    after,
    limit,
  });
  return toPage(await withLocks(deps, accounts, rows), limit, (u) => [u.id]);
}

export async function getUser(deps: Deps, principal: Principal, id: string, accounts: AccountSessions): Promise<UserRecord> {
  return withLock(deps, accounts, await requireUser(deps, principal, id, 'see'));
}

export async function createUser(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: UserInput,
  accounts: PasswordSetter,
): Promise<UserRecord> {
  requireManager(principal);
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError(problem);
  if (input.personId) {
    // An account linked to a person acts as that person (their household's points, consents, data
    // export): only someone who keeps the register of that person's place may make one, and only
    // one account speaks for a person. A security administrator manages staff accounts, not people.
    const person = await getPerson(deps, principal, input.personId);
    if (!allows(principal, 'org.write', person.placement)) throw forbidden();
    if (await repo.personHasAccount(deps.db, person.id)) throw new AppError('person_has_account');
  }
  const passwordHash = await hashPassword(input.password);
  const now = deps.now();
  const id = uuidv7(now);
  return explainUniqueViolation('phone_taken', () =>
    deps.db.transaction().execute(async (trx) => {
      const created = await repo.insertUser(
        trx,
        { id, phone: input.phone, displayName: input.displayName, personId: input.personId ?? null },
        now,
      );
      // The administrator chose it and hands it over: the new account's first sign-in changes it.
      await accounts.setPassword(trx, id, passwordHash, now, true);
      await recordAudit(trx, actor, { action: 'user.create', targetType: 'user', targetId: id, details: { phone: input.phone } }, now);
      return { ...created, lockedUntil: null };
    }),
  );
}

export async function addRoleAssignment(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  userId: string,
  input: RoleAssignmentInput,
  accounts: AccountSessions,
): Promise<UserRecord> {
  const user = await requireUser(deps, principal, userId, 'see');
  // Told before reach, which a duty holder's account is always out of: the separation is the reason.
  if (
    dutiesConflict(
      user.assignments.map((a) => a.role),
      input.role,
    )
  )
    throw new AppError('duties_conflict');
  requireReach(principal, user, 'assign');
  await refuseKeyAccount(deps, accounts, userId);
  const region = await requireRegion(deps, input.regionId);
  if (!allows(principal, 'user.manage', region.placement)) throw notFound('region');
  // The user stays within the manager's reach after the change as before it.
  if (!mayAssignRole(principal, { role: input.role, regionLevel: region.level, placement: region.placement })) throw forbidden();
  if (!ROLE_LEVELS[input.role].includes(region.level)) throw new AppError('role_scope_invalid');
  const gridId = input.gridId ?? null;
  if (input.role === 'gridWorker') {
    const grid = gridId ? await findGrid(deps.db, gridId) : undefined;
    if (!grid) throw notFound('grid');
    if (grid.villageId !== region.id) throw new AppError('role_scope_invalid');
  } else if (gridId) {
    throw new AppError('role_scope_invalid');
  }
  if (input.role === 'villager') {
    const person = user.personId ? await getPerson(deps, principal, user.personId) : undefined;
    if (!person?.householdId) throw new AppError('role_scope_invalid');
  }
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    await repo.insertRoleAssignment(trx, { id, userId, role: input.role, regionId: region.id, gridId }, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'user.role.assign',
        targetType: 'user',
        targetId: userId,
        regionId: region.id,
        details: { assignmentId: id, role: input.role, gridId },
      },
      now,
    );
  });
  // Forgotten once committed, so no request in between caches the roles as they were.
  sessionCacheOf(deps).forgetUser(userId);
  return withLock(deps, accounts, await repo.readUser(deps.db, userId));
}

export async function removeRoleAssignment(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  userId: string,
  assignmentId: string,
  accounts: AccountSessions,
): Promise<UserRecord> {
  // Managing the user covers every role it holds, this one too.
  const user = await requireUser(deps, principal, userId, 'manage');
  const assignment = user.assignments.find((a) => a.id === assignmentId);
  if (!assignment) throw notFound('roleAssignment');
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteRoleAssignment(trx, assignmentId);
    await recordAudit(trx, actor, {
      action: 'user.role.remove',
      targetType: 'user',
      targetId: userId,
      regionId: assignment.regionId,
      details: { assignmentId, role: assignment.role },
    });
  });
  sessionCacheOf(deps).forgetUser(userId);
  return withLock(deps, accounts, await repo.readUser(deps.db, userId));
}

export type UserTransition = 'disable' | 'enable' | 'unlock';

export async function transitionUser(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  userId: string,
  action: UserTransition,
  accounts: AccountSessions,
): Promise<UserRecord> {
  // Nobody passes for their own account (it holds the manager's own role), so none disables itself.
  await requireUser(deps, principal, userId, 'manage');
  if (action === 'enable') await refuseKeyAccount(deps, accounts, userId);
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (action === 'unlock') await accounts.unlock(trx, userId, now);
    else await repo.setUserDisabled(trx, userId, action === 'disable', now);
    if (action === 'disable') await accounts.endSessionsOf(trx, userId);
    await recordAudit(trx, actor, { action: `user.${action}`, targetType: 'user', targetId: userId }, now);
  });
  sessionCacheOf(deps).forgetUser(userId);
  return withLock(deps, accounts, await repo.readUser(deps.db, userId));
}

export async function resetPassword(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  userId: string,
  newPassword: string,
  accounts: AccountSessions,
): Promise<void> {
  await requireUser(deps, principal, userId, 'manage');
  await refuseKeyAccount(deps, accounts, userId);
  const problem = passwordProblem(newPassword);
  if (problem) throw new AppError(problem);
  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await accounts.setPassword(trx, userId, passwordHash, deps.now(), true);
    await accounts.endSessionsOf(trx, userId);
    await recordAudit(trx, actor, { action: 'user.password_reset', targetType: 'user', targetId: userId });
  });
  sessionCacheOf(deps).forgetUser(userId);
}

/**
 * An account that only ever acts through an integration key (an Open311 client, a device
 * gateway): it has no password at all. Set-up and demo data make these.
 */
export async function createKeyAccount(
  deps: Deps,
  account: { phone: string; displayName: string; role: Role; regionId: string },
): Promise<string> {
  const now = deps.now();
  const userId = uuidv7(now);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertUser(trx, { id: userId, phone: account.phone, displayName: account.displayName, personId: null }, now);
    await repo.insertRoleAssignment(trx, { id: uuidv7(now), userId, role: account.role, regionId: account.regionId, gridId: null }, now);
  });
  return userId;
}

/**
 * The display names of the given accounts, for another module's records of what they did (a care
 * visit's visitor). Not an access-checked read: the caller shows them only where it shows the record.
 */
export function displayNamesOfUsers(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.listDisplayNamesByIds(deps.reader, [...new Set(ids)]);
}

/** The account holding a phone number; the demo seeds find their staff by it. */
export function userIdByPhone(deps: Deps, phone: string): Promise<string | undefined> {
  return repo.findUserIdByPhone(deps.reader, phone);
}

/** The account holding a phone number, read on the writer (a sign-in, which writes next). */
export function accountIdByPhone(db: Kysely<DB>, phone: string): Promise<string | undefined> {
  return repo.findUserIdByPhone(db, phone);
}

/**
 * The accounts that speak for a person: what they reported or did is theirs (privacy export and
 * erasure). `db` is the erasure's transaction where there is one. Not an access-checked read.
 */
export function accountsOfPerson(db: Kysely<DB>, personId: string): Promise<string[]> {
  return repo.listUserIdsOfPerson(db, personId);
}

export type PrincipalAccount = repo.AccountIdentity & { assignments: Assignment[] };

/**
 * What auth needs of an account to act as it (a session, an integration key): who it is, its
 * household, whether it is disabled, and its roles, read together. Not an access-checked read.
 */
export async function principalAccount(deps: Deps, userId: string): Promise<PrincipalAccount | undefined> {
  const [identity, assignments] = await Promise.all([repo.findAccountIdentity(deps.db, userId), repo.loadAssignments(deps.db, userId)]);
  return identity && { ...identity, assignments };
}

/**
 * Returns once no open transaction is still changing the account's roles, so that a read made next
 * sees a removed role that was under way (auth's check of a long-lived response's session).
 */
export function awaitRoleWriters(deps: Deps, userId: string): Promise<void> {
  return repo.awaitAssignmentWriters(deps.db, userId);
}

/** The phone numbers of the given accounts, to text them (an alarm to a family member). Not an access-checked read. */
export function phonesOfUsers(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.listPhonesByIds(deps.reader, [...new Set(ids)]);
}
