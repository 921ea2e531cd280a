import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { addDepartment } from '../org/departments.service.ts';
import { insertCategory } from './case-categories.repository.ts';
import { rebuildRollups, splitPeriod } from './case-rollups.repository.ts';

const DAY = 24 * 3_600_000;

describe.each(dialects)('appeals statistics on %s', (dialect) => {
  let tree: Tree;
  let agent: Session;
  let worker: Session;
  let agentPhone: string;
  let workerPhone: string;
  const grid = uuidv7();
  const traffic = uuidv7();
  let start: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const now = ctx.deps.now();
    start = new Date(now - DAY).toISOString();
    const department = uuidv7();
    await addDepartment(ctx.deps.db, { id: department, name: '县交通局', regionId: tree.county.id }, now);
    await insertCategory(
      ctx.deps.db,
      {
        id: grid,
        countyId: tree.county.id,
        code: 'sanitation',
        name: '环境卫生',
        nameEn: null,
        routeTo: 'grid',
        departmentId: null,
        deadlineHours: 24,
        active: true,
        sortOrder: 1,
      },
      now,
    );
    await insertCategory(
      ctx.deps.db,
      {
        id: traffic,
        countyId: tree.county.id,
        code: 'traffic',
        name: '交通',
        nameEn: null,
        routeTo: 'department',
        departmentId: department,
        deadlineHours: 24,
        active: true,
        sortOrder: 2,
      },
      now,
    );
    agentPhone = (await buildUser(ctx.deps, { role: 'appealsAgent', region: tree.county })).phone;
    workerPhone = (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone;
    agent = await login(ctx.app, agentPhone, PASSWORD);
    worker = await login(ctx.app, workerPhone, PASSWORD);
    seeded = { agent, worker };
  });
  /** The sessions the seed signed in: a test that logs in again must not hand its sessions to the next test. */
  let seeded: { agent: Session; worker: Session };
  beforeEach(() => {
    ({ agent, worker } = seeded);
  });

  const appeal = async (categoryId: string) =>
    (
      await agent.post('/api/cases', {
        source: 'appeal',
        channel: 'phone',
        categoryId,
        regionId: tree.groupA1.id,
        title: '来电诉求',
        description: '电话反映',
        reporterName: '来电人',
      })
    ).json();
  const act = (session: Session, id: string, body: Record<string, unknown>) => session.post(`/api/cases/${id}/transitions`, body);

  /** Four appeals: answered on the spot, replied on time and closed, replied ten days late, untouched; ten days on. */
  const fileFourAppeals = async () => {
    // Answered on the spot: the traffic appeal, which the department never needed to see.
    const onSpot = await appeal(traffic);
    await act(agent, onSpot.id, { action: 'reopen' }).then((r) => expect(r.statusCode).toBe(409));
    // Replied on time and rated 5.
    const quick = await appeal(grid);
    for (const action of ['accept', 'handle', 'reply']) await act(worker, quick.id, { action });
    await act(agent, quick.id, { action: 'close' });
    // Replied ten days late.
    const slow = await appeal(grid);
    await act(worker, slow.id, { action: 'accept' });
    await act(worker, slow.id, { action: 'handle' });
    // Left untouched, and overdue once the clock moves on.
    await appeal(grid);
    ctx.clock.advance(10 * DAY);
    // Ten idle days end every session: log in again.
    agent = await login(ctx.app, agentPhone, PASSWORD);
    worker = await login(ctx.app, workerPhone, PASSWORD);
    await act(worker, slow.id, { action: 'reply' });
  };

  it('counts accepted, answered on the spot, assigned, handled, replied on time and the rates from the cases', async () => {
    await fileFourAppeals();
    const to = new Date(ctx.clock.now + DAY).toISOString();
    const response = await agent.get(`/api/cases/statistics?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`);
    expect(response.statusCode).toBe(200);
    const { totals, byCategory, byDepartment } = response.json();
    expect(totals).toMatchObject({
      received: 4,
      answeredOnSpot: 0,
      assigned: 4,
      handled: 2,
      replied: 2,
      repliedOnTime: 1,
      onTimeReplyRate: 0.5,
      closed: 1,
      completionRate: 0.25,
      overdueOpen: 2,
    });
    expect(byCategory.map((g: { name: string; received: number }) => [g.name, g.received])).toEqual([
      ['环境卫生', 3],
      ['交通', 1],
    ]);
    expect(byDepartment).toEqual([expect.objectContaining({ name: '县交通局', received: 1 })]);

    const csv = await agent.get(`/api/cases/statistics/export?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    // Headed in the reader's language only (Accept-Language; Chinese when none).
    expect(csv.body.startsWith('\uFEFF分组,受理,现场解释答疑')).toBe(true);
    expect(csv.body).toContain('合计,4,0,4,2,2,1,0.5,1,0.25,2');
    const english = await agent.request({
      method: 'GET',
      url: `/api/cases/statistics/export?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`,
      headers: { 'accept-language': 'en' },
    });
    const [englishHeader] = english.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(englishHeader?.startsWith('Group,Received,Answered on the spot')).toBe(true);
    expect(englishHeader).not.toMatch(/[\u4e00-\u9fff]/);
    expect(english.body).toContain('Total,4,0,4,2,2,1,0.5,1,0.25,2');

    const xlsx = await agent.get(`/api/cases/statistics/export?format=xlsx&from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toMatch(/attachment; filename="case-statistics-.*\.xlsx"/);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('splits a period of whole days into whole months and the days at its edges', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
    const month = (year: number, m: number) => year * 12 + m - 1;
    expect(splitPeriod(day('2026-01-01'), day('2027-01-01'))).toEqual({ months: [month(2026, 1), month(2027, 1)], days: [] });
    expect(splitPeriod(day('2025-11-28'), day('2026-11-29'))).toEqual({
      months: [month(2025, 12), month(2026, 11)],
      days: [
        [day('2025-11-28'), day('2025-12-01')],
        [day('2026-11-01'), day('2026-11-29')],
      ],
    });
    expect(splitPeriod(day('2026-02-03'), day('2026-02-20'))).toEqual({ days: [[day('2026-02-03'), day('2026-02-20')]] });
    expect(splitPeriod(day('2026-02-27'), day('2026-03-02'))).toEqual({ days: [[day('2026-02-27'), day('2026-03-02')]] });
  });

  it('gives the same figures from the roll-ups for whole days, and the roll-ups match a rebuild', async () => {
    await fileFourAppeals();
    const OFFSET = 8 * 3_600_000;
    const midnight = (ms: number) => Math.floor((ms + OFFSET) / DAY) * DAY - OFFSET;
    const from = new Date(midnight(Date.parse(start))).toISOString();
    const to = new Date(midnight(ctx.clock.now) + DAY).toISOString();
    const live = (
      await agent.get(
        `/api/cases/statistics?from=${encodeURIComponent(new Date(Date.parse(from) + 1).toISOString())}&to=${encodeURIComponent(to)}`,
      )
    ).json();
    const rolled = (await agent.get(`/api/cases/statistics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json();
    expect(rolled.totals.received).toBe(4);
    expect(rolled).toEqual(live);

    const rows = () =>
      ctx.deps.db
        .selectFrom('case_rollups')
        .selectAll()
        .where('received', '>', 0)
        .orderBy(['period', 'bucket', 'village_id', 'category_id', 'department_key', 'source'])
        .execute();
    const areaRows = () =>
      ctx.deps.db
        .selectFrom('case_area_rollups')
        .selectAll()
        .where('received', '>', 0)
        .orderBy(['period', 'bucket', 'area_id', 'category_id', 'department_key', 'source'])
        .execute();
    const running = await rows();
    const runningAreas = await areaRows();
    expect(running.filter((r) => r.period === 'm').length).toBeGreaterThan(0);
    expect(new Set(runningAreas.map((r) => r.level))).toEqual(new Set(['county', 'township']));
    await rebuildRollups(ctx.deps.db);
    expect((await rows()).map((r) => ({ ...r }))).toEqual(running.map((r) => ({ ...r })));
    expect((await areaRows()).map((r) => ({ ...r }))).toEqual(runningAreas.map((r) => ({ ...r })));
  });

  it('counts open cases as overdue from the roll-ups once their deadline passes, with no write, as counting the cases does', async () => {
    const OFFSET = 8 * 3_600_000;
    const midnight = (ms: number) => Math.floor((ms + OFFSET) / DAY) * DAY - OFFSET;
    const from = midnight(Date.parse(start));
    const figures = async (session = agent, regionId?: string) => {
      const to = midnight(ctx.clock.now) + 2 * DAY;
      const region = regionId ? `&regionId=${regionId}` : '';
      const query = (a: number) => `/api/cases/statistics?from=${new Date(a).toISOString()}&to=${new Date(to).toISOString()}${region}`;
      const rolled = (await session.get(query(from))).json();
      // A period that starts one millisecond later is not whole days: it is counted from the cases.
      expect(rolled).toEqual((await session.get(query(from + 1))).json());
      return rolled.totals;
    };
    // Deadlines 24 working hours on: two left open, one handled (still open), one closed.
    await appeal(grid);
    await appeal(traffic);
    const [handled, closed] = [await appeal(grid), await appeal(grid)];
    for (const action of ['accept', 'handle']) await act(worker, handled.id, { action });
    for (const action of ['accept', 'handle', 'reply']) await act(worker, closed.id, { action });
    await act(agent, closed.id, { action: 'close' });
    expect(await figures()).toMatchObject({ received: 4, closed: 1, overdueOpen: 0 });

    // Ten days on the deadlines have passed: overdue now, though nothing was written.
    ctx.clock.advance(10 * DAY);
    agent = await login(ctx.app, agentPhone, PASSWORD);
    worker = await login(ctx.app, workerPhone, PASSWORD);
    expect(await figures()).toMatchObject({ received: 4, closed: 1, overdueOpen: 3 });
    // Closing one takes it out; a new case is not due yet.
    await act(worker, handled.id, { action: 'reply' });
    await act(agent, handled.id, { action: 'close' });
    await appeal(grid);
    expect(await figures()).toMatchObject({ received: 5, closed: 2, overdueOpen: 2 });
    // The county's, a township's and a village's rows give what the cases give, to the county and to the township.
    for (const regionId of [tree.county.id, tree.townshipA.id, tree.villageA.id]) {
      expect(await figures(agent, regionId)).toMatchObject({ received: 5, overdueOpen: 2 });
    }
    expect(await figures(agent, tree.townshipB.id)).toMatchObject({ received: 0, overdueOpen: 0 });
    const official = await login(
      ctx.app,
      (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone,
      PASSWORD,
    );
    expect(await figures(official)).toMatchObject({ received: 5, overdueOpen: 2 });
    expect(await figures(official, tree.villageA.id)).toMatchObject({ received: 5, overdueOpen: 2 });
  });

  it('sums whole months and edge days from the roll-ups to the same figures as counting a year of cases', async () => {
    const now = ctx.clock.now;
    for (const daysAgo of [300, 95, 70, 40, 33]) {
      ctx.clock.now = now - daysAgo * DAY;
      const created = await appeal(daysAgo % 2 === 0 ? grid : traffic);
      if (daysAgo > 60) await act(agent, created.id, { action: 'answerOnSpot' });
    }
    ctx.clock.now = now;
    agent = await login(ctx.app, agentPhone, PASSWORD);
    const OFFSET = 8 * 3_600_000;
    const midnight = (ms: number) => Math.floor((ms + OFFSET) / DAY) * DAY - OFFSET;
    const from = midnight(now - 365 * DAY);
    const to = midnight(now) + DAY;
    const query = (a: number, b: number) => `/api/cases/statistics?from=${new Date(a).toISOString()}&to=${new Date(b).toISOString()}`;
    const rolled = (await agent.get(query(from, to))).json();
    const live = (await agent.get(query(from + 1, to))).json();
    expect(rolled.totals.received).toBeGreaterThanOrEqual(5);
    expect(rolled).toEqual(live);
    // A period that starts and ends inside months: the edges come from the daily rows.
    const partial = [midnight(now - 80 * DAY), midnight(now - 35 * DAY)] as const;
    expect((await agent.get(query(...partial))).json()).toEqual((await agent.get(query(partial[0] + 1, partial[1]))).json());
  });

  it('counts nothing outside the period or the scope, and refuses villagers', async () => {
    const before = new Date(Date.parse(start) - 10 * DAY).toISOString();
    const empty = (await agent.get(`/api/cases/statistics?from=${encodeURIComponent(before)}&to=${encodeURIComponent(start)}`)).json();
    expect(empty.totals.received).toBe(0);
    expect(empty.totals.onTimeReplyRate).toBeNull();
    const cadreB = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone, PASSWORD);
    const to = new Date(ctx.clock.now + DAY).toISOString();
    const theirs = (await cadreB.get(`/api/cases/statistics?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`)).json();
    expect(theirs.totals.received).toBe(0);
    const nobody = await login(ctx.app, (await buildUser(ctx.deps, { region: tree.villageA })).phone, PASSWORD);
    expect((await nobody.get(`/api/cases/statistics?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`)).statusCode).toBe(403);
    expect((await agent.get(`/api/cases/statistics?from=${encodeURIComponent(to)}&to=${encodeURIComponent(start)}`)).statusCode).toBe(400);
  });
});
