// A notice to "households with an elder" reaches the households where someone is 60 or older, by the
// register's birth dates and ID numbers, not only those in the care programme (issue 15, item 6);
// the desk can ask how many an audience reaches, and a notice that would reach nobody is stopped.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree, validIdNumber } from '../../../test/factories.ts';
import { elderBornBy } from './notices-audiences.service.ts';
import { pushDueNotices } from './notices-push.service.ts';

describe('elderBornBy', () => {
  it('is the birth date of someone turning 60 today in Beijing', () => {
    // 2026-12-01 20:00 UTC is already 2 December in Beijing.
    expect(elderBornBy(Date.parse('2026-12-01T20:00:00Z'))).toBe('1966-12-02');
    expect(elderBornBy(Date.parse('2026-12-01T10:00:00Z'))).toBe('1966-12-01');
  });
});

describe.each(dialects)('notice audiences computed from the register on %s', (dialect) => {
  let tree: Tree;
  let cadre: Session;
  let cadrePhone: string;
  const households = { byIdNumber: '', byBirthDate: '', young: '', otherVillage: '' };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    cadrePhone = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    cadre = await login(ctx.app, cadrePhone, PASSWORD);
    const year = new Date(ctx.clock.now).getUTCFullYear();
    // An elder known only by the ID card number (no birth date recorded), living with a young son.
    households.byIdNumber = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉家' })).id;
    await buildPerson(ctx.deps, {
      region: tree.groupA1,
      householdId: households.byIdNumber,
      idNumber: validIdNumber(`${year - 72}-03-04`),
    });
    await buildPerson(ctx.deps, {
      region: tree.groupA1,
      householdId: households.byIdNumber,
      idNumber: validIdNumber(`${year - 40}-03-04`),
    });
    // An elder with a birth date recorded and no ID number.
    households.byBirthDate = (await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '白家' })).id;
    const recorded = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: households.byBirthDate });
    await ctx.deps.db
      .updateTable('people')
      .set({ birth_date: `${year - 61}-01-01`, id_number_enc: null, id_number_hash: null, id_number_masked: null })
      .where('id', '=', recorded.id)
      .execute();
    // A household of people under 60.
    households.young = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '年轻户' })).id;
    await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.young, idNumber: validIdNumber(`${year - 35}-06-01`) });
    // An elder in another village: outside the cadre's audience.
    households.otherVillage = (await buildHousehold(ctx.deps, { region: tree.groupB1 })).id;
    await buildPerson(ctx.deps, {
      region: tree.groupB1,
      householdId: households.otherVillage,
      idNumber: validIdNumber(`${year - 80}-01-01`),
    });
  });

  it('counts the households with someone aged 60 or older, by ID number or birth date, before sending', async () => {
    const size = await cadre.post('/api/notices/audience-size', { traits: ['hasElder'] });
    expect(size.statusCode).toBe(200);
    // Both households with an elder, all three of their members; not the young household, not the other village.
    expect(size.json()).toEqual({ people: 3, households: 2 });
    expect((await cadre.post('/api/notices/audience-size', {})).json()).toEqual({ people: 4, households: 3 });
  });

  it('sends a notice to households with an elder to every member of them, none of which is in the care programme', async () => {
    const made = await cadre.post(
      '/api/notices',
      { title: '老年人免费体检', body: '本周六卫生院免费体检。', urgent: false, audience: { traits: ['hasElder'] }, send: true },
      { 'idempotency-key': 'elders-1' },
    );
    expect(made.statusCode).toBe(201);
    await pushDueNotices(ctx.deps);
    const reached = await ctx.deps.db
      .selectFrom('notice_recipients')
      .select('household_id')
      .where('notice_id', '=', made.json().id)
      .execute();
    expect(reached.map((r) => r.household_id).sort()).toEqual(
      [households.byIdNumber, households.byIdNumber, households.byBirthDate].sort(),
    );
    const notice = (await cadre.get('/api/notices')).json().items.find((n: { id: string }) => n.id === made.json().id);
    expect(notice).toMatchObject({ state: 'sent', recipients: 3 });
  });

  it('stops a notice that would reach nobody before it is sent, with a clear message, and sends nothing', async () => {
    const audience = { regionIds: [tree.groupA2.id], traits: ['keepsChickens'] };
    expect((await cadre.post('/api/notices/audience-size', audience)).json()).toEqual({ people: 0, households: 0 });
    const refused = await cadre.post(
      '/api/notices',
      { title: '养鸡户防疫', body: '请接种禽流感疫苗。', urgent: false, audience, send: true },
      { 'idempotency-key': 'nobody-1' },
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'notice_reaches_nobody' });
    expect(refused.json().error.message).toContain('发不到任何人');
    // A draft may be kept, but sending it is stopped the same way.
    const draft = await cadre.post(
      '/api/notices',
      { title: '养鸡户防疫', body: '请接种禽流感疫苗。', urgent: false, audience },
      { 'idempotency-key': 'nobody-2' },
    );
    expect(draft.statusCode).toBe(201);
    const send = await cadre.post(`/api/notices/${draft.json().id}/transitions`, { action: 'send' });
    expect(send.statusCode).toBe(422);
    expect(send.json().error.code).toBe('notice_reaches_nobody');
    expect(await pushDueNotices(ctx.deps)).toBe(0);
    expect(await ctx.deps.db.selectFrom('notice_recipients').select('notice_id').execute()).toEqual([]);
  });

  it('stops a scheduled notice whose audience emptied before its time, and tells its author', async () => {
    await ctx.deps.db.insertInto('household_traits').values({ household_id: households.young, trait: 'growsTea' }).execute();
    const made = await cadre.post(
      '/api/notices',
      {
        title: '茶园管护',
        body: '请及时修剪茶树。',
        urgent: false,
        audience: { traits: ['growsTea'] },
        scheduledAt: new Date(ctx.clock.now + 3_600_000).toISOString(),
      },
      { 'idempotency-key': 'tea-1' },
    );
    expect(made.statusCode).toBe(201);
    // The household stops growing tea before the notice's time.
    await ctx.deps.db.deleteFrom('household_traits').where('household_id', '=', households.young).execute();
    ctx.clock.advance(3_600_001);
    expect(await pushDueNotices(ctx.deps)).toBe(1);
    // An hour later the session has idled out: the cadre signs in again.
    const later = await login(ctx.app, cadrePhone, PASSWORD);
    const notice = (await later.get('/api/notices')).json().items.find((n: { id: string }) => n.id === made.json().id);
    expect(notice).toMatchObject({ state: 'cancelled', sentAt: null, recipients: 0 });
    const told = (await later.get('/api/notifications')).json().items;
    expect(told[0].message).toContain('茶园管护');
    expect(told[0].message).toContain('发不到任何人');
  });

  it("refuses to count an audience outside the author's scope, and to those who may not write notices", async () => {
    expect((await cadre.post('/api/notices/audience-size', { regionIds: [tree.villageB.id] })).statusCode).toBe(404);
    const villager = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone, PASSWORD);
    expect((await villager.post('/api/notices/audience-size', {})).statusCode).toBe(403);
    expect((await cadre.post('/api/notices/audience-size', { traits: ['notATrait'] })).statusCode).toBe(400);
  });
});
