// The elder's home device (a tablet or TV box showing the elder's call page): paired to the elder's
// home with a one-time code that a linked family member, the elder's caretaker or a care manager
// issues, then known by its own key (shown once, stored as a hash). It carries the elder's call
// settings: who is answered without a press, and the standing consent to a look at home.
import { randomBytes, randomInt } from 'node:crypto';
import { allows, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { processCache } from '../../platform/process-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { namesOfPeople } from '../org/people.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import { auditRead } from './care-audit.ts';
import * as repo from './care-calls.repository.ts';
import { endLooksOf, type HomeDevice, relationOf } from './care-calls.service.ts';
import { callHub } from './care-calls-hub.ts';
import * as elders from './care-elders.repository.ts';
import { PairingGuard } from './care-pairing-guard.ts';
import { iceServers } from './care-turn-credentials.ts';

/** A pairing code is typed on the TV box within this long, or asked for again. */
export const PAIRING_MS = 10 * 60_000;
const KEY_PREFIX = 'home_';

const codeHash = (code: string) => hashToken(`pair:${code}`);

/** The home device a key names; undefined for any other key (a gateway's, a speaker's, a revoked one). */
export async function homeDeviceForKey(deps: Deps, key: string): Promise<HomeDevice | undefined> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
  return repo.findHomeDeviceByKeyHash(deps.reader, hashToken(key));
}

export const homeActor = (device: HomeDevice, origin: { ip: string; requestId: string }): Actor => ({
  userId: null,
  roles: `home-device:${device.id}`,
  ip: origin.ip,
  requestId: origin.requestId,
});

/** An eight-digit code for the elder's TV box, for ten minutes: issued by the elder's family, caretaker or a care manager. */
export async function issuePairing(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  elderPersonId: string,
): Promise<{ code: string; expiresAt: number }> {
  const elder = await elders.findElder(deps.reader, elderPersonId);
  const allowed =
    elder && ((await relationOf(deps, principal.userId, elder)) !== null || allows(principal, 'care.manage', elder.placement));
  const entry = { action: 'care.home.pairing', targetType: 'person', targetId: elderPersonId, regionId: elder?.placement.regionId ?? null };
  if (!allowed || principal.key) {
    await recordAudit(deps.db, actor, { ...entry, outcome: 'denied' }, deps.now());
    throw forbidden();
  }
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  const now = deps.now();
  const expiresAt = now + PAIRING_MS;
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertPairing(trx, { codeHash: codeHash(code), elderPersonId, issuedBy: principal.userId, expiresAt });
    await recordAudit(trx, actor, entry, now);
  });
  return { code, expiresAt };
}

/**
 * Unpairs: the home device itself (解除配对 on the TV box), or every home device of the elder (a
 * lost or given-away TV box), by those who may pair one. The keys stop working at once; audited.
 */
export async function revokeHomeDevices(
  deps: Deps,
  by: { device: HomeDevice } | { principal: Principal },
  actor: Actor,
  elderPersonId: string,
): Promise<number> {
  const entry = { action: 'care.home.revoke', targetType: 'person', targetId: elderPersonId };
  if ('principal' in by) {
    const elder = await elders.findElder(deps.reader, elderPersonId);
    const allowed =
      elder &&
      !by.principal.key &&
      ((await relationOf(deps, by.principal.userId, elder)) !== null || allows(by.principal, 'care.manage', elder.placement));
    if (!allowed) {
      await recordAudit(deps.db, actor, { ...entry, outcome: 'denied' }, deps.now());
      throw forbidden();
    }
  }
  const now = deps.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const count = await repo.revokeHomeDevices(trx, { elderPersonId, id: 'device' in by ? by.device.id : undefined }, now);
    await recordAudit(trx, actor, { ...entry, details: { count } }, now);
    return count;
  });
  return revoked;
}

const pairingGuard = (deps: Deps) => processCache(deps, 'care.pairing.guard', () => new PairingGuard());

/**
 * The TV box gives the code once and gets its own key; a wrong, used or late code is refused (and
 * audited). Past the county-wide count of wrong codes every pairing waits (429, care-pairing-guard.ts).
 */
export async function pairHomeDevice(
  deps: Deps,
  actor: Actor,
  code: string,
): Promise<{ deviceId: string; key: string; elderName: string }> {
  const now = deps.now();
  const guard = pairingGuard(deps);
  const verdict = guard.check(actor.ip ?? '', now);
  if (!verdict.open) {
    if (verdict.audit) {
      await recordAudit(deps.db, actor, { action: 'care.home.pair', outcome: 'denied', details: { reason: 'too_many_wrong_codes' } }, now);
    }
    throw new AppError('pairing_too_many_guesses', {
      seconds: verdict.retryAfterSeconds,
      minutes: Math.ceil(verdict.retryAfterSeconds / 60),
    });
  }
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const deviceId = uuidv7(now);
  const paired = await deps.db.transaction().execute(async (trx) => {
    const pairing = await repo.usePairing(trx, codeHash(code), now);
    if (!pairing) return undefined;
    await repo.insertHomeDevice(
      trx,
      { id: deviceId, elderPersonId: pairing.elderPersonId, keyHash: hashToken(key), pairedBy: pairing.issuedBy },
      now,
    );
    await recordAudit(
      trx,
      { ...actor, roles: `home-device:${deviceId}` },
      {
        action: 'care.home.pair',
        targetType: 'person',
        targetId: pairing.elderPersonId,
        details: { deviceId, issuedBy: pairing.issuedBy },
      },
      now,
    );
    return pairing;
  });
  if (!paired) {
    guard.fail(now);
    await recordAudit(deps.db, actor, { action: 'care.home.pair', outcome: 'denied', details: { reason: 'wrong_code' } }, now);
    throw new AppError('pairing_code_invalid');
  }
  // The page that showed the code stops showing it (it is used up).
  callHub(deps).send({ kind: 'user', userId: paired.issuedBy }, 'paired', { elderPersonId: paired.elderPersonId });
  const elderName = (await namesOfPeople(deps, [paired.elderPersonId])).get(paired.elderPersonId) ?? '';
  return { deviceId, key, elderName };
}

export type HomeView = {
  elderPersonId: string;
  elderName: string;
  contacts: { userId: string; name: string; relation: 'family' | 'caretaker'; autoAnswer: boolean }[];
  lookConsent: boolean;
};

/** The home device's page: whose home, whom it calls (the linked family, then the caretaker), the elder's settings; audited. */
export async function homeView(deps: Deps, device: HomeDevice, actor: Actor): Promise<HomeView> {
  const elder = await elders.findElder(deps.reader, device.elderPersonId);
  if (!elder) throw forbidden();
  const family = await elders.familyOf(deps.reader, elder.personId);
  const settings = await repo.findSettings(deps.reader, elder.personId);
  const caretaker = elder.caretakerUserId && !family.includes(elder.caretakerUserId) ? [elder.caretakerUserId] : [];
  const names = await displayNamesOfUsers(deps, [...family, ...caretaker]);
  const elderName = (await namesOfPeople(deps, [elder.personId])).get(elder.personId) ?? '';
  await auditRead(deps, actor, 'care.home.read', { elder });
  return {
    elderPersonId: elder.personId,
    elderName,
    contacts: [
      ...family.map((userId) => ({
        userId,
        name: names.get(userId) ?? '',
        relation: 'family' as const,
        autoAnswer: settings.autoAnswerUserIds.includes(userId),
      })),
      ...caretaker.map((userId) => ({ userId, name: names.get(userId) ?? '', relation: 'caretaker' as const, autoAnswer: false })),
    ],
    lookConsent: settings.lookConsent,
  };
}

/**
 * The elder's own settings, from the home device: the family members answered without a press
 * (linked ones only) and the standing consent to a look. Withdrawing the consent ends a look at once.
 */
export async function saveHomeSettings(
  deps: Deps,
  device: HomeDevice,
  actor: Actor,
  input: { autoAnswerUserIds: string[]; lookConsent: boolean },
): Promise<void> {
  const family = await elders.familyOf(deps.reader, device.elderPersonId);
  const strangers = input.autoAnswerUserIds.filter((id) => !family.includes(id));
  if (strangers.length > 0)
    throw new AppError('validation_failed', {}, [{ field: 'autoAnswerUserIds', problem: 'only linked family members' }]);
  const settings = { autoAnswerUserIds: [...new Set(input.autoAnswerUserIds)], lookConsent: input.lookConsent };
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveSettings(trx, device.elderPersonId, settings, `home-device:${device.id}`, now);
    await recordAudit(
      trx,
      actor,
      { action: 'care.call.settings', targetType: 'person', targetId: device.elderPersonId, details: settings },
      now,
    );
  });
  if (!settings.lookConsent) await endLooksOf(deps, device.elderPersonId, actor);
  const hub = callHub(deps);
  hub.send({ kind: 'home', elderPersonId: device.elderPersonId }, 'settings', { lookConsent: settings.lookConsent });
  // The family's call pages follow the consent at once (a withdrawn one greys 看看家里 without a reload).
  for (const userId of family) {
    hub.send({ kind: 'user', userId }, 'consent', { elderPersonId: device.elderPersonId, lookAllowed: settings.lookConsent });
  }
}

/**
 * Tells the elder's linked family whether the home device is on (a call stream of it open), after
 * one opened or closed: their call pages show or drop 家里的平板或电视没有打开 without a reload. The
 * state is read after the family is, so the last of quick opens and closes tells the state as it is.
 */
export async function announceHomePresence(deps: Deps, elderPersonId: string): Promise<void> {
  const family = await elders.familyOf(deps.reader, elderPersonId);
  const hub = callHub(deps);
  const homeOnline = hub.online({ kind: 'home', elderPersonId });
  for (const userId of family) hub.send({ kind: 'user', userId }, 'presence', { elderPersonId, homeOnline });
}

/** STUN and TURN for one browser: TURN credentials of its own that expire (the username names who asked). */
export function iceConfigFor(deps: Deps, who: string) {
  return iceServers(deps.config, who, deps.now());
}
