import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type Session, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { buildHousehold, buildPerson, buildUser, PASSWORD, validIdNumber } from '../../../test/factories.ts';
import { up as createPrivacy } from '../../db/migrations/202612011519_create_privacy.ts';
import { placedColumns } from '../../db/placement.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { runOnce } from '../../platform/jobs.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { checkInactivity, checkSilentDevices } from '../care/care-alarms.service.ts';
import { ageOn, privacyJobs } from './privacy.service.ts';
import { DECLARATIONS } from './privacy-declarations.ts';

const DAY = 24 * 3_600_000;

describe('ageOn', () => {
  it('counts full years in Beijing time', () => {
    const at = Date.parse('2026-12-01T00:00:00+08:00');
    expect(ageOn('2014-12-01', at)).toBe(12);
    expect(ageOn('2012-12-02', at)).toBe(13);
    expect(ageOn('2012-12-01', at)).toBe(14);
  });
});

describe.each(dialects)('PIPL consents, requests and the record of processing on %s', (dialect) => {
  let world: CaseWorld;
  let doctor: Session;
  let official: Session;
  let countyAdmin: Session;
  let villagerPersonId: string;
  let householdId: string;
  let elderId: string;
  let family: Session;
  let familyUserId: string;

  const sendReading = (serial: string, kind = 'sos') =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer privacy-gateway-key' },
      payload: { readings: [{ device: serial, kind, at: new Date(ctx.clock.now).toISOString() }] },
    });
  const readingsOf = async (personId: string) =>
    Number(
      (
        await ctx.deps.db
          .selectFrom('care_readings')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('elder_person_id', '=', personId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The villager's report on the exposure board, still open. */
  const reportDumping = async () => {
    const report = await world.villager.post('/api/cases', {
      source: 'exposureBoard',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '河沟里有人倒垃圾',
      description: '二组河沟天天有人倒建筑垃圾',
    });
    expect(report.statusCode).toBe(201);
    return report.json().id as string;
  };

  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
    const { tree } = world;
    doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    official = await login(ctx.app, (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone, PASSWORD);
    countyAdmin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone, PASSWORD);
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'privacy-gateway-key', userId: gateway.id });
    const villager = await ctx.deps.db
      .selectFrom('people')
      .innerJoin('users', 'users.person_id', 'people.id')
      .select(['people.id', 'people.household_id'])
      .where('users.id', '=', world.villagerId)
      .executeTakeFirstOrThrow();
    villagerPersonId = villager.id;
    householdId = villager.household_id as string;
    elderId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '冉奶奶' })).id;
    expect(
      (await doctor.post('/api/care/elders', { personId: elderId, livingSituation: '独居', conditions: ['高血压'], contacts: [] }))
        .statusCode,
    ).toBe(200);
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'PV-SOS-1', kind: 'sosButton' })).statusCode).toBe(201);
    const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    familyUserId = son.id;
    family = await login(ctx.app, son.phone, PASSWORD);
  });

  it('PIPL art. 15: a withdrawn health-data consent refuses readings at once (409 consent_withdrawn per reading, no alarm); a new grant lets them in', async () => {
    expect((await sendReading('PV-SOS-1')).json()).toMatchObject({ accepted: 1, rejected: [] });
    const before = await readingsOf(elderId);
    // The village cadre records the elder's signed withdrawal form.
    const withdrawn = await world.cadre.post(`/api/privacy/people/${elderId}/consents`, {
      purpose: 'healthData',
      granted: false,
      note: '撤回书 2026-12-01',
    });
    expect(withdrawn.statusCode).toBe(201);
    expect(withdrawn.json()).toMatchObject({ purpose: 'healthData', state: 'withdrawn', byGuardian: false });
    ctx.clock.advance(60_000);
    const refused = (await sendReading('PV-SOS-1')).json();
    expect(refused).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'consent_withdrawn' }], alarms: [] });
    expect(await readingsOf(elderId)).toBe(before);
    const consents = (await world.cadre.get(`/api/privacy/people/${elderId}/consents`)).json();
    expect(consents).toEqual([expect.objectContaining({ purpose: 'healthData', state: 'withdrawn' })]);
    expect((await world.cadre.post(`/api/privacy/people/${elderId}/consents`, { purpose: 'healthData', granted: true })).statusCode).toBe(
      201,
    );
    ctx.clock.advance(60_000);
    expect((await sendReading('PV-SOS-1')).json()).toMatchObject({ accepted: 1 });
    // Someone of another village may neither read nor record the elder's consents.
    expect((await world.cadreB.get(`/api/privacy/people/${elderId}/consents`)).statusCode).toBe(404);
    expect(
      (await world.neighbour.post(`/api/privacy/people/${elderId}/consents`, { purpose: 'healthData', granted: false })).statusCode,
    ).toBe(404);
  });

  it('a withdrawn family-access consent ends the family link at once, and a new link needs a new consent first', async () => {
    expect((await doctor.post(`/api/care/elders/${elderId}/family`, { userId: familyUserId, consent: true })).statusCode).toBe(204);
    const seen = async () => (await family.get('/api/care/elders')).json().items.map((e: { name: string }) => e.name);
    expect(await seen()).toEqual(['冉奶奶']);
    expect(
      (await world.cadre.post(`/api/privacy/people/${elderId}/consents`, { purpose: 'familyAccess', granted: false })).statusCode,
    ).toBe(201);
    expect(await seen()).toEqual([]);
    const relink = await doctor.post(`/api/care/elders/${elderId}/family`, { userId: familyUserId, consent: true });
    expect(relink.statusCode).toBe(409);
    expect(relink.json().error.code).toBe('consent_withdrawn');
    expect((await world.cadre.post(`/api/privacy/people/${elderId}/consents`, { purpose: 'familyAccess', granted: true })).statusCode).toBe(
      201,
    );
    expect((await doctor.post(`/api/care/elders/${elderId}/family`, { userId: familyUserId, consent: true })).statusCode).toBe(204);
  });

  it('a withdrawn public-display consent masks the household in the public ranking and takes its reports off the exposure board', async () => {
    const { tree } = world;
    expect(
      (
        await world.villager.request({
          method: 'PUT',
          url: `/api/points/accounts/${householdId}/public-name`,
          payload: { publicName: true },
        })
      ).statusCode,
    ).toBe(204);
    const month = new Date(ctx.clock.now + 8 * 3_600_000).toISOString().slice(0, 7).replace('-', '');
    const ranking = async () =>
      (await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${tree.villageA.id}/points-ranking?period=month&value=${month}` }))
        .json()
        .items.map((i: { name: string }) => i.name) as string[];
    const head = (await ctx.deps.db.selectFrom('households').select('head_name').where('id', '=', householdId).executeTakeFirstOrThrow())
      .head_name;
    expect(await ranking()).toContain(`${head}户`);
    const caseId = await reportDumping();
    expect((await world.cadre.post(`/api/cases/${caseId}/moderation`, { decision: 'publish' })).statusCode).toBe(200);
    const board = async () =>
      (await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${tree.villageA.id}/exposure-board` }))
        .json()
        .items.map((i: { id: string }) => i.id);
    expect(await board()).toContain(caseId);

    // The villager withdraws for themselves, signed in.
    expect(
      (await world.villager.post(`/api/privacy/people/${villagerPersonId}/consents`, { purpose: 'publicDisplay', granted: false }))
        .statusCode,
    ).toBe(201);
    expect(await ranking()).not.toContain(`${head}户`);
    expect(await board()).not.toContain(caseId);
    // Neither the household's name nor a new report goes public again until the consent is given again.
    const rename = await world.villager.request({
      method: 'PUT',
      url: `/api/points/accounts/${householdId}/public-name`,
      payload: { publicName: true },
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.code).toBe('consent_withdrawn');
    const republish = await world.cadre.post(`/api/cases/${caseId}/moderation`, { decision: 'publish' });
    expect(republish.json().error.code).toBe('consent_withdrawn');
    expect(await board()).not.toContain(caseId);
  });

  it('PIPL art. 31: a 12-year-old consents only through a guardian, whom the child or a neighbour cannot stand in for', async () => {
    const { tree } = world;
    const twelve = new Date(ctx.clock.now - 12 * 365.25 * DAY).toISOString().slice(0, 10);
    const child = await buildPerson(ctx.deps, { region: tree.groupA1, householdId, idNumber: validIdNumber(twelve), name: '王小妹' });
    const url = `/api/privacy/people/${child.id}/consents`;
    const bare = await world.villager.post(url, { purpose: 'healthData', granted: true });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('guardian_consent_required');
    // The child cannot be their own guardian, nor can another child.
    expect((await world.villager.post(url, { purpose: 'healthData', granted: true, guardianPersonId: child.id })).json().error.code).toBe(
      'guardian_consent_required',
    );
    const sibling = await buildPerson(ctx.deps, { region: tree.groupA1, householdId, idNumber: validIdNumber(twelve) });
    expect((await world.cadre.post(url, { purpose: 'healthData', granted: true, guardianPersonId: sibling.id })).json().error.code).toBe(
      'guardian_consent_required',
    );
    // A guardian the recorder cannot see is no guardian (404, as any unseen person).
    const faraway = await buildPerson(ctx.deps, { region: tree.groupB1 });
    expect((await world.cadre.post(url, { purpose: 'healthData', granted: true, guardianPersonId: faraway.id })).statusCode).toBe(404);
    // A neighbour naming the parent as guardian is not the parent.
    expect((await world.neighbour.post(url, { purpose: 'healthData', granted: true, guardianPersonId: villagerPersonId })).statusCode).toBe(
      404,
    );
    const given = await world.villager.post(url, { purpose: 'healthData', granted: true, guardianPersonId: villagerPersonId });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({ state: 'granted', byGuardian: true });
    // An adult names no guardian.
    expect(
      (
        await world.villager.post(`/api/privacy/people/${villagerPersonId}/consents`, {
          purpose: 'healthData',
          granted: true,
          guardianPersonId: child.id,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('PIPL art. 45: exports everything the modules store about the person, to the person alone (and staff), audited', async () => {
    await reportDumping();
    // The household shows its name in the ranking, then the villager withdraws public display.
    const shown = await world.villager.request({
      method: 'PUT',
      url: `/api/points/accounts/${householdId}/public-name`,
      payload: { publicName: true },
    });
    expect(shown.statusCode).toBe(204);
    expect(
      (await world.villager.post(`/api/privacy/people/${villagerPersonId}/consents`, { purpose: 'publicDisplay', granted: false }))
        .statusCode,
    ).toBe(201);
    expect((await sendReading('PV-SOS-1')).json()).toMatchObject({ accepted: 1 });
    const exported = await world.villager.get(`/api/privacy/people/${villagerPersonId}/export`);
    expect(exported.statusCode).toBe(200);
    const body = exported.json();
    expect(body.modules.org.person).toMatchObject({ householdId });
    expect(body.modules.org.accounts).toEqual([expect.objectContaining({ id: world.villagerId })]);
    expect(body.modules.cases.reported).toEqual([expect.objectContaining({ title: '河沟里有人倒垃圾' })]);
    expect(body.modules.points.account).toMatchObject({ publicName: false });
    expect(body.modules.services).toEqual({ applications: [] });
    expect(body.modules.notices).toEqual({ receipts: [] });
    expect(body.consents).toEqual([expect.objectContaining({ purpose: 'publicDisplay', granted: false })]);
    expect(JSON.stringify(body)).not.toContain('id_number_enc');
    const elderExport = (await official.get(`/api/privacy/people/${elderId}/export`)).json();
    expect(elderExport.modules.care.readings.length).toBeGreaterThan(0);
    expect((await world.neighbour.get(`/api/privacy/people/${villagerPersonId}/export`)).statusCode).toBe(404);
    expect((await world.cadreB.get(`/api/privacy/people/${villagerPersonId}/export`)).statusCode).toBe(404);
    const audited = await ctx.deps.db
      .selectFrom('audit_log')
      .select('actor_user_id')
      .where('action', '=', 'privacy.export')
      .where('target_id', '=', villagerPersonId)
      .execute();
    expect(audited.map((a) => a.actor_user_id)).toContain(world.villagerId);
  });

  it('PIPL art. 47: a deletion is refused under a legal hold or an open case, and otherwise anonymises the person without touching the ledger or audit', async () => {
    const { tree } = world;
    // The villager with an open exposure-board report: the case keeps them.
    await reportDumping();
    const own = await world.villager.post('/api/privacy/requests', { kind: 'deletion', details: '请删除我的信息' });
    expect(own.statusCode).toBe(201);
    expect((await official.post(`/api/privacy/requests/${own.json().id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const held = await official.post(`/api/privacy/requests/${own.json().id}/transitions`, { action: 'complete' });
    expect(held.statusCode).toBe(409);
    expect(held.json().error.code).toBe('legal_hold');

    // Another villager with nothing open: a hold placed by staff refuses, its release lets it through.
    const home = await buildHousehold(ctx.deps, { region: tree.groupA2 });
    const person = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: home.id, name: '张三丰', phone: '13712345678' });
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: person.id });
    const leaving = await login(ctx.app, user.phone, PASSWORD);
    const request = (await leaving.post('/api/privacy/requests', { kind: 'deletion', details: '搬离本县' })).json();
    expect((await leaving.get('/api/privacy/requests')).json().items.map((r: { id: string }) => r.id)).toEqual([request.id]);
    expect((await official.get('/api/privacy/requests')).json().items.map((r: { id: string }) => r.id)).toContain(request.id);
    // A village cadre and a villager do not handle requests; another township's official does not see it.
    // (403 before the body is read: they hold privacy.handle nowhere.)
    expect((await world.cadre.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'accept' })).statusCode).toBe(403);
    expect((await leaving.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'accept' })).statusCode).toBe(403);
    const officialB = await login(
      ctx.app,
      (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipB })).phone,
      PASSWORD,
    );
    expect((await officialB.get('/api/privacy/requests')).json().items).toEqual([]);
    expect((await officialB.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'accept' })).statusCode).toBe(404);
    expect((await officialB.post('/api/privacy/holds', { personId: person.id, reason: '越权' })).statusCode).toBe(404);
    expect((await official.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'complete' })).json().error.code).toBe(
      'privacy_request_state',
    );
    expect((await official.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const hold = await official.post('/api/privacy/holds', { personId: person.id, reason: '信访复查中' });
    expect(hold.statusCode).toBe(201);
    expect((await official.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'complete' })).json().error.code).toBe(
      'legal_hold',
    );
    expect((await official.post(`/api/privacy/holds/${hold.json().id}/release`)).statusCode).toBe(204);
    const auditBefore = Number(
      (
        await ctx.deps.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const done = await official.post(`/api/privacy/requests/${request.id}/transitions`, { action: 'complete', answer: '已删除' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'completed', answer: '已删除' });
    const row = await ctx.deps.db.selectFrom('people').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '已注销', phone: null, id_number_enc: null, id_number_masked: null, birth_date: null });
    // The account is closed: its session ends and its phone no longer logs in.
    expect((await leaving.get('/api/privacy/requests')).statusCode).toBe(401);
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: user.phone, password: PASSWORD } })).statusCode,
    ).toBe(401);
    // The audit log only grew.
    const auditAfter = Number(
      (
        await ctx.deps.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(auditAfter).toBeGreaterThan(auditBefore);
    // Refusals: bad kinds, staff without a person of their own.
    expect((await leaving.post('/api/privacy/requests', { kind: 'everything', details: 'x' })).statusCode).toBe(401);
    expect((await world.villager.post('/api/privacy/requests', { kind: 'everything', details: 'x' })).statusCode).toBe(400);
    expect((await official.post('/api/privacy/requests', { kind: 'export', details: 'x' })).statusCode).toBe(403);
  });

  it('the record of processing (PIPL art. 54) comes from every module with personal data, for the county admin only', async () => {
    const record = await countyAdmin.get('/api/privacy/processing-record');
    expect(record.statusCode).toBe(200);
    const activities = record.json().activities as { module: string; consentPurpose: string | null; sensitive: boolean }[];
    expect(activities).toContainEqual(expect.objectContaining({ module: 'care', consentPurpose: 'healthData', sensitive: true }));
    expect(activities).toContainEqual(expect.objectContaining({ module: 'points', consentPurpose: 'publicDisplay' }));
    expect((await official.get('/api/privacy/processing-record')).statusCode).toBe(403);
    expect((await world.villager.get('/api/privacy/processing-record')).statusCode).toBe(403);
    // Every module folder declares itself (a module with no personal data still says so).
    const modulesDir = path.join(import.meta.dirname, '..');
    const folders = fs.readdirSync(modulesDir).filter((f) => fs.statSync(path.join(modulesDir, f)).isDirectory());
    expect(DECLARATIONS.map((d) => d.module).sort()).toEqual(folders.sort());
    for (const folder of folders) expect(fs.existsSync(path.join(modulesDir, folder, `${folder}.privacy.ts`))).toBe(true);
  });

  it('purges the readings of an elder whose health-data consent stayed withdrawn past the grace period, as a leased job', async () => {
    const job = privacyJobs(ctx.deps).find((j) => j.name === 'retention.withdrawnConsent');
    if (!job) throw new Error('no purge job');
    expect((await sendReading('PV-SOS-1')).json()).toMatchObject({ accepted: 1 });
    expect(await readingsOf(elderId)).toBeGreaterThan(0);
    expect((await world.cadre.post(`/api/privacy/people/${elderId}/consents`, { purpose: 'healthData', granted: false })).statusCode).toBe(
      201,
    );
    const otherElder = (await buildPerson(ctx.deps, { region: world.tree.groupA1 })).id;
    await doctor.post('/api/care/elders', { personId: otherElder, livingSituation: '独居', conditions: [], contacts: [] });
    await doctor.post(`/api/care/elders/${otherElder}/devices`, { serial: 'PV-SOS-2', kind: 'sosButton' });
    expect((await sendReading('PV-SOS-2')).json()).toMatchObject({ accepted: 1 });
    // The silence that follows a withdrawal raises no inactivity or silent-device alarm.
    ctx.clock.advance(2 * DAY);
    await checkInactivity(ctx.deps);
    await checkSilentDevices(ctx.deps);
    const alarms = await ctx.deps.db
      .selectFrom('care_alarms')
      .select('cause')
      .where('elder_person_id', '=', elderId)
      .where('cause', 'in', ['inactivity', 'deviceOffline'])
      .execute();
    expect(alarms).toEqual([]);
    ctx.clock.advance(27 * DAY);
    expect(await runOnce(ctx.deps.db, job, ctx.deps.now)).toBe(true);
    expect(await readingsOf(elderId)).toBeGreaterThan(0);
    ctx.clock.advance(2 * DAY);
    expect(await runOnce(ctx.deps.db, job, ctx.deps.now)).toBe(true);
    expect(await readingsOf(elderId)).toBe(0);
    // An elder who kept their consent keeps their readings.
    expect(await readingsOf(otherElder)).toBe(1);
    const purge = await ctx.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'privacy.purge').execute();
    expect(purge.length).toBe(1);
  });

  it('removes the attachments of notices expired more than 30 days, references first and then the bytes, as a declared job', async () => {
    const job = privacyJobs(ctx.deps).find((j) => j.name === 'retention.notices.expiredAttachments');
    if (!job) throw new Error('no notices purge job');
    const now = ctx.deps.now();
    const add = async (expiresAt: number) => {
      const id = uuidv7(now);
      const key = `notices/${id}/${uuidv7(now)}.pdf`;
      await ctx.deps.files.put(key, Buffer.from('%PDF-1.4 公示名单'));
      await ctx.deps.db
        .insertInto('notices')
        .values({
          id,
          title: '低保公示',
          body: '名单见附件',
          urgent: 0,
          audience: '{}',
          attachments: JSON.stringify([{ id: uuidv7(now), name: '名单.pdf', contentType: 'application/pdf', key }]),
          state: 'sent',
          scheduled_at: null,
          sent_at: now - 60 * DAY,
          expires_at: expiresAt,
          recipients: 0,
          created_by: world.cadreId,
          created_at: now - 60 * DAY,
          ...placedColumns(world.tree.villageA.placement),
        })
        .execute();
      return { id, key };
    };
    const old = await add(now - 31 * DAY);
    const recent = await add(now - 10 * DAY);
    expect(await runOnce(ctx.deps.db, job, ctx.deps.now)).toBe(true);
    const attachmentsOf = async (id: string) =>
      (await ctx.deps.db.selectFrom('notices').select('attachments').where('id', '=', id).executeTakeFirstOrThrow()).attachments;
    expect(await attachmentsOf(old.id)).toBe('[]');
    expect(await ctx.deps.files.get(old.key)).toBeUndefined();
    expect(JSON.parse(await attachmentsOf(recent.id))).toHaveLength(1);
    expect(await ctx.deps.files.get(recent.key)).toBeDefined();
  });
});

describe('the declarations', () => {
  it('name a consent purpose for every activity that rests on consent, and none otherwise', () => {
    for (const declaration of DECLARATIONS) {
      for (const activity of declaration.activities) {
        expect([declaration.module, activity.name, activity.legalBasis === 'consent']).toEqual([
          declaration.module,
          activity.name,
          activity.consentPurpose !== undefined,
        ]);
      }
    }
  });
});

// Its own app and database: the test drops and re-creates tables, which a per-test copy of a
// seeded database (useTestApp) does not expect.
describe.each(dialects)('consents on file before PIPL records, on %s', (dialect) => {
  let ctx: TestContext;
  afterAll(() => ctx.close());

  it('the migration records "on file" health-data consent for elders already in care and family-access for those already linked', async () => {
    ctx = await buildTestApp(dialect);
    const world = await buildCaseWorld(ctx);
    const doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: world.tree.townshipA })).phone, PASSWORD);
    const linked = (await buildPerson(ctx.deps, { region: world.tree.groupA1 })).id;
    const alone = (await buildPerson(ctx.deps, { region: world.tree.groupA1 })).id;
    for (const personId of [linked, alone])
      await doctor.post('/api/care/elders', { personId, livingSituation: '独居', conditions: [], contacts: [] });
    const son = await buildUser(ctx.deps, { role: 'familyMember', region: world.tree.villageA });
    expect((await doctor.post(`/api/care/elders/${linked}/family`, { userId: son.id, consent: true })).statusCode).toBe(204);
    // As the data stood before this change: no privacy tables at all.
    for (const table of ['privacy_consents', 'privacy_requests', 'privacy_holds']) await ctx.deps.db.schema.dropTable(table).execute();
    await createPrivacy(ctx.deps.db);
    const rows = await ctx.deps.db
      .selectFrom('privacy_consents')
      .select(['person_id', 'purpose', 'granted', 'note', 'recorded_by'])
      .execute();
    const of = (personId: string) =>
      rows
        .filter((r) => r.person_id === personId)
        .map((r) => r.purpose)
        .sort();
    expect(of(linked)).toEqual(['familyAccess', 'healthData']);
    expect(of(alone)).toEqual(['healthData']);
    expect(rows.every((r) => r.granted === 1 && r.note === 'onFile' && r.recorded_by === null)).toBe(true);
    // And the elders' consents read as granted.
    expect((await world.cadre.get(`/api/privacy/people/${alone}/consents`)).json()).toEqual([
      expect.objectContaining({ purpose: 'healthData', state: 'granted' }),
    ]);
  });
});
