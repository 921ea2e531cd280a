// Return-to-poverty monitoring on each database, as the county runs it: a grid worker enters a
// household's figures and the rules flag it; the seven steps run in order, each by its office,
// with evidence, a public notice that shows only what it must and only while it runs, and an
// objection answered; help is planned and followed up on visits; the risk is removed on the same
// path. Every read of the economics is audited, refusals as well as grants.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { readXlsx, toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';

const DAY = 24 * 3_600_000;
const SLOW = 120_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ASSURED = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };

const figures = (perCapita: number, overrides: Record<string, unknown> = {}) => ({
  year: 2026,
  members: 4,
  labour: 2,
  formerlyPoor: false,
  income: { wage: perCapita * 3, business: perCapita },
  incomeLast12: perCapita * 4,
  expenses: [],
  assurances: ASSURED,
  seriousIllness: false,
  disaster: false,
  ...overrides,
});

type Who = 'grid' | 'cadre' | 'township' | 'county' | 'cadreB' | 'member' | 'neighbour' | 'outsider';

describe.each(dialects)('poverty monitoring on %s', (dialect) => {
  let tree: Tree;
  let household = '';
  let household2 = '';
  const seeded = {} as Record<Who, Session>;
  let sessions = {} as Record<Who, Session>;
  const userIds = {} as Record<Who, string>;
  const phones = {} as Record<Who, string>;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    household = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '张三明' })).id;
    household2 = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '李四' })).id;
    const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household, name: '张三明' });
    const neighbourHome = (await buildHousehold(ctx.deps, { region: tree.groupA2 })).id;
    const neighbour = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: neighbourHome });
    const outsiderHome = (await buildHousehold(ctx.deps, { region: tree.groupB1 })).id;
    const outsider = await buildPerson(ctx.deps, { region: tree.groupB1, householdId: outsiderHome });
    const users: Record<Who, { id: string; phone: string }> = {
      grid: await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA, name: '网格员王' }),
      cadre: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA }),
      township: await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA }),
      county: await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county }),
      cadreB: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB }),
      member: await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: member.id }),
      neighbour: await buildUser(ctx.deps, { role: 'villager', region: tree.groupA2, personId: neighbour.id }),
      outsider: await buildUser(ctx.deps, { role: 'villager', region: tree.groupB1, personId: outsider.id }),
    };
    for (const [who, user] of Object.entries(users) as [Who, { id: string; phone: string }][]) {
      seeded[who] = await login(ctx.app, user.phone, PASSWORD);
      userIds[who] = user.id;
      phones[who] = user.phone;
    }
  });
  beforeEach(() => {
    sessions = { ...seeded };
  });

  /** Moves the clock on; sessions idle that long have ended, so everyone signs in again. */
  async function advance(ms: number) {
    ctx.clock.advance(ms);
    for (const who of Object.keys(phones) as Who[]) sessions[who] = await login(ctx.app, phones[who], PASSWORD);
  }

  const audits = (action: string, targetId: string) =>
    ctx.deps.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'outcome'])
      .where('action', '=', action)
      .where('target_id', '=', targetId)
      .execute();

  /** Records figures under the line: the rules flag the household; returns its monitored record. */
  async function flagged(): Promise<{ id: string; version: number; category: string; source: string }> {
    const response = await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(5000));
    expect(response.statusCode).toBe(201);
    return response.json().flagged;
  }

  async function step(who: Who, id: string, body: Record<string, unknown>) {
    const version = (await sessions.county.get(`/api/poverty/monitored/${id}`)).json().monitored.version;
    return sessions[who].post(`/api/poverty/monitored/${id}/steps`, { decision: 'approve', version, ...body });
  }

  async function authorised(id: string) {
    const upload = await sessions.grid.request({
      method: 'POST',
      url: `/api/poverty/monitored/${id}/evidence`,
      payload: PDF,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(upload.statusCode).toBe(201);
    return upload.json().id as string;
  }

  it(
    'shows a household’s economics only to the grid worker, cadres and offices of its place, auditing every read and refusal',
    async () => {
      const record = await flagged();
      expect(record).toMatchObject({ category: 'marginal', source: 'data', status: 'identifying', nextStep: 'homeVisit' });
      for (const who of ['grid', 'cadre', 'township', 'county'] as const) {
        const response = await sessions[who].get(`/api/poverty/households/${household}/economics`);
        expect(response.statusCode, who).toBe(200);
        expect(response.json().records[0]).toMatchObject({ perCapitaLast12: 5000, members: 4 });
        expect(response.json().reasons).toEqual(['incomeBelowLine']);
      }
      expect((await sessions.cadreB.get(`/api/poverty/households/${household}/economics`)).statusCode).toBe(404);
      // The household's own member reads the household, but not the office's economics file.
      expect((await sessions.member.get(`/api/poverty/households/${household}/economics`)).statusCode).toBe(403);
      expect((await sessions.cadreB.post(`/api/poverty/households/${household}/economics`, figures(9000))).statusCode).toBe(404);
      // A year still to come is a slip of the keyboard: refused, nothing kept.
      const future = await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(9000, { year: 2099 }));
      expect([future.statusCode, future.json().error.code]).toEqual([400, 'validation_failed']);
      expect(future.body).not.toContain('2099');
      const rows = await audits('poverty.economics.read', household);
      const by = (who: Who) => rows.filter((r) => r.actor_user_id === userIds[who]).map((r) => r.outcome);
      for (const who of ['grid', 'cadre', 'township', 'county'] as const) expect(by(who), who).toEqual(['ok']);
      expect(by('cadreB')).toEqual(['denied']);
      // The file of the monitored household is audited as well.
      expect((await sessions.cadreB.get(`/api/poverty/monitored/${record.id}`)).statusCode).toBe(404);
      expect((await sessions.cadre.get(`/api/poverty/monitored/${record.id}`)).statusCode).toBe(200);
      expect((await audits('poverty.monitored.read', record.id)).map((r) => r.outcome).sort()).toEqual(['denied', 'ok']);
    },
    SLOW,
  );

  it(
    'runs the identification in order, each step by its office, with the public notice and an objection',
    async () => {
      const { id } = await flagged();
      expect((await step('cadre', id, { step: 'villageReview' })).json().error.code).toBe('poverty_step_out_of_order');
      expect((await step('township', id, { step: 'homeVisit' })).statusCode).toBe(403);
      expect((await audits('poverty.step', id)).map((r) => r.outcome)).toEqual(['denied']);
      expect((await step('grid', id, { step: 'homeVisit', note: '入户核实：洪水冲毁部分农田' })).statusCode).toBe(200);
      expect((await step('grid', id, { step: 'authorisation' })).json().error.code).toBe('poverty_evidence_required');
      const evidenceId = await authorised(id);
      expect((await step('grid', id, { step: 'authorisation', evidenceIds: [evidenceId] })).statusCode).toBe(200);
      // Reject is for reviews only; the village cannot compare the departments' data.
      expect((await step('township', id, { step: 'dataComparison', decision: 'reject' })).json().error.code).toBe('poverty_cannot_reject');
      expect((await step('cadre', id, { step: 'dataComparison', category: 'hardship' })).statusCode).toBe(403);
      expect((await step('township', id, { step: 'dataComparison', category: 'hardship' })).statusCode).toBe(200);
      // A stale version is refused.
      const stale = await sessions.cadre.post(`/api/poverty/monitored/${id}/steps`, {
        step: 'villageReview',
        decision: 'approve',
        version: 0,
      });
      expect(stale.json().error.code).toBe('poverty_changed');
      expect((await step('cadre', id, { step: 'villageReview', note: '村民代表会议评议通过' })).statusCode).toBe(200);
      // The cadre's own words (here with a figure and an ID number) stay on the desk.
      const typed = '年人均收入3000元，身份证500242199001011234，因灾导致生活困难';
      expect((await step('cadre', id, { step: 'publicNotice', noticeText: typed })).statusCode).toBe(200);

      // The notice shows the masked name, the category and a fixed sentence, no figures and nothing
      // typed; only while it runs.
      const board = await ctx.app.inject({ method: 'GET', url: `/api/public/poverty-notices?villageId=${tree.villageA.id}` });
      expect(board.statusCode).toBe(200);
      expect(board.json().items).toEqual([
        expect.objectContaining({
          monitoredId: id,
          headName: '张*明',
          category: 'hardship',
          text: '拟纳入防止返贫监测（突发严重困难户），公示期内如有异议，请向村民委员会反映。',
          phase: 'identification',
        }),
      ]);
      expect(board.body).not.toContain('5000');
      expect(board.body).not.toContain('3000');
      expect(board.body).not.toContain('500242199001011234');
      expect(board.body).not.toContain('因灾');
      expect(board.body).not.toContain(household);

      const objection = await sessions.neighbour.post(`/api/poverty/monitored/${id}/objections`, { text: '该户有外出务工收入' });
      expect(objection.statusCode).toBe(201);
      expect((await sessions.outsider.post(`/api/poverty/monitored/${id}/objections`, { text: '异议' })).statusCode).toBe(404);
      expect((await step('township', id, { step: 'townshipReview' })).json().error.code).toBe('poverty_notice_running');

      await advance(6 * DAY);
      const after = await ctx.app.inject({ method: 'GET', url: `/api/public/poverty-notices?villageId=${tree.villageA.id}` });
      expect(after.json().items).toEqual([]);
      expect((await sessions.neighbour.post(`/api/poverty/monitored/${id}/objections`, { text: '迟到的异议' })).statusCode).toBe(404);
      expect((await step('township', id, { step: 'townshipReview' })).json().error.code).toBe('poverty_objections_open');
      const objectionId = objection.json().id;
      expect(
        (await sessions.grid.post(`/api/poverty/monitored/${id}/objections/${objectionId}/resolve`, { upheld: false, note: '核实' }))
          .statusCode,
      ).toBe(403);
      const resolved = await sessions.cadre.post(`/api/poverty/monitored/${id}/objections/${objectionId}/resolve`, {
        upheld: false,
        note: '核实务工收入已中断',
      });
      expect(resolved.json()).toMatchObject({ resolved: true, upheld: false });
      expect((await step('county', id, { step: 'townshipReview' })).statusCode).toBe(403);
      expect((await step('township', id, { step: 'townshipReview' })).statusCode).toBe(200);
      const approved = await step('county', id, { step: 'countyApproval' });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'monitored', category: 'hardship', nextStep: null });
      expect(approved.json().nextVisitDueAt).not.toBeNull();

      const detail = (await sessions.cadre.get(`/api/poverty/monitored/${id}`)).json();
      expect(detail.steps.map((s: { step: string }) => s.step)).toEqual([
        'data',
        'homeVisit',
        'authorisation',
        'dataComparison',
        'villageReview',
        'publicNotice',
        'townshipReview',
        'countyApproval',
      ]);
      expect(detail.steps[2]).toMatchObject({ actorName: '网格员王', evidenceIds: [evidenceId] });
      expect(detail.objections).toEqual([expect.objectContaining({ resolved: true })]);
      const file = await sessions.township.get(`/api/poverty/monitored/${id}/evidence/${evidenceId}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      // A PDF is downloaded, never run in the browser's viewer, and whatever was uploaded is sandboxed.
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="evidence-[0-9a-f-]+\.pdf"$/);
      expect(file.headers['content-security-policy']).toMatch(/^sandbox;/);
      // At most 30 files wait for a step at a time; the 31st is refused and not kept.
      for (let i = 0; i < 30; i++) await authorised(id);
      const tooMany = await sessions.grid.request({
        method: 'POST',
        url: `/api/poverty/monitored/${id}/evidence`,
        payload: PDF,
        headers: { 'content-type': 'application/pdf' },
      });
      expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([400, 'poverty_evidence_too_many']);
      expect((await sessions.township.get(`/api/poverty/monitored/${id}`)).json().evidence).toHaveLength(31);
      expect((await sessions.cadreB.get(`/api/poverty/monitored/${id}/evidence/${evidenceId}`)).statusCode).toBe(404);
    },
    SLOW,
  );

  /** Walks a procedure to its end; a notice of five days is waited out. */
  async function walkAll(id: string, category?: string) {
    for (const [who, body] of [
      ['grid', { step: 'homeVisit', note: '入户核实' }],
      ['grid', { step: 'authorisation', evidenceIds: [await authorised(id)] }],
      ['township', { step: 'dataComparison', ...(category && { category }) }],
      ['cadre', { step: 'villageReview' }],
      ['cadre', { step: 'publicNotice' }],
    ] as const)
      expect((await step(who, id, body)).statusCode).toBe(200);
    await advance(6 * DAY);
    expect((await step('township', id, { step: 'townshipReview' })).statusCode).toBe(200);
    return step('county', id, { step: 'countyApproval' });
  }

  it(
    'plans help, flags the due visit to the grid worker, and removes the risk on the same path once income stayed above the line',
    async () => {
      const { id } = await flagged();
      expect((await walkAll(id)).json().status).toBe('monitored');
      const measure = await sessions.cadre.post(`/api/poverty/monitored/${id}/measures`, {
        kind: 'employment',
        description: '推荐到县城工业园务工',
        responsible: '村支书刘',
        dueDate: '2027-01-15',
      });
      expect(measure.statusCode).toBe(201);
      expect(
        (
          await sessions.cadreB.post(`/api/poverty/monitored/${id}/measures`, {
            kind: 'industry',
            description: 'x',
            responsible: 'y',
            dueDate: '2027-01-01',
          })
        ).statusCode,
      ).toBe(404);

      // Removing the risk now is refused: income has not stayed above the line.
      const early = await sessions.grid.post(`/api/poverty/monitored/${id}/removal`, {
        version: (await sessions.grid.get(`/api/poverty/monitored/${id}`)).json().monitored.version,
      });
      expect(early.json().error.code).toBe('poverty_not_stable');

      await advance(31 * DAY);
      const tasks = (await sessions.grid.get('/api/poverty/tasks')).json().items;
      expect(tasks).toContainEqual(expect.objectContaining({ monitoredId: id, kind: 'visitDue' }));
      expect((await sessions.cadreB.get('/api/poverty/tasks')).json().items).toEqual([]);
      // A visit says what was seen (blanks are not a note) and names only this household's measures.
      const blank = await sessions.grid.post(`/api/poverty/monitored/${id}/visits`, { note: '   ' });
      expect([blank.statusCode, blank.json().error.code]).toEqual([400, 'validation_failed']);
      const stranger = '01900000-0000-7000-8000-0000000000aa';
      const unknown = await sessions.grid.post(`/api/poverty/monitored/${id}/visits`, {
        note: '走访',
        measuresDone: [measure.json().id, stranger],
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.body).not.toContain(stranger);
      expect((await sessions.grid.get(`/api/poverty/monitored/${id}`)).json().visits).toEqual([]);
      const visit = await sessions.grid.post(`/api/poverty/monitored/${id}/visits`, {
        note: '已在工业园上班',
        measuresDone: [measure.json().id],
      });
      expect(visit.statusCode).toBe(201);
      expect(visit.json().measuresDone).toEqual([measure.json().id]);
      expect(
        (await sessions.grid.get('/api/poverty/tasks')).json().items.filter((t: { monitoredId: string }) => t.monitoredId === id),
      ).toEqual([]);

      // A stretch of seven months above the line, with figures entered along the way.
      expect((await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(9500))).json().reasons).toEqual([]);
      await advance(200 * DAY);
      expect((await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(10_000))).statusCode).toBe(201);
      const version = (await sessions.grid.get(`/api/poverty/monitored/${id}`)).json().monitored.version;
      expect((await sessions.township.post(`/api/poverty/monitored/${id}/removal`, { version })).statusCode).toBe(403);
      const removal = await sessions.grid.post(`/api/poverty/monitored/${id}/removal`, { version, note: '务工收入稳定' });
      expect(removal.json()).toMatchObject({ status: 'removing', nextStep: 'homeVisit' });
      const removed = await walkAll(id);
      expect(removed.json()).toMatchObject({ status: 'removed', nextStep: null });
      expect(removed.json().removedAt).not.toBeNull();
    },
    SLOW,
  );

  it(
    'keeps a household without labour monitored',
    async () => {
      const response = await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(5000, { labour: 0 }));
      const id = response.json().flagged.id;
      expect(response.json().reasons).toContain('labourLoss');
      await walkAll(id);
      await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(9000, { labour: 0 }));
      await advance(200 * DAY);
      await sessions.grid.post(`/api/poverty/households/${household}/economics`, figures(9000, { labour: 0 }));
      const version = (await sessions.grid.get(`/api/poverty/monitored/${id}`)).json().monitored.version;
      expect((await sessions.grid.post(`/api/poverty/monitored/${id}/removal`, { version })).json().error.code).toBe('poverty_no_labour');
    },
    SLOW,
  );

  it(
    'takes a household’s own report from the phone once per Idempotency-Key and puts it on the grid worker’s list',
    async () => {
      const body = { reasons: ['disaster', 'seriousIllness'], note: '房屋被洪水冲毁，老人住院' };
      const headers = { 'idempotency-key': 'self-report-1' };
      const first = await sessions.member.post('/api/poverty/self-reports', body, headers);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ status: 'identifying', nextStep: 'homeVisit' });
      const again = await sessions.member.post('/api/poverty/self-reports', body, headers);
      expect(again.json().monitoredId).toBe(first.json().monitoredId);
      const listed = (await sessions.cadre.get('/api/poverty/monitored?status=identifying')).json().items;
      expect(listed).toEqual([expect.objectContaining({ householdId: household, source: 'selfReport', category: 'hardship' })]);
      expect((await sessions.cadreB.get('/api/poverty/monitored')).json().items).toEqual([]);
      const tasks = (await sessions.grid.get('/api/poverty/tasks')).json().items;
      expect(tasks).toContainEqual(expect.objectContaining({ householdId: household, kind: 'stepDue', step: 'homeVisit' }));
      // The villager does not read the office's file, nor flag a household as an office would.
      expect((await sessions.member.get(`/api/poverty/monitored/${first.json().monitoredId}`)).statusCode).toBe(403);
      expect((await sessions.member.post('/api/poverty/monitored', { householdId: household2, reasons: ['other'] })).statusCode).toBe(403);
      // A grid worker's own flag of another household after a visit.
      const visitFlag = await sessions.grid.post('/api/poverty/monitored', {
        householdId: household2,
        reasons: ['accident'],
        note: '车祸',
      });
      expect(visitFlag.json()).toMatchObject({ source: 'visit', category: 'hardship' });
      expect(
        (await sessions.grid.post('/api/poverty/monitored', { householdId: household2, reasons: ['accident'] })).json().error.code,
      ).toBe('poverty_already_flagged');
    },
    SLOW,
  );

  it(
    'lets the county set its line, imports figures from XLSX (all or nothing) and gives the figures with their XLSX',
    async () => {
      const settings = {
        year: 2026,
        incomeLine: 8000,
        expenseRatio: 0.5,
        expenseMinimum: 10_000,
        stableMonths: 6,
        visitIntervalDays: 30,
        noticeDays: 5,
      };
      expect((await sessions.township.request({ method: 'PUT', url: '/api/poverty/settings', payload: settings })).statusCode).toBe(403);
      const put = await sessions.county.request({ method: 'PUT', url: '/api/poverty/settings', payload: settings });
      expect(put.json()).toMatchObject({ incomeLine: 8000, configured: true });
      expect((await sessions.grid.get('/api/poverty/settings?year=2027')).json()).toMatchObject({ incomeLine: 8000, year: 2027 });

      const numbers = await ctx.deps.db
        .selectFrom('households')
        .select(['id', 'number'])
        .where('id', 'in', [household, household2])
        .execute();
      const numberOf = (id: string) => numbers.find((n) => n.id === id)?.number as string;
      const header = ['户号', '年度', '家庭人口', '劳动力', '脱贫户', '工资性收入', '近12个月收入', '医疗支出'];
      const upload = (rows: (string | number)[][]) =>
        sessions.cadre.request({
          method: 'POST',
          url: `/api/poverty/economics/import?regionId=${tree.villageA.id}`,
          payload: toXlsx('sheet', [header, ...rows]),
          headers: { 'content-type': XLSX_CONTENT_TYPE },
        });
      const bad = await upload([
        [numberOf(household), 2026, 4, 2, '是', 20_000, 20_000, 0],
        ['NO-SUCH', 2026, 3, 5, '也许', 1000, 1000, 0],
      ]);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('import_failed');
      expect(bad.json().error.details.problems.map((p: { line: number }) => p.line)).toEqual([3, 3, 3]);
      expect(await ctx.deps.db.selectFrom('poverty_economics').select('id').execute()).toEqual([]);
      const good = await upload([
        [numberOf(household), 2026, 4, 2, '是', 20_000, 20_000, 0],
        [numberOf(household2), 2026, 3, 2, '否', 60_000, 60_000, 0],
      ]);
      expect(good.json()).toEqual({ imported: 2, flagged: 1 });
      expect(
        (
          await sessions.cadreB.request({
            method: 'POST',
            url: `/api/poverty/economics/import?regionId=${tree.villageA.id}`,
            payload: toXlsx('s', [header]),
            headers: { 'content-type': XLSX_CONTENT_TYPE },
          })
        ).statusCode,
      ).toBe(404);

      const county = (await sessions.county.get('/api/poverty/figures')).json();
      // Flagged by the imported figures this month: new this month while it is being identified.
      expect(county.region).toMatchObject({ identifying: 1, newThisMonth: 1, monitored: 0 });
      expect(county.children).toEqual([expect.objectContaining({ regionId: tree.townshipA.id, identifying: 1 })]);
      expect((await sessions.cadreB.get(`/api/poverty/figures?regionId=${tree.villageA.id}`)).statusCode).toBe(404);
      // Naming no place, a township official and a village cadre get their own (not the county's 404).
      expect((await sessions.township.get('/api/poverty/figures')).json().region).toMatchObject({
        regionId: tree.townshipA.id,
        identifying: 1,
      });
      const cadreOwn = await sessions.cadreB.get('/api/poverty/figures');
      expect(cadreOwn.statusCode).toBe(200);
      expect(cadreOwn.json().region.regionId).not.toBe(tree.county.id);
      const workbook = await sessions.township.get(`/api/poverty/figures.xlsx?regionId=${tree.townshipA.id}`);
      expect(workbook.headers['content-type']).toContain(XLSX_CONTENT_TYPE);
      const rows = readXlsx(workbook.rawPayload);
      expect(rows[0]?.[0]).toBe('地区 Place');
      expect(rows[1]?.[0]).toBe('黑水镇');
      expect((await audits('poverty.figures.export', tree.townshipA.id)).map((r) => r.actor_user_id)).toEqual([userIds.township]);
    },
    SLOW,
  );
  /** What the audit log holds of an action by one person, outcomes in order. */
  const outcomesOf = async (action: string, who: Who) =>
    (
      await ctx.deps.db
        .selectFrom('audit_log')
        .select(['outcome', 'id'])
        .where('action', '=', action)
        .where('actor_user_id', '=', userIds[who])
        .orderBy('id')
        .execute()
    ).map((r) => r.outcome);

  it(
    'audits the lists, the task list and the figures, and every refusal, the role refusals as well',
    async () => {
      const { id } = await flagged();
      expect((await sessions.cadre.get('/api/poverty/monitored')).statusCode).toBe(200);
      expect(await outcomesOf('poverty.monitored.list', 'cadre')).toEqual(['ok']);
      expect((await sessions.grid.get('/api/poverty/tasks')).statusCode).toBe(200);
      expect(await outcomesOf('poverty.tasks.read', 'grid')).toEqual(['ok']);
      expect((await sessions.county.get('/api/poverty/figures')).statusCode).toBe(200);
      expect(await outcomesOf('poverty.figures.read', 'county')).toEqual(['ok']);
      // A villager holds no poverty permission: turned away at the route, and the refusal is recorded.
      for (const [url, action] of [
        ['/api/poverty/monitored', 'poverty.monitored.list'],
        ['/api/poverty/tasks', 'poverty.tasks.read'],
        [`/api/poverty/monitored/${id}`, 'poverty.monitored.read'],
        [`/api/poverty/households/${household}/economics`, 'poverty.economics.read'],
        ['/api/poverty/figures', 'poverty.figures.read'],
      ] as const) {
        const response = await sessions.member.get(url);
        expect(response.statusCode, url).toBe(403);
        expect(await outcomesOf(action, 'member'), url).toEqual(['denied']);
      }
      const refused = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['target_id', 'target_type'])
        .where('action', '=', 'poverty.monitored.read')
        .where('actor_user_id', '=', userIds.member)
        .executeTakeFirstOrThrow();
      expect(refused).toEqual({ target_id: id, target_type: 'monitoredHousehold' });
      // A township office reads the file but does not record a grid worker's visit: refused, recorded.
      const visit = await sessions.township.post(`/api/poverty/monitored/${id}/visits`, { note: '走访' });
      expect(visit.statusCode).toBe(403);
      expect(await outcomesOf('poverty.visit', 'township')).toEqual(['denied']);
    },
    SLOW,
  );

  it(
    'counts by category what the list shows, the month’s new flags (a household’s own report too), and each township its own',
    async () => {
      await sessions.member.post('/api/poverty/self-reports', { reasons: ['disaster'] }, { 'idempotency-key': 'own-1' });
      const flagA = await sessions.grid.post('/api/poverty/monitored', { householdId: household2, reasons: ['incomeBelowLine'] });
      expect(flagA.statusCode).toBe(201);
      const away = (await buildHousehold(ctx.deps, { region: tree.groupB1, headName: '王五' })).id;
      const flagB = await sessions.county.post('/api/poverty/monitored', { householdId: away, reasons: ['accident'] });
      expect(flagB.statusCode).toBe(201);

      const county = (await sessions.county.get('/api/poverty/figures')).json();
      // Two households of 黑水镇 (one reported itself, one flagged by its figures), one of 花田乡: all being identified.
      expect(county.region).toMatchObject({ followed: 3, identifying: 3, monitored: 0, newThisMonth: 3 });
      const byTownship = Object.fromEntries(
        county.children.map((c: { regionId: string; followed: number; newThisMonth: number }) => [
          c.regionId,
          [c.followed, c.newThisMonth],
        ]),
      );
      expect(byTownship).toEqual({ [tree.townshipA.id]: [2, 2], [tree.townshipB.id]: [1, 1] });
      // The category columns and the desk's list of followed households agree, category by category.
      for (const category of ['hardship', 'marginal', 'unstable']) {
        const listed = (await sessions.county.get(`/api/poverty/monitored?followed=true&category=${category}`)).json().items;
        expect(listed.length, category).toBe(county.region.byCategory[category]);
      }
      expect(county.region.byCategory.hardship).toBe(2);
      const township = (await sessions.county.get(`/api/poverty/figures?regionId=${tree.townshipB.id}`)).json();
      expect(township.region).toMatchObject({ regionId: tree.townshipB.id, followed: 1, newThisMonth: 1 });
    },
    SLOW,
  );

  it(
    'records the home visit with its note and photos once however often the phone sends it, and says what comes next',
    async () => {
      const { id, version } = await flagged();
      // Without a note the visit is refused: what was found is the point of going.
      const bare = await step('grid', id, { step: 'homeVisit' });
      expect([bare.statusCode, bare.json().error.code]).toEqual([400, 'validation_failed']);
      const tooLong = await step('grid', id, { step: 'homeVisit', note: '字'.repeat(501) });
      expect(tooLong.statusCode).toBe(400);

      // The phone minted the photo's id; sent twice under one key, it is stored once.
      const photoId = '01900000-0000-7000-8000-00000000beef';
      const upload = () =>
        sessions.grid.request({
          method: 'POST',
          url: `/api/poverty/monitored/${id}/evidence?evidenceId=${photoId}`,
          payload: PDF,
          headers: { 'content-type': 'application/pdf', 'idempotency-key': 'photo-1' },
        });
      const first = await upload();
      expect([first.statusCode, first.json().id]).toEqual([201, photoId]);
      expect((await upload()).json().id).toBe(photoId);
      expect(await ctx.deps.db.selectFrom('poverty_evidence').select('id').execute()).toEqual([{ id: photoId }]);

      const body = { step: 'homeVisit', decision: 'approve', version, note: '房屋被洪水冲毁，暂住亲戚家', evidenceIds: [photoId] };
      const sent = await sessions.grid.post(`/api/poverty/monitored/${id}/steps`, body, { 'idempotency-key': 'visit-1' });
      expect(sent.statusCode).toBe(200);
      expect(sent.json()).toMatchObject({ nextStep: 'authorisation', version: version + 1 });
      // The answer was lost and the outbox sends again: the same answer, one step recorded.
      const again = await sessions.grid.post(`/api/poverty/monitored/${id}/steps`, body, { 'idempotency-key': 'visit-1' });
      expect([again.statusCode, again.json().nextStep]).toEqual([200, 'authorisation']);
      const changed = await sessions.grid.post(
        `/api/poverty/monitored/${id}/steps`,
        { ...body, note: '另一段' },
        { 'idempotency-key': 'visit-1' },
      );
      expect(changed.statusCode).toBe(422);
      const detail = (await sessions.grid.get(`/api/poverty/monitored/${id}`)).json();
      const visits = detail.steps.filter((s: { step: string }) => s.step === 'homeVisit');
      expect(visits).toEqual([expect.objectContaining({ note: '房屋被洪水冲毁，暂住亲戚家', evidenceIds: [photoId] })]);

      // A follow-up visit from the outbox is recorded once too.
      await walkFrom(id);
      const followUp = { note: '已领取临时救助', measuresDone: [] };
      const one = await sessions.grid.post(`/api/poverty/monitored/${id}/visits`, followUp, { 'idempotency-key': 'follow-1' });
      const two = await sessions.grid.post(`/api/poverty/monitored/${id}/visits`, followUp, { 'idempotency-key': 'follow-1' });
      expect([one.statusCode, two.statusCode, two.json().id]).toEqual([201, 201, one.json().id]);
      expect((await sessions.grid.get(`/api/poverty/monitored/${id}`)).json().visits).toHaveLength(1);
    },
    SLOW,
  );

  /** The rest of the identification after the home visit. */
  async function walkFrom(id: string) {
    for (const [who, body] of [
      ['grid', { step: 'authorisation', evidenceIds: [await authorised(id)] }],
      ['township', { step: 'dataComparison' }],
      ['cadre', { step: 'villageReview' }],
      ['cadre', { step: 'publicNotice' }],
    ] as const)
      expect((await step(who, id, body)).statusCode).toBe(200);
    await advance(6 * DAY);
    expect((await step('township', id, { step: 'townshipReview' })).statusCode).toBe(200);
    expect((await step('county', id, { step: 'countyApproval' })).statusCode).toBe(200);
  }

  it(
    'shows a villager their own household’s report and nobody else’s',
    async () => {
      expect((await sessions.member.get('/api/poverty/self-reports/mine')).json()).toEqual({ report: null });
      const sent = await sessions.member.post('/api/poverty/self-reports', { reasons: ['seriousIllness'] }, { 'idempotency-key': 'k' });
      const mine = await sessions.member.get('/api/poverty/self-reports/mine');
      // What she ticked comes back to her, so her page can show what she reported.
      expect(mine.json().report).toMatchObject({
        monitoredId: sent.json().monitoredId,
        status: 'identifying',
        nextStep: 'homeVisit',
        reasons: ['seriousIllness'],
      });
      expect((await sessions.neighbour.get('/api/poverty/self-reports/mine')).json()).toEqual({ report: null });
      expect(await outcomesOf('poverty.self_report.read', 'member')).toEqual(['ok', 'ok']);
    },
    SLOW,
  );
});
