import { idNumberProblem } from '@cunzhi/contracts/id-number';
import { ROLES } from '@cunzhi/contracts/roles';
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { accountCredentials } from '../auth/credentials.service.ts';
import { DEMO_GATEWAY_KEY, seedDemoCare } from '../care/care.demo.ts';
import { seedDemoCases } from '../cases/cases.demo.ts';
import { DEMO_LOUDSPEAKER_KEY, seedDemoNotices } from '../notices/notices.demo.ts';
import { seedDemoPoints } from '../points/points.demo.ts';
import { verify } from '../points/points-reports.repository.ts';
import { seedDemoApplications, seedDemoServices } from '../services/services.demo.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoOrg, isDatabaseEmpty, seedDemoOrg } from './org.demo.ts';

describe.each(dialects)('the demo county on %s', (dialect) => {
  /** The demo county's org, loaded once; each test seeds its module's demo on a fresh copy of it. */
  let demo: DemoOrg;
  let regionsByCode: DemoOrg['regionsByCode'];
  const ctx = useTestApp(dialect, async () => {
    expect(await isDatabaseEmpty(ctx.deps.db)).toBe(true);
    demo = await seedDemoOrg(ctx.deps, accountCredentials);
    regionsByCode = demo.regionsByCode;
  });

  it('loads Youyang with the seed townships and villages, 200+ households and an account per role', async () => {
    expect(await isDatabaseEmpty(ctx.deps.db)).toBe(false);
    expect(demo.householdCount).toBeGreaterThanOrEqual(200);
    const names = (await ctx.deps.db.selectFrom('regions').select(['name', 'level']).execute()).map((r) => r.name);
    for (const name of ['大溪镇', '黑水镇', '花田乡', '涂市镇', '清泉乡', '龚滩镇', '平地坝村', '何家岩村', '地灵村', '清溪村']) {
      expect(names).toContain(name);
    }
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(ROLES));
    const grids = await ctx.deps.db.selectFrom('grids').select('id').execute();
    const workers = await ctx.deps.db.selectFrom('role_assignments').select('grid_id').where('role', '=', 'gridWorker').execute();
    expect(new Set(workers.map((w) => w.grid_id))).toEqual(new Set(grids.map((g) => g.id)));
  });

  it('adds a year of cases, most of them finished, none dated in the future', async () => {
    expect(await seedDemoCases(ctx.deps, regionsByCode, { count: 300 })).toBe(300);
    const states = await ctx.deps.db.selectFrom('cases').select(['state', 'created_at', 'updated_at', 'closed_at']).execute();
    const closed = states.filter((c) => c.state === 'closed').length;
    expect(closed / states.length).toBeGreaterThan(0.6);
    expect(states.every((c) => c.updated_at <= ctx.clock.now && (c.closed_at ?? 0) <= ctx.clock.now)).toBe(true);
    const handler = await login(ctx.app, '13800000006', DEMO_PASSWORD);
    expect((await handler.get('/api/cases?limit=5')).json().items.length).toBeGreaterThan(0);
  });

  it('sends power reports to the power company and water reports to the water works, never one to the other', async () => {
    await seedDemoCases(ctx.deps, regionsByCode, { count: 300 });
    const utilities = await ctx.deps.db
      .selectFrom('cases as c')
      .innerJoin('case_categories as k', 'k.id', 'c.category_id')
      .leftJoin('departments as d', 'd.id', 'c.assignee_department_id')
      .select(['c.title', 'k.name as category', 'd.name as department'])
      .where('k.code', 'in', ['power', 'water'])
      .execute();
    const water = utilities.filter((c) => c.title === '自来水水压低');
    const power = utilities.filter((c) => c.title === '经常停电');
    expect(water.length).toBeGreaterThan(0);
    expect(power.length).toBeGreaterThan(0);
    expect(water.length + power.length).toBe(utilities.length);
    expect(new Set(water.map((c) => c.category))).toEqual(new Set(['用水']));
    expect(new Set(power.map((c) => c.category))).toEqual(new Set(['用电']));
    // A case answered on the spot has no department; every routed one has its own company.
    expect(water.every((c) => c.department === null || c.department === '县自来水公司')).toBe(true);
    expect(power.every((c) => c.department === null || c.department === '县供电公司')).toBe(true);
    expect(water.some((c) => c.department === '县自来水公司')).toBe(true);
    const names = (await ctx.deps.db.selectFrom('case_categories').select('name').execute()).map((c) => c.name);
    expect(names).not.toContain('用电用水');
  });

  it('gives each demo village a points bank: 20+ rules including the seed rules, 10+ goods, and a history whose balances match the ledger', async () => {
    const keeper = await ctx.deps.db.selectFrom('users').select('id').where('phone', '=', '13800000009').executeTakeFirstOrThrow();
    expect(await seedDemoPoints(ctx.deps, regionsByCode, keeper.id)).toBeGreaterThan(500);
    const diling = regionsByCode.get('500242110201') as NonNullable<ReturnType<typeof regionsByCode.get>>;
    const keeperSession = await login(ctx.app, '13800000009', DEMO_PASSWORD);
    const rules = (await keeperSession.get(`/api/points/villages/${diling.id}/rules`)).json().items;
    expect(rules.length).toBeGreaterThanOrEqual(20);
    expect(rules.map((r: { item: string; points: number }) => [r.item, r.points])).toEqual(
      expect.arrayContaining([
        ['参加义务劳动', 5],
        ['拾金不昧', 10],
        ['见义勇为', 100],
        ['招商引资', 5],
      ]),
    );
    const goods = (await keeperSession.get(`/api/points/villages/${diling.id}/goods`)).json().items;
    expect(goods.length).toBeGreaterThanOrEqual(10);
    expect(goods.find((g: { name: string }) => g.name === '洗衣粉').price).toBe(20);
    const check = await verify(ctx.deps.db);
    expect(check.mismatches).toEqual([]);
    expect(check.entries).toBeGreaterThan(500);
  });

  it('gives Huatian a health centre: elders with devices and a week of readings, and the demo gateway key raises alarms', async () => {
    expect(await seedDemoCare(ctx.deps, regionsByCode)).toBeGreaterThan(1000);
    const doctor = await login(ctx.app, '13800000007', DEMO_PASSWORD);
    const elders = (await doctor.get('/api/care/elders')).json().items;
    expect(elders).toHaveLength(12);
    const sos = await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: `Bearer ${DEMO_GATEWAY_KEY}` },
      payload: { readings: [{ device: 'HT-SOS-0001', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });
    // The gateway key writes and reads nothing: its answer counts the reading and shows no alarm.
    expect(sos.json()).toMatchObject({ accepted: 1, alarms: [] });
    expect((await doctor.get('/api/care/alarms?open=true')).json().items.map((a: { cause: string }) => a.cause)).toContain('sos');
  });

  it('gives the county a service catalogue of 200+ items, applications in hand at the transport commission, and Pingdiba its notices', async () => {
    // The cases demo makes the county's departments and puts the demo handler at the transport commission.
    await seedDemoCases(ctx.deps, regionsByCode, { count: 10 });
    expect(await seedDemoServices(ctx.deps, regionsByCode)).toBeGreaterThanOrEqual(200);
    expect(await seedDemoApplications(ctx.deps)).toBe(3);
    const handler = await login(ctx.app, '13800000006', DEMO_PASSWORD);
    const queue = (await handler.get('/api/services/applications?view=queue')).json().items;
    expect(queue.map((a: { itemName: string }) => a.itemName)).toEqual(['道路运输从业资格证核发']);
    const agent = await login(ctx.app, '13800000010', DEMO_PASSWORD);
    expect((await agent.get('/api/services/applications?view=mine')).json().items).toHaveLength(2);
    const cadre = await ctx.deps.db.selectFrom('users').select('id').where('phone', '=', '13800000003').executeTakeFirstOrThrow();
    expect(await seedDemoNotices(ctx.deps, regionsByCode, cadre.id)).toBe(3);
    const villager = await login(ctx.app, '13800000011', DEMO_PASSWORD);
    const inbox = (await villager.get('/api/notices/inbox')).json();
    expect(inbox.items.map((n: { title: string }) => n.title)).toEqual(expect.arrayContaining(['秋冬季森林防火通知', '暴雨橙色预警']));
    const spoken = await ctx.app.inject({
      method: 'GET',
      url: '/api/notices/loudspeaker/broadcasts',
      headers: { authorization: `Bearer ${DEMO_LOUDSPEAKER_KEY}` },
    });
    expect(spoken.json().items.map((b: { text: string }) => b.text)).toEqual([expect.stringContaining('暴雨橙色预警')]);
  });

  it('gives every demo person a valid, protected ID number', async () => {
    const people = await ctx.deps.db.selectFrom('people').select(['id_number_enc']).execute();
    for (const person of people) expect(idNumberProblem(ctx.deps.vault.decrypt(person.id_number_enc as string))).toBeNull();
  });

  it('lets the demo villager log in and see their own household', async () => {
    const villager = DEMO_ACCOUNTS.find((a) => a.role === 'villager');
    const session = await login(ctx.app, villager?.phone as string, DEMO_PASSWORD);
    const households = (await session.get('/api/org/households')).json().items;
    expect(households).toHaveLength(1);
    expect(households[0].headName).toBe('冉鲜荣');
  });
});
