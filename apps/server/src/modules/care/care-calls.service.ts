// Family calls and a look at home (issue 20): a linked family member calls the elder's home device
// (or the caretaker is called from it), and with the elder's standing consent a family member looks
// through the home device's camera. Media goes browser to browser over WebRTC; the platform only
// signals, and only between the two sides of a call: anyone else is refused and the refusal audited.
// Every call and look is recorded and audited; a look ends at once when the consent is withdrawn.
import type { SignalInput } from '@cunzhi/contracts/care-calls';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { localDay, localDayStart, toIso, toIsoOrNull } from '../../platform/time.ts';
import { notify } from '../notifications/notifications.service.ts';
import { namesOfPeople } from '../org/people.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import { auditRead } from './care-audit.ts';
import * as repo from './care-calls.repository.ts';
import { type CallHub, callHub, type LiveCall, type Party, sameParty } from './care-calls-hub.ts';
import { withNotedActivity } from './care-device-cache.ts';
import * as elders from './care-elders.repository.ts';

/** A call nobody answers stops ringing after this long and is a missed call. */
export const RING_MS = 45_000;
/** An active look checks this often that the link and the consent still stand (a withdrawal made elsewhere). */
export const LOOK_RECHECK_MS = 5_000;

export type HomeDevice = repo.HomeDevice;
export type Caller = { kind: 'user'; principal: Principal; actor: Actor } | { kind: 'home'; device: HomeDevice; actor: Actor };

export type CallView = repo.CallRecord & { elderName: string; userName: string };

const partyOf = (caller: Caller): Party =>
  caller.kind === 'user' ? { kind: 'user', userId: caller.principal.userId } : { kind: 'home', elderPersonId: caller.device.elderPersonId };

/** How a user stands to an elder's home: a linked family member, the elder's caretaker, or nobody. */
export async function relationOf(deps: Deps, userId: string, elder: elders.ElderRecord): Promise<'family' | 'caretaker' | null> {
  if ((await elders.familyOf(deps.reader, elder.personId)).includes(userId)) return 'family';
  if (elder.caretakerUserId === userId) return 'caretaker';
  return null;
}

/** Refuses, with the refusal in the audit trail (who tried what on whose home). */
async function refuse(deps: Deps, actor: Actor, action: string, targetId: string | null, reason: string): Promise<never> {
  await recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'person', targetId, details: { reason } }, deps.now());
  throw forbidden();
}

export async function withNames(deps: Deps, calls: repo.CallRecord[]): Promise<CallView[]> {
  const people = await namesOfPeople(
    deps,
    calls.map((c) => c.elderPersonId),
  );
  const users = await displayNamesOfUsers(
    deps,
    calls.map((c) => c.userId),
  );
  return calls.map((c) => ({ ...c, elderName: people.get(c.elderPersonId) ?? '', userName: users.get(c.userId) ?? '' }));
}

/** Starts a call (or a look) and rings the other side; a side that is not online gets a missed call. */
export async function startCall(
  deps: Deps,
  caller: Caller,
  input: { kind: 'call' | 'look'; elderPersonId?: string; userId?: string },
): Promise<CallView> {
  const action = input.kind === 'look' ? 'care.look.start' : 'care.call.start';
  const elderPersonId = caller.kind === 'home' ? caller.device.elderPersonId : input.elderPersonId;
  if (!elderPersonId) throw new AppError('validation_failed', {}, [{ field: 'elderPersonId', problem: 'required' }]);
  if (caller.kind === 'home' && (input.kind !== 'call' || !input.userId)) {
    throw new AppError('validation_failed', {}, [{ field: 'userId', problem: 'a home device calls a family member or the caretaker' }]);
  }
  const elder = await elders.findElder(deps.reader, elderPersonId);
  const userId = caller.kind === 'user' ? caller.principal.userId : (input.userId as string);
  const relation = elder ? await relationOf(deps, userId, elder) : null;
  if (!elder || !relation) return refuse(deps, caller.actor, action, elderPersonId, 'not_linked');
  const settings = await repo.findSettings(deps.reader, elderPersonId);
  if (input.kind === 'look' && (relation !== 'family' || !settings.lookConsent)) {
    return refuse(deps, caller.actor, action, elderPersonId, relation === 'family' ? 'no_consent' : 'not_family');
  }

  const hub = callHub(deps);
  const home: Party = { kind: 'home', elderPersonId };
  const user: Party = { kind: 'user', userId };
  const [from, to]: [Party, Party] = caller.kind === 'home' ? [home, user] : [user, home];
  const busy = [...hub.calls.values()].some((c) => c.elderPersonId === elderPersonId);
  const reachable = hub.online(to) && !busy;
  const now = deps.now();
  const call: repo.CallRecord = {
    id: uuidv7(now),
    elderPersonId,
    kind: input.kind,
    direction: caller.kind === 'home' ? 'home' : relation,
    userId,
    state: reachable ? 'ringing' : 'missed',
    autoAnswered: false,
    startedAt: now,
    answeredAt: null,
    endedAt: reachable ? null : now,
    endReason: reachable ? null : busy ? 'busy' : 'offline',
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertCall(trx, call);
    await recordAudit(
      trx,
      caller.actor,
      { action, targetType: 'person', targetId: elderPersonId, regionId: elder.placement.regionId, details: { callId: call.id, userId } },
      now,
    );
  });
  const [view] = await withNames(deps, [call]);
  if (!view) throw new Error('a call has names');
  if (!reachable) {
    await afterMissed(deps, elder, call);
    return view;
  }
  // A look is answered by the standing consent; a call by the elder's setting for this family member.
  const autoAnswer = input.kind === 'look' || (to.kind === 'home' && settings.autoAnswerUserIds.includes(userId));
  const live: LiveCall = { id: call.id, elderPersonId, kind: input.kind, caller: from, callee: to, state: 'ringing', autoAnswer };
  live.timer = setTimeout(() => {
    void endLive(deps, hub, live, 'missed', 'no_answer', SYSTEM_ACTOR).catch(() => undefined);
  }, RING_MS);
  live.timer.unref();
  hub.calls.set(call.id, live);
  hub.send(to, 'ring', { call: presentable(view), autoAnswer });
  return view;
}

/** A call view as the stream sends it (the routes' presenter does the same for responses). */
const presentable = (call: CallView) => ({
  ...call,
  startedAt: toIso(call.startedAt),
  answeredAt: toIsoOrNull(call.answeredAt),
  endedAt: toIsoOrNull(call.endedAt),
});

/** The live call, if this caller is one of its sides; anyone else is refused and audited. */
async function sideOf(deps: Deps, caller: Caller, callId: string, action: string): Promise<LiveCall> {
  const live = callHub(deps).calls.get(callId);
  if (live && (sameParty(live.caller, partyOf(caller)) || sameParty(live.callee, partyOf(caller)))) return live;
  if (live) return refuse(deps, caller.actor, action, live.elderPersonId, 'not_a_side');
  // Over already: its own sides hear so (a late candidate, both hanging up at once); anyone else is refused.
  const record = await repo.findCall(deps.reader, callId);
  if (record && wasSide(caller, record)) throw new AppError('invalid_transition');
  return refuse(deps, caller.actor, action, record?.elderPersonId ?? null, 'not_a_side');
}

const wasSide = (caller: Caller, call: repo.CallRecord) =>
  caller.kind === 'home' ? caller.device.elderPersonId === call.elderPersonId : caller.principal.userId === call.userId;

/** The called side answers (the home device by the elder's press, or by itself for a look or a named family member). */
export async function answerCall(deps: Deps, caller: Caller, callId: string): Promise<void> {
  const live = await sideOf(deps, caller, callId, 'care.call.answer');
  if (!sameParty(live.callee, partyOf(caller))) return refuse(deps, caller.actor, 'care.call.answer', live.elderPersonId, 'not_called');
  if (live.state !== 'ringing') throw new AppError('invalid_transition');
  if (live.kind === 'look' && !(await lookStillAllowed(deps, live))) {
    await endLive(deps, callHub(deps), live, 'ended', 'consent_withdrawn', caller.actor);
    throw new AppError('consent_withdrawn');
  }
  const now = deps.now();
  const moved = await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.moveCall(trx, callId, ['ringing'], { state: 'active', answeredAt: now, autoAnswered: live.autoAnswer });
    if (ok) {
      await recordAudit(
        trx,
        caller.actor,
        {
          action: live.kind === 'look' ? 'care.look.answer' : 'care.call.answer',
          targetType: 'person',
          targetId: live.elderPersonId,
          details: { callId },
        },
        now,
      );
    }
    return ok;
  });
  if (!moved) throw new AppError('invalid_transition');
  clearTimeout(live.timer);
  live.state = 'active';
  if (live.kind === 'look') watchLook(deps, live);
  callHub(deps).send(live.caller, 'answered', { callId });
}

/** Passes an offer, answer, ICE candidate or video notice to the other side of the call, and to no one else. */
export async function relaySignal(deps: Deps, caller: Caller, callId: string, signal: SignalInput): Promise<void> {
  const live = await sideOf(deps, caller, callId, 'care.call.signal');
  if (live.state !== 'active') throw new AppError('invalid_transition');
  const other = sameParty(live.caller, partyOf(caller)) ? live.callee : live.caller;
  callHub(deps).send(other, 'signal', { callId, ...signal });
}

/** Either side hangs up (or declines while it rings). */
export async function hangUp(
  deps: Deps,
  caller: Caller,
  callId: string,
  reason: 'hangup' | 'declined' | 'failed' = 'hangup',
): Promise<void> {
  const live = await sideOf(deps, caller, callId, 'care.call.end');
  const byCallee = sameParty(live.callee, partyOf(caller));
  if (live.state === 'ringing')
    await endLive(deps, callHub(deps), live, byCallee ? 'declined' : 'missed', byCallee ? 'declined' : 'cancelled', caller.actor);
  else await endLive(deps, callHub(deps), live, 'ended', reason, caller.actor);
}

/** Ends a party's calls when its last stream closes (the page was shut, the network went). */
export async function endCallsOf(deps: Deps, party: Party): Promise<void> {
  const hub = callHub(deps);
  if (hub.online(party)) return;
  for (const live of [...hub.calls.values()]) {
    if (sameParty(live.caller, party) || sameParty(live.callee, party)) {
      await endLive(
        deps,
        hub,
        live,
        live.state === 'ringing' && sameParty(live.caller, party) ? 'missed' : 'ended',
        'disconnected',
        SYSTEM_ACTOR,
      );
    }
  }
}

/**
 * The server is stopping: every call it holds ends in the database (a call left 'active' there
 * would read 通话中 in the history for ever) and both sides hear so while their streams are open.
 */
export async function endEveryCall(deps: Deps): Promise<void> {
  const hub = callHub(deps);
  for (const live of [...hub.calls.values()]) {
    await endLive(deps, hub, live, live.state === 'ringing' ? 'missed' : 'ended', 'server_stopped', SYSTEM_ACTOR).catch(() => undefined);
  }
}

/** Ends the elder's looks at once: the consent was withdrawn. */
export async function endLooksOf(deps: Deps, elderPersonId: string, actor: Actor): Promise<number> {
  const hub = callHub(deps);
  const looks = [...hub.calls.values()].filter((c) => c.kind === 'look' && c.elderPersonId === elderPersonId);
  for (const look of looks) await endLive(deps, hub, look, 'ended', 'consent_withdrawn', actor);
  return looks.length;
}

async function endLive(
  deps: Deps,
  hub: CallHub,
  live: LiveCall,
  state: 'ended' | 'missed' | 'declined',
  reason: string,
  actor: Actor,
): Promise<void> {
  if (hub.calls.get(live.id) !== live) return;
  hub.calls.delete(live.id);
  clearTimeout(live.timer);
  const now = deps.now();
  const from: repo.CallRecord['state'][] = live.state === 'ringing' ? ['ringing'] : ['active'];
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.moveCall(trx, live.id, from, { state, endedAt: now, endReason: reason }))) return;
    await recordAudit(
      trx,
      actor,
      {
        action: live.kind === 'look' ? 'care.look.end' : 'care.call.end',
        targetType: 'person',
        targetId: live.elderPersonId,
        details: { callId: live.id, state, reason },
      },
      now,
    );
  });
  for (const side of [live.caller, live.callee]) hub.send(side, 'ended', { callId: live.id, state, reason });
  if (state === 'missed') {
    const [elder, call] = await Promise.all([elders.findElder(deps.reader, live.elderPersonId), repo.findCall(deps.reader, live.id)]);
    if (elder && call) await afterMissed(deps, elder, call);
  }
}

async function lookStillAllowed(deps: Deps, live: LiveCall): Promise<boolean> {
  if (live.caller.kind !== 'user') return false;
  const [settings, family] = await Promise.all([
    repo.findSettings(deps.reader, live.elderPersonId),
    elders.familyOf(deps.reader, live.elderPersonId),
  ]);
  return settings.lookConsent && family.includes(live.caller.userId);
}

/** A withdrawal made where this process does not hear of it (privacy's withdrawal of family access) still ends the look within seconds. */
function watchLook(deps: Deps, live: LiveCall): void {
  const hub = callHub(deps);
  live.timer = setInterval(() => {
    if (hub.calls.get(live.id) !== live) return clearInterval(live.timer);
    void lookStillAllowed(deps, live)
      .then((allowed) => (allowed ? undefined : endLive(deps, hub, live, 'ended', 'consent_withdrawn', SYSTEM_ACTOR)))
      .catch(() => undefined);
  }, LOOK_RECHECK_MS);
  live.timer.unref();
}

/**
 * A call to the elder's home that nobody answered, on a day nobody has seen the elder (no activity
 * from their devices, no call answered or made since midnight): the caretaker is told to look in.
 */
async function afterMissed(deps: Deps, elder: elders.ElderRecord, call: repo.CallRecord): Promise<void> {
  // Rung out or the device was off; not a call the caller cancelled, nor one the elder was busy with.
  const unanswered = call.endReason === 'no_answer' || call.endReason === 'offline';
  if (call.kind === 'call' && call.direction === 'home' && unanswered) return tellMissedFromHome(deps, call);
  if (call.kind !== 'call' || call.direction === 'home' || !unanswered || !elder.caretakerUserId) return;
  const fresh = withNotedActivity(deps, (await elders.findElder(deps.reader, elder.personId)) ?? elder);
  const dayStart = localDayStart(localDay(deps.now()));
  if ((fresh.lastActivityAt ?? 0) >= dayStart || (await repo.spokeSince(deps.reader, elder.personId, dayStart))) return;
  const [view] = await withNames(deps, [call]);
  const elderName = view?.elderName ?? '';
  const callerName = view?.userName ?? '';
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await notify(
      trx,
      { userId: elder.caretakerUserId as string },
      {
        topic: 'care.call.missed',
        subjectType: 'elder',
        subjectId: elder.personId,
        zh: `${elderName}今天还没有动静，${callerName}打来的视频电话也没有接，请上门看看。`,
        en: `${elderName} has not been seen today and did not answer a video call from ${callerName}; please look in.`,
      },
      now,
    );
    await recordAudit(
      trx,
      SYSTEM_ACTOR,
      {
        action: 'care.call.missed.notify',
        targetType: 'person',
        targetId: elder.personId,
        regionId: elder.placement.regionId,
        details: { callId: call.id },
      },
      now,
    );
  });
}

/** The elder called and nobody picked up (their call page was not open): a message says so, to call back. */
async function tellMissedFromHome(deps: Deps, call: repo.CallRecord): Promise<void> {
  const [view] = await withNames(deps, [call]);
  const elderName = view?.elderName ?? '';
  await notify(
    deps.db,
    { userId: call.userId },
    {
      topic: 'care.call.missed',
      subjectType: 'elder',
      subjectId: call.elderPersonId,
      zh: `${elderName}从家里给您打了视频电话，您没有接到，请回拨。`,
      en: `${elderName} video-called you from home and you missed it; please call back.`,
    },
    deps.now(),
  );
}

/** A family member's or caretaker's calls (with one elder, or all), or every call of the elder's home; audited. */
export async function callHistory(deps: Deps, caller: Caller, filter: { elderPersonId?: string }): Promise<CallView[]> {
  const calls =
    caller.kind === 'home'
      ? await repo.listCalls(deps.reader, { elderPersonId: caller.device.elderPersonId })
      : await repo.listCalls(deps.reader, { userId: caller.principal.userId, elderPersonId: filter.elderPersonId });
  await auditRead(deps, caller.actor, 'care.calls.read', {
    targetType: 'person',
    targetId: caller.kind === 'home' ? caller.device.elderPersonId : filter.elderPersonId,
    details: { count: calls.length },
  });
  return withNames(deps, calls);
}

/** What the family phone page needs before calling: the elder's name, whether a look is allowed, whether the home device is on. */
export async function callTarget(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  elderPersonId: string,
): Promise<{ elderPersonId: string; name: string; lookAllowed: boolean; homeOnline: boolean }> {
  const elder = await elders.findElder(deps.reader, elderPersonId);
  const relation = elder ? await relationOf(deps, principal.userId, elder) : null;
  if (!elder || !relation) return refuse(deps, actor, 'care.call.target.read', elderPersonId, 'not_linked');
  const settings = await repo.findSettings(deps.reader, elderPersonId);
  const name = (await namesOfPeople(deps, [elderPersonId])).get(elderPersonId) ?? '';
  await auditRead(deps, actor, 'care.call.target.read', { elder });
  return {
    elderPersonId,
    name,
    lookAllowed: relation === 'family' && settings.lookConsent,
    homeOnline: callHub(deps).online({ kind: 'home', elderPersonId }),
  };
}
