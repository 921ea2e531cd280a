// A closed alarm as the elder's family far away learn of it: for 24 hours after it is closed their
// list of alarms keeps it, with the note of what was done and who did it (the elder's doctor, by
// name); then it leaves their list (not the staff's). Nobody else's family, no villager sees it, and
// every read is audited.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';

const HOUR = 3_600_000;

type ListedAlarm = {
  id: string;
  cause: string;
  state: string;
  note: string | null;
  resolvedAt: string | null;
  handledBy?: { name: string; role: string } | null;
};

describe.each(dialects)("a closed alarm's outcome for the family on %s", (dialect) => {
  let doctor: Session;
  let family: Session;
  let familyId: string;
  let motherId: string;
  let phones: string[];
  /** Sessions end after hours idle: after the clock moves on a day, everyone signs in again (this test's sessions only). */
  const signInAgain = async () => {
    const [d, f, o, v] = await Promise.all(phones.map((phone) => login(ctx.app, phone, PASSWORD)));
    return { doctor: d as Session, family: f as Session, otherFamily: o as Session, villager: v as Session };
  };

  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    const doctorUser = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA, name: '张医生' });
    doctor = await login(ctx.app, doctorUser.phone, PASSWORD);
    const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    familyId = son.id;
    family = await login(ctx.app, son.phone, PASSWORD);
    const neighbourSon = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    const villagerUser = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    phones = [doctorUser.phone, son.phone, neighbourSon.phone, villagerUser.phone];
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'outcome-gateway-key', userId: gateway.id });
    motherId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '石妈妈' })).id;
    const neighbourId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '邻居' })).id;
    for (const personId of [motherId, neighbourId]) {
      const saved = await doctor.post('/api/care/elders', {
        personId,
        livingSituation: '独居',
        conditions: [],
        contacts: [],
        doctorUserId: doctorUser.id,
      });
      expect(saved.statusCode).toBe(200);
    }
    await doctor.post(`/api/care/elders/${motherId}/devices`, { serial: 'OC-SOS-1', kind: 'sosButton' });
    expect((await doctor.post(`/api/care/elders/${motherId}/family`, { userId: son.id, consent: true })).statusCode).toBe(204);
    expect((await doctor.post(`/api/care/elders/${neighbourId}/family`, { userId: neighbourSon.id, consent: true })).statusCode).toBe(204);
  });

  const sos = async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer outcome-gateway-key' },
      payload: { readings: [{ device: 'OC-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });
    expect(response.statusCode).toBe(200);
  };
  const alarmsOf = async (session: Session, query = '') => {
    const response = await session.get(`/api/care/alarms${query}`);
    expect(response.statusCode).toBe(200);
    return response.json().items as ListedAlarm[];
  };
  const familyReads = () =>
    ctx.deps.db
      .selectFrom('audit_log')
      .select(['target_id', 'details'])
      .where('action', '=', 'care.alarms.read')
      .where('actor_user_id', '=', familyId)
      .execute();

  it('shows the family the note and the handler for 24 hours after it is closed, to nobody else, audited', async () => {
    await sos();
    const [raised] = await alarmsOf(family, `?elder=${motherId}`);
    expect(raised).toMatchObject({ cause: 'sos', state: 'raised', handledBy: null });
    // Taken on: the family learn who has it in hand.
    expect((await doctor.post(`/api/care/alarms/${raised?.id}/acknowledge`, {})).statusCode).toBe(200);
    expect((await alarmsOf(family, `?elder=${motherId}`))[0]?.handledBy).toEqual({ name: '张医生', role: 'doctor' });

    ctx.clock.now += 10 * 60_000;
    const closed = await doctor.post(`/api/care/alarms/${raised?.id}/resolve`, { note: '已电话联系，老人误按' });
    expect(closed.json().state).toBe('resolved');
    const closedAt = ctx.clock.now;

    ctx.clock.now += 23 * HOUR;
    const later = await signInAgain();
    const seen = await alarmsOf(later.family, `?elder=${motherId}`);
    expect(seen).toEqual([
      expect.objectContaining({
        id: raised?.id,
        cause: 'sos',
        state: 'resolved',
        note: '已电话联系，老人误按',
        handledBy: { name: '张医生', role: 'doctor' },
      }),
    ]);
    expect(Date.parse(seen[0]?.resolvedAt ?? '')).toBe(closedAt);
    // The whole list (the family's home) has it too; the open list does not.
    expect((await alarmsOf(later.family)).map((a) => a.id)).toEqual([raised?.id]);
    expect(await alarmsOf(later.family, '?open=true')).toEqual([]);
    // Another elder's family and a villager of the same village see nothing of it.
    for (const other of [later.otherFamily, later.villager]) {
      expect(await alarmsOf(other)).toEqual([]);
      expect(await alarmsOf(other, `?elder=${motherId}`)).toEqual([]);
    }
    const reads = await familyReads();
    expect(reads.length).toBeGreaterThanOrEqual(4);
    const counted = (details: unknown) => (typeof details === 'string' ? JSON.parse(details) : details)?.count;
    expect(reads.some((r) => r.target_id === motherId && counted(r.details) === 1)).toBe(true);

    // A day after it was closed it has left the family's list; the doctor's record keeps it.
    ctx.clock.now = closedAt + 24 * HOUR + 60_000;
    const dayAfter = await signInAgain();
    expect(await alarmsOf(dayAfter.family, `?elder=${motherId}`)).toEqual([]);
    expect((await alarmsOf(dayAfter.doctor, `?elder=${motherId}`)).map((a) => [a.id, a.note])).toEqual([
      [raised?.id, '已电话联系，老人误按'],
    ]);
  });

  it('names a family member who closed it as family', async () => {
    await sos();
    const [raised] = await alarmsOf(family, `?elder=${motherId}`);
    expect((await family.post(`/api/care/alarms/${raised?.id}/resolve`, { note: '我打过电话了，妈妈没事' })).statusCode).toBe(200);
    const [closed] = await alarmsOf(family, `?elder=${motherId}`);
    expect(closed?.handledBy?.role).toBe('family');
    expect(closed?.note).toBe('我打过电话了，妈妈没事');
  });
});
