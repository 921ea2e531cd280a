// Elders in care: who may see them (those caring for their place, and linked family members),
// their records, their devices and the family links. Every read of an elder's health data is
// audited in the care services, so that each way in (the care API, FHIR, a key granted read
// access) leaves the same trace.
import { randomBytes } from 'node:crypto';
import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import { allows, authorize, hasPermission, type Placement, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashToken } from '../../platform/tokens.ts';
import { getPerson, homeOfPerson, namesOfPeople } from '../org/people.service.ts';
import { userExists } from '../org/users.service.ts';
import { withdrawnAmong } from '../privacy/privacy.service.ts';
import * as alarms from './care-alarms.repository.ts';
import { auditRead } from './care-audit.ts';
import { forgetDevices, withNotedActivity, withNotedSeen } from './care-device-cache.ts';
import * as devices from './care-devices.repository.ts';
import * as repo from './care-elders.repository.ts';

export type { Device } from './care-devices.repository.ts';
export type { Elder, ElderRecord } from './care-elders.repository.ts';

export type ElderInput = {
  personId: string;
  livingSituation: string;
  conditions: string[];
  contacts: { name: string; relation: string; phone: string }[];
  doctorUserId?: string | null;
  caretakerUserId?: string | null;
  presence?: 'home' | 'away' | 'hospital';
};

/**
 * The elders with the names org registers them under, asked of org a thousand at a time (a county's
 * elders stay within the databases' limits on bound values). An elder whose person is gone from the
 * register is left out, as the join it replaces left them out. Each carries their latest activity,
 * including what this process noted and has not written yet.
 */
export async function withNames(deps: Deps, records: Iterable<repo.ElderRecord>): Promise<repo.Elder[]> {
  const list = [...records];
  const names = new Map<string, string>();
  for (let start = 0; start < list.length; start += 1000) {
    const batch = await namesOfPeople(
      deps,
      list.slice(start, start + 1000).map((e) => e.personId),
    );
    for (const [id, name] of batch) names.set(id, name);
  }
  return list.flatMap((e) => {
    const name = names.get(e.personId);
    return name === undefined ? [] : [{ ...withNotedActivity(deps, e), name }];
  });
}

/**
 * Code-point order, as the databases sorted the names care's lists used to join in (PostgreSQL
 * under the C collation, SQLite's binary): lists sorted here read as they did.
 */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Elders by name, then id, so that equal names keep one order. */
const byName = (a: repo.Elder, b: repo.Elder) => compareText(a.name, b.name) || compareText(a.personId, b.personId);

/** Those caring for the elder's place, and the family members linked to the elder, may see their care. */
export async function maySee(
  deps: Deps,
  principal: Principal,
  elderPersonId: string,
  placement: repo.ElderRecord['placement'],
): Promise<boolean> {
  return allows(principal, 'care.read', placement) || (await repo.linkedElderIds(deps.reader, principal.userId)).includes(elderPersonId);
}

/** The elders a family member is linked to: they see those besides anything in their scope. */
export function linkedElderIds(deps: Deps, userId: string): Promise<string[]> {
  return repo.linkedElderIds(deps.reader, userId);
}

/**
 * A key the county granted no read scope (a device gateway writes readings only) is refused outright,
 * rather than shown an empty county: the sender then knows to ask for the grant.
 */
export function refuseWriteOnlyKey(principal: Principal): void {
  if (principal.key && !hasPermission(principal, 'care.read')) throw new AppError('forbidden');
}

/** The households that have an elder in care (a notice's audience "households with an elder"); ids only. */
/**
 * A household moved to another place (org's move, in its transaction): its elders and their open
 * alarms move with it, so the staff of the new place see them and get their alarms, and those of
 * the old place no longer do. Org calls this through a function handed to it in app.ts (care
 * depends on org, not back); elderPlacementsChanged follows the commit.
 */
export async function moveEldersOfHousehold(db: Kysely<DB>, householdId: string, placement: Placement, now: number): Promise<void> {
  const moved = await repo.moveEldersOfHousehold(db, householdId, placement, now);
  await alarms.moveOpenAlarms(db, moved, placement);
}

/** Drops this process's cached elders (and their places) after their placement changed. */
export function elderPlacementsChanged(deps: Deps): void {
  forgetDevices(deps);
}

export function householdsWithElders(deps: Deps): Promise<Set<string>> {
  return repo.householdsWithElders(deps.reader);
}

export async function elderInScope(deps: Deps, principal: Principal, personId: string): Promise<repo.ElderRecord> {
  refuseWriteOnlyKey(principal);
  const elder = await repo.findElder(deps.reader, personId);
  if (!elder || !(await maySee(deps, principal, personId, elder.placement))) throw notFound('elder');
  return elder;
}

/**
 * Links a family member to an elder, with the elder's consent recorded (by the village or the
 * health centre that took it): the family member then sees that elder's readings and alarms, and
 * nothing of anyone else.
 */
export async function linkFamily(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  elderPersonId: string,
  input: { userId: string; consent: boolean },
): Promise<void> {
  const elder = await elderInScope(deps, principal, elderPersonId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  if (!input.consent) throw new AppError('consent_required');
  // A withdrawn family-access consent (PIPL art. 15) is given again through /api/privacy, not by a new link.
  if ((await withdrawnAmong(deps, [elderPersonId], 'familyAccess')).size > 0) throw new AppError('consent_withdrawn');
  if (!(await userExists(deps.reader, input.userId))) throw notFound('user');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.linkFamily(trx, { elderPersonId, userId: input.userId, linkedBy: principal.userId }, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'care.family.link',
        targetType: 'person',
        targetId: elderPersonId,
        regionId: elder.placement.regionId,
        details: { userId: input.userId },
      },
      now,
    );
  });
}

/** Marks a registered person as an elder in care (or updates the record), with contacts and carers. */
export async function saveElder(deps: Deps, principal: Principal, actor: Actor, input: ElderInput): Promise<repo.Elder> {
  const person = await getPerson(deps, principal, input.personId);
  authorize(principal, 'care.manage', person.placement, 'person');
  const elder = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const saved = await repo.upsertElder(
      trx,
      {
        personId: person.id,
        householdId: person.householdId,
        livingSituation: input.livingSituation,
        conditions: input.conditions,
        contacts: input.contacts,
        doctorUserId: input.doctorUserId ?? null,
        caretakerUserId: input.caretakerUserId ?? null,
        presence: input.presence ?? 'home',
        placement: person.placement,
      },
      now,
    );
    await recordAudit(
      trx,
      actor,
      { action: 'care.elder.save', targetType: 'person', targetId: person.id, regionId: person.placement.regionId },
      now,
    );
    return saved;
  });
  forgetDevices(deps);
  return { ...elder, name: person.name };
}

/** The elders in care the principal may see (their records carry conditions and contacts), audited. */
export async function listElders(deps: Deps, principal: Principal, actor: Actor, filter: { mine?: boolean } = {}): Promise<repo.Elder[]> {
  refuseWriteOnlyKey(principal);
  const all = await repo.listElders(deps.reader, scopeFor(principal, 'care.read'), await linkedElderIds(deps, principal.userId));
  const mine = filter.mine ? all.filter((e) => e.doctorUserId === principal.userId || e.caretakerUserId === principal.userId) : all;
  const elders = (await withNames(deps, mine)).sort(byName);
  await auditRead(deps, actor, 'care.elders.read', { targetType: 'elder', details: { count: elders.length } });
  return elders;
}

/** One elder's record, audited. */
export async function readElder(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<repo.Elder> {
  const [elder] = await withNames(deps, [await elderInScope(deps, principal, personId)]);
  if (!elder) throw notFound('elder');
  await auditRead(deps, actor, 'care.elder.read', { elder });
  return elder;
}

/** Who may see where an elder lives and their phone: those who go to them, over the elder's place. */
const HOME_READERS: readonly Role[] = ['doctor', 'caretaker', 'gridWorker'];

/**
 * An elder's address and phone, for those who would go to the door or call: their doctor's and
 * caretaker's roles, the grid worker of their place, and their linked family. Anyone else who sees
 * the elder's care (a cadre, an official, a key) is refused, and the refusal is audited as the read is.
 */
export async function elderHome(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
): Promise<{ address: string | null; phone: string | null }> {
  const elder = await elderInScope(deps, principal, personId);
  const asCarer = { ...principal, assignments: principal.assignments.filter((a) => HOME_READERS.includes(a.role)) };
  const allowed =
    !principal.key &&
    (allows(asCarer, 'care.read', elder.placement) || (await repo.linkedElderIds(deps.reader, principal.userId)).includes(personId));
  const entry = { action: 'care.elder.home.read', targetType: 'person', targetId: personId, regionId: elder.placement.regionId };
  if (!allowed) {
    await recordAudit(deps.db, actor, { ...entry, outcome: 'denied' }, deps.now());
    throw forbidden();
  }
  const home = await homeOfPerson(deps, personId);
  await recordAudit(deps.db, actor, entry, deps.now());
  return { address: home?.address ?? null, phone: home?.phone ?? null };
}

/** The devices a gateway speaks for: those of the elders in its township. */
export async function gatewayDevices(deps: Deps, gateway: Principal): Promise<{ serial: string; kind: string }[]> {
  return devices.listDevicesIn(deps.reader, scopeFor(gateway, 'care.ingest'));
}

/** A device's own key: made at registration, shown once, stored as a hash. */
function newDeviceKey(): { key: string; hash: string } {
  const key = `dev_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashToken(key) };
}

/** The device calling with its own key, if the key is one. */
export function deviceForKey(deps: Deps, key: string): Promise<devices.Device | undefined> {
  return devices.findDeviceByKeyHash(deps.reader, hashToken(key));
}

export async function registerDevice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { serial: string; kind: string; elderPersonId: string },
): Promise<{ device: devices.Device; key: string }> {
  const elder = await elderInScope(deps, principal, input.elderPersonId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  // The device's own key, shown once: the installer puts it on the device.
  const { key, hash } = newDeviceKey();
  const device = await deps.db
    .transaction()
    .execute(async (trx) => {
      const now = deps.now();
      const id = uuidv7(now);
      const inserted = await devices.insertDevice(
        trx,
        { id, serial: input.serial, kind: input.kind, elderPersonId: elder.personId, keyHash: hash },
        now,
      );
      await recordAudit(
        trx,
        actor,
        { action: 'care.device.register', targetType: 'device', targetId: id, regionId: elder.placement.regionId },
        now,
      );
      return inserted;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError('serial_taken');
      throw error;
    });
  forgetDevices(deps);
  return { device, key };
}

/** An elder's devices with battery and last-seen time (when the elder was last heard of), audited. */
export async function devicesOf(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<devices.Device[]> {
  const elder = await elderInScope(deps, principal, personId);
  const found = (await devices.listDevicesOf(deps.reader, personId)).map((device) => withNotedSeen(deps, device));
  await auditRead(deps, actor, 'care.devices.read', { elder });
  return found;
}
