// Advice on each database: a rule about under-forest chickens in a cold snap reaches the households
// with chickens in the township whose forecast turns cold, and no others; each once per validity
// period however often (or however concurrently) the push runs; as a notice with read receipts,
// listed on the farm page and counted per rule and period. The forecast feed is all or nothing.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { runAdvice } from './agri-delivery.service.ts';

const SLOW = 120_000;
const DAY = 86_400_000;

describe.each(dialects)('farm advice on %s', (dialect) => {
  let tree: Tree;
  const households = { chickens: '', tea: '', far: '' };
  const phones = { member: '', otherMember: '', worker: '', workerB: '', villager: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    households.chickens = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉鲜荣' })).id;
    const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.chickens });
    await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.chickens });
    phones.member = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: member.id })).phone;
    households.tea = (await buildHousehold(ctx.deps, { region: tree.groupA2 })).id;
    const teaMember = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: households.tea });
    phones.otherMember = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA2, personId: teaMember.id })).phone;
    households.far = (await buildHousehold(ctx.deps, { region: tree.groupB1 })).id;
    await buildPerson(ctx.deps, { region: tree.groupB1, householdId: households.far });
    phones.worker = (await buildUser(ctx.deps, { role: 'extensionWorker', region: tree.townshipA })).phone;
    phones.workerB = (await buildUser(ctx.deps, { role: 'extensionWorker', region: tree.townshipB })).phone;
    const worker = await login(ctx.app, phones.worker, PASSWORD);
    const workerB = await login(ctx.app, phones.workerB, PASSWORD);
    const flock = { name: '林下鸡', species: 'forestChicken', headCount: 200 };
    expect((await worker.post(`/api/agri/farms/${households.chickens}/flocks`, flock)).statusCode).toBe(201);
    expect(
      (await worker.post(`/api/agri/farms/${households.tea}/plots`, { name: '茶园', kind: 'teaGarden', crop: 'tea', areaMu: 2 }))
        .statusCode,
    ).toBe(201);
    expect((await workerB.post(`/api/agri/farms/${households.far}/flocks`, flock)).statusCode).toBe(201);
  });

  const today = () => new Date(ctx.clock.now + 8 * 3_600_000).toISOString().slice(0, 10);
  const dayAfter = (n: number) => new Date(ctx.clock.now + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
  const coldSnap = async (worker: Session, regionId: string) => {
    expect((await worker.post('/api/agri/weather', { regionId, date: today(), minTempC: 11, maxTempC: 16, rainMm: 0 })).statusCode).toBe(
      201,
    );
    const cold = await worker.post('/api/agri/weather', { regionId, date: dayAfter(1), minTempC: 1, maxTempC: 6, rainMm: 3 });
    expect(cold.json().conditions).toEqual(['coldSnap']);
  };
  const chickenRule = {
    title: '林下鸡：首次寒潮',
    body: '加固鸡舍，垫料加厚，饮水加温。',
    subjects: ['forestChicken'],
    weather: ['coldSnap'],
    validDays: 7,
  };
  const recipients = async () =>
    ctx.deps.db.selectFrom('notice_recipients').select(['household_id', 'person_id', 'notice_id']).orderBy('person_id').execute();

  it(
    'reaches the chicken households of the cold township only, once per rule, household and period',
    async () => {
      const worker = await as('worker');
      const rule = (await worker.post('/api/agri/advice-rules', chickenRule)).json();
      expect(rule.regionId).toBe(tree.townshipA.id);
      // No cold weather yet: the rule holds nowhere.
      expect((await worker.post('/api/agri/advice/run', {})).json()).toEqual({ rules: 0, households: 0, notices: 0 });
      await coldSnap(worker, tree.townshipA.id);
      expect((await worker.get(`/api/agri/advice-rules/${rule.id}/preview`)).json()).toEqual({ appliesToday: true, households: 1 });
      expect((await worker.post('/api/agri/advice/run', {})).json()).toEqual({ rules: 1, households: 1, notices: 1 });
      const reached = await recipients();
      expect(new Set(reached.map((r) => r.household_id))).toEqual(new Set([households.chickens]));
      expect(reached).toHaveLength(2);

      // Again, by the job, and days later in the same period: nobody twice.
      expect(await runAdvice(ctx.deps, null)).toEqual({ rules: 0, households: 0, notices: 0 });
      ctx.clock.advance(3 * DAY);
      await coldSnap(await as('worker'), tree.townshipA.id);
      expect(await runAdvice(ctx.deps, null)).toEqual({ rules: 0, households: 0, notices: 0 });
      expect(await recipients()).toHaveLength(2);
      // A new period after the seven days: the household hears it again.
      ctx.clock.advance(5 * DAY);
      const later = await as('worker');
      await coldSnap(later, tree.townshipA.id);
      expect((await runAdvice(ctx.deps, null)).households).toBe(1);
      expect(await recipients()).toHaveLength(4);
      const report = (await later.get(`/api/agri/advice/deliveries?ruleId=${rule.id}`)).json().items;
      expect(report.map((r: { households: number }) => r.households)).toEqual([1, 1]);
    },
    SLOW,
  );

  it(
    'a push run twice at once, or cut short and run again, delivers each household once',
    async () => {
      const worker = await as('worker');
      await worker.post('/api/agri/advice-rules', { ...chickenRule, weather: [] });
      const [a, b] = await Promise.all([runAdvice(ctx.deps, null), runAdvice(ctx.deps, null)]);
      expect(a.households + b.households).toBe(1);
      const deliveries = await ctx.deps.db.selectFrom('agri_advice_deliveries').selectAll().execute();
      expect(deliveries.map((d) => d.household_id)).toEqual([households.chickens]);
      const reached = await recipients();
      expect(reached).toHaveLength(2);
      expect(new Set(reached.map((r) => r.notice_id)).size).toBe(1);
      // The notice lost after its deliveries were written (a crash between the two) is sent by the next run.
      await ctx.deps.db.deleteFrom('notice_recipients').execute();
      await ctx.deps.db.deleteFrom('notices').execute();
      expect((await runAdvice(ctx.deps, null)).households).toBe(0);
      expect(await recipients()).toHaveLength(2);
    },
    SLOW,
  );

  it(
    'shows the advice on the farm page with its read receipt; the farm page and report follow the reading',
    async () => {
      const worker = await as('worker');
      const rule = (await worker.post('/api/agri/advice-rules', { ...chickenRule, weather: [] })).json();
      await worker.post('/api/agri/advice/run', { ruleId: rule.id });
      const member = await as('member');
      const farm = await member.get(`/api/agri/farms/${households.chickens}/advice`);
      expect(farm.statusCode).toBe(200);
      const [advice] = farm.json().items;
      expect(advice).toMatchObject({ ruleId: rule.id, title: chickenRule.title, read: false });
      expect((await member.get('/api/agri/farms/mine')).json().unreadAdvice).toBe(1);
      const notice = await member.get(`/api/notices/${advice.noticeId}`);
      expect(notice.statusCode).toBe(200);
      // Its audience says whom it went to (the households with chickens, counted), not the whole village.
      expect(notice.json().audience).toEqual({
        regionIds: [],
        gridIds: [],
        traits: [],
        personIds: [],
        households: 1,
        subjects: ['forestChicken'],
      });
      expect((await member.get(`/api/agri/farms/${households.chickens}/advice`)).json().items[0].read).toBe(true);
      expect((await worker.get('/api/agri/advice/deliveries')).json().items[0]).toMatchObject({ households: 1, read: 1 });
      // The tea household hears nothing and sees nothing of it.
      const other = await as('otherMember');
      expect((await other.get(`/api/agri/farms/${households.tea}/advice`)).json().items).toEqual([]);
      expect((await other.get(`/api/agri/farms/${households.chickens}/advice`)).statusCode).toBe(404);
    },
    SLOW,
  );

  it(
    'imports a forecast feed all or nothing, within the worker’s own township; others may not write rules or weather',
    async () => {
      const worker = await as('worker');
      const csv = (rows: string[]) =>
        worker.request({
          method: 'POST',
          url: '/api/agri/weather/import',
          headers: { 'content-type': 'text/csv' },
          payload: ['region_code,date,min_temp_c,max_temp_c,rain_mm,conditions', ...rows].join('\n'),
        });
      const bad = await csv([`500242105,${today()},8,12,0,`, `500242105,${dayAfter(1)},oops,12,0,`]);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('weather_feed_invalid');
      expect(await ctx.deps.db.selectFrom('agri_weather').selectAll().execute()).toEqual([]);
      // Huatian (another township) is not this worker's.
      expect((await csv([`500242208,${today()},8,12,0,`])).statusCode).toBe(400);
      const good = await csv([`500242105,${today()},8,12,0,`, `500242105,${dayAfter(1)},-1,4,60,`]);
      expect(good.statusCode).toBe(200);
      expect(good.json().imported).toBe(2);
      expect(good.json().conditions[0].conditions).toEqual(['frost', 'heavyRain', 'coldSnap']);
      const json = await worker.request({
        method: 'POST',
        url: '/api/agri/weather/import',
        headers: { 'content-type': 'application/json' },
        payload: { entries: [{ regionCode: '500242105', date: dayAfter(2), minTempC: 20, maxTempC: 36, rainMm: 0 }] },
      });
      expect(json.json().conditions[0].conditions).toEqual(['heat']);

      const villager = await as('member');
      expect((await villager.post('/api/agri/advice-rules', chickenRule)).statusCode).toBe(403);
      expect(
        (await villager.post('/api/agri/weather', { regionId: tree.townshipA.id, date: today(), minTempC: 1, maxTempC: 2, rainMm: 0 }))
          .statusCode,
      ).toBe(403);
      const workerB = await as('workerB');
      expect((await workerB.post('/api/agri/advice-rules', { ...chickenRule, regionId: tree.townshipA.id })).statusCode).toBe(404);
      const rule = (await worker.post('/api/agri/advice-rules', chickenRule)).json();
      expect((await workerB.patch(`/api/agri/advice-rules/${rule.id}`, { validDays: 3 })).statusCode).toBe(404);
      expect((await worker.patch(`/api/agri/advice-rules/${rule.id}`, { validDays: 3 })).json().validDays).toBe(3);
      expect((await worker.post('/api/agri/advice-rules', { ...chickenRule, subjects: [] })).statusCode).toBe(400);
      expect((await worker.post('/api/agri/advice-rules', { ...chickenRule, months: [13] })).statusCode).toBe(400);
    },
    SLOW,
  );
});
