// The services module as the county, a villager, a service-hall agent and a department use it.
// Every test runs on its own copy of the seeded county (useTestApp) and makes the applications it needs.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { flagOverdueApplications } from './applications.service.ts';
import { seedDemoServices } from './services.demo.ts';

const DAY = 24 * 3_600_000;

describe.each(dialects)('government services on %s', (dialect) => {
  let tree: Tree;
  const phones = { admin: '', villager: '', agent: '', agentB: '', handler: '', otherHandler: '', cadre: '' };
  let member: string;
  let stranger: string;
  let farAway: string;
  let photo: Buffer;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);
  const itemNamed = async (session: Session, q: string) =>
    (
      (await session.get(`/api/services/items?q=${encodeURIComponent(q)}`)).json().items as {
        id: string;
        name: string;
        materials: { name: string; required: boolean }[];
      }[]
    )[0] as {
      id: string;
      name: string;
      materials: { name: string; required: boolean }[];
    };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    expect(await seedDemoServices(ctx.deps, new Map([['500242', tree.county]]))).toBeGreaterThanOrEqual(200);
    phones.admin = (await buildUser(ctx.deps, { role: 'systemAdmin', region: tree.county })).phone;
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const self = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉鲜荣' });
    member = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉小军', phone: '13911112222' })).id;
    phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: self.id })).phone;
    const other = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    stranger = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: other.id, name: '何易光' })).id;
    const far = await buildHousehold(ctx.deps, { region: tree.groupB1 });
    farAway = (await buildPerson(ctx.deps, { region: tree.groupB1, householdId: far.id, name: '石敦国' })).id;
    phones.agent = (await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipA })).phone;
    phones.agentB = (await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipB })).phone;
    phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    const departments = new Map((await ctx.deps.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
    for (const [who, department] of [
      ['handler', '县市场监管局'],
      ['otherHandler', '县民政局'],
    ] as const) {
      const user = await buildUser(ctx.deps, { role: 'departmentHandler', region: tree.county });
      await ctx.deps.db
        .updateTable('role_assignments')
        .set({ department_id: departments.get(department) })
        .where('user_id', '=', user.id)
        .execute();
      phones[who] = user.phone;
    }
    photo = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#2a6' } })
      .jpeg()
      .toBuffer();
  });

  describe('the catalogue', () => {
    it('finds items by words and by pinyin initials, and browses by tag and life event', async () => {
      const villager = await as('villager');
      const byInitials = (await villager.get('/api/services/items?q=yyzz')).json().items.map((i: { name: string }) => i.name);
      expect(byInitials).toContain('营业执照核发');
      expect(byInitials.every((name: string) => name.includes('营业执照'))).toBe(true);
      const byWords = (await villager.get(`/api/services/items?q=${encodeURIComponent('营业执照 变更')}`)).json().items;
      expect(byWords.map((i: { name: string }) => i.name)).toEqual(['营业执照变更']);
      expect((await villager.get('/api/services/items?q=yingyezhizhao')).json().items.length).toBeGreaterThan(0);
      const child = (await villager.get('/api/services/items?lifeEvent=havingChild&limit=200'))
        .json()
        .items.map((i: { name: string }) => i.name);
      expect(child).toContain('出生医学证明首次签发');
      expect(child).not.toContain('营业执照核发');
      const online = (await villager.get('/api/services/items?tag=fullyOnline&limit=200')).json().items as { places: string[] }[];
      expect(online.every((i) => i.places.includes('online'))).toBe(true);
      const stats = (await villager.get('/api/services/catalogue/statistics')).json();
      expect(stats.total).toBeGreaterThanOrEqual(200);
      expect(stats.byTag.fullyOnline).toBe(online.length);
      expect(stats.fullyOnlineShare).toBeCloseTo(online.length / stats.total, 5);
    });

    it('exports CSV and XLSX, imports its own export unchanged, and refuses a bad file whole with the lines named', async () => {
      const admin = await as('admin');
      const csv = await admin.get('/api/services/catalogue.csv');
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const xlsx = await admin.get('/api/services/catalogue.xlsx');
      expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
      const upload = (body: string, session = admin) =>
        session.request({ method: 'POST', url: '/api/services/catalogue', headers: { 'content-type': 'text/csv' }, payload: body });
      const again = await upload(csv.body);
      expect(again.json()).toEqual({ inserted: 0, updated: expect.any(Number) });
      expect(again.json().updated).toBeGreaterThanOrEqual(200);
      const lines = csv.body.split('\r\n');
      const broken = [
        lines[0],
        (lines[1] ?? '')
          .split(',')
          .map((cell, i) => (i === 2 ? '不存在的局' : cell))
          .join(','),
        '500242-NEW-01,新事项,县民政局,依据,身份证*,不收费,5,9,county,,,1',
        '500242-NEW-02,另一个新事项,县民政局,依据,身份证*,不收费,10,5,county,teleport,,1',
      ].join('\r\n');
      const refused = await upload(broken);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('import_failed');
      expect(refused.json().error.details.problems.map((p: { line: number; field: string }) => `${p.line}:${p.field}`)).toEqual([
        '2:department',
        '3:promisedDays',
        '4:tags',
      ]);
      expect((await admin.get('/api/services/items?q=xsx')).json().items.map((i: { name: string }) => i.name)).not.toContain('新事项');
      const added = await upload(
        [lines[0], '500242-NEW-01,新事项,县民政局,依据,身份证*|照片,不收费,9,5,county|online,fullyOnline,oldAge,1'].join('\r\n'),
      );
      expect(added.json()).toEqual({ inserted: 1, updated: 0 });
      const item = await itemNamed(admin, 'xsx');
      expect(item).toMatchObject({
        name: '新事项',
        materials: [
          { name: '身份证', required: true },
          { name: '照片', required: false },
        ],
      });
      expect((await upload(csv.body, await as('villager'))).statusCode).toBe(403);
      // The Excel export comes back in too, unchanged; a file that only claims to be a workbook does not.
      const excel = (body: Buffer) =>
        admin.request({
          method: 'POST',
          url: '/api/services/catalogue',
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
          payload: body,
        });
      const fromExcel = await excel((await admin.get('/api/services/catalogue.xlsx')).rawPayload);
      expect(fromExcel.json()).toEqual({ inserted: 0, updated: again.json().updated + 1 });
      expect((await excel(Buffer.from('not a workbook'))).statusCode).toBe(400);
      expect((await itemNamed(admin, 'xsx')).materials).toEqual([
        expect.objectContaining({ name: '身份证', required: true, note: '' }),
        expect.objectContaining({ name: '照片', required: false, note: '' }),
      ]);
    });
  });

  it('puts up a filled-in sample of a material for everyone to see, kept through a re-import', async () => {
    const admin = await as('admin');
    const item = await itemNamed(admin, '个体工商户设立登记');
    const sampleOf = (found: { materials: { name: string; sample?: string | null }[] }) =>
      found.materials.find((m) => m.name === '登记申请书')?.sample;
    expect(sampleOf(item)).toMatch(/\.pdf$/);
    const put = (session: Session, material: string, body: Buffer, type = 'image/jpeg') =>
      session.request({
        method: 'POST',
        url: `/api/services/items/${item.id}/samples?material=${encodeURIComponent(material)}`,
        headers: { 'content-type': type },
        payload: body,
      });
    expect((await put(admin, '不存在的材料', photo)).statusCode).toBe(400);
    expect((await put(await as('villager'), '登记申请书', photo)).statusCode).toBe(403);
    expect((await put(admin, '登记申请书', Buffer.from('<svg/>'))).statusCode).toBe(415);
    const updated = (await put(admin, '登记申请书', photo)).json();
    expect(sampleOf(updated)).toMatch(/\.jpg$/);
    const shown = await (await as('villager')).get(`/api/services/items/${item.id}/samples/${sampleOf(updated)}`);
    expect(shown.headers['content-type']).toBe('image/jpeg');
    const csv = (await admin.get('/api/services/catalogue.csv')).body;
    await admin.request({ method: 'POST', url: '/api/services/catalogue', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(sampleOf(await itemNamed(admin, '个体工商户设立登记'))).toBe(sampleOf(updated));
  });

  describe('applications', () => {
    type Item = Awaited<ReturnType<typeof itemNamed>>;
    const applyFor = async (session: Session, itemName: string, body: Record<string, unknown> = {}) => {
      const item = await itemNamed(session, itemName);
      const made = await session.post('/api/services/applications', {
        itemId: item.id,
        applicantPersonId: member,
        delivery: 'collect',
        ...body,
      });
      expect(made.statusCode).toBe(201);
      return { id: made.json().id as string, item };
    };
    const uploadTo = (session: Session, id: string, material: string, body: Buffer = photo, type = 'image/jpeg') =>
      session.request({
        method: 'POST',
        url: `/api/services/applications/${id}/materials?material=${encodeURIComponent(material)}`,
        headers: { 'content-type': type },
        payload: body,
      });
    const uploadRequired = async (session: Session, id: string, item: Item) => {
      for (const material of item.materials.filter((m) => m.required))
        expect((await uploadTo(session, id, material.name)).statusCode).toBe(201);
    };
    const act = (session: Session, id: string, body: Record<string, unknown>) =>
      session.post(`/api/services/applications/${id}/transitions`, body);
    /** The texts sent about one application: the applicant (no account of their own) is told by phone. */
    const textsAbout = (id: string) =>
      ctx.deps.db
        .selectFrom('notifications')
        .select('message_zh')
        .where('phone', '=', '13911112222')
        .where('subject_id', '=', id)
        .orderBy('id')
        .execute();

    it('lets a villager apply online for a member of their household, and refuses forged applicants and hall-only items', async () => {
      const villager = await as('villager');
      const item = await itemNamed(villager, '个体工商户设立登记');
      const made = await villager.post(
        '/api/services/applications',
        { itemId: item.id, applicantPersonId: member, delivery: 'mail', address: '平地坝村一组12号' },
        { 'idempotency-key': 'apply-1' },
      );
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ state: 'submitted', channel: 'online', applicantName: '冉小军' });
      const applicationId = made.json().id;
      const retried = await villager.post(
        '/api/services/applications',
        { itemId: item.id, applicantPersonId: member, delivery: 'mail', address: '平地坝村一组12号' },
        { 'idempotency-key': 'apply-1' },
      );
      expect(retried.json().id).toBe(applicationId);
      const forged = await villager.post('/api/services/applications', {
        itemId: item.id,
        applicantPersonId: stranger,
        delivery: 'collect',
      });
      expect(forged.statusCode).toBe(404);
      const hallOnly = await itemNamed(villager, '最低生活保障申请');
      expect(
        (await villager.post('/api/services/applications', { itemId: hallOnly.id, applicantPersonId: member, delivery: 'collect' })).json()
          .error.code,
      ).toBe('not_offered_online');
      expect(
        (await villager.post('/api/services/applications', { itemId: item.id, applicantPersonId: member, delivery: 'mail' })).statusCode,
      ).toBe(400);
      const deniedAudit = await ctx.deps.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'services.application.create')
        .where('outcome', '=', 'denied')
        .execute();
      expect(deniedAudit.filter((a) => String(a.details).includes(stranger))).toHaveLength(1);
      // A text to the applicant (no account of their own) says it was received.
      expect((await textsAbout(applicationId)).map((n) => n.message_zh)).toEqual([expect.stringContaining('已提交')]);
    });

    it('lets an agent apply at the hall with consent for villagers of their township only', async () => {
      const agent = await as('agent');
      const item = await itemNamed(agent, '最低生活保障申请');
      expect(
        (await agent.post('/api/services/applications', { itemId: item.id, applicantPersonId: stranger, delivery: 'collect' })).json().error
          .code,
      ).toBe('applicant_consent_required');
      const proxy = await agent.post('/api/services/applications', {
        itemId: item.id,
        applicantPersonId: stranger,
        delivery: 'collect',
        consent: true,
      });
      expect(proxy.json()).toMatchObject({ channel: 'proxy', state: 'submitted' });
      // The agent's own list names the villagers they applied for: traced, with how many (attacker).
      expect((await agent.get('/api/services/applications?view=mine')).json().items).toHaveLength(1);
      const listed = await ctx.deps.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'services.application.list')
        .execute();
      expect(listed.map((row) => JSON.parse(row.details ?? '{}'))).toEqual([{ count: 1, view: 'mine' }]);
      expect(
        (
          await agent.post('/api/services/applications', {
            itemId: item.id,
            applicantPersonId: farAway,
            delivery: 'collect',
            consent: true,
          })
        ).statusCode,
      ).toBe(404);
      expect((await (await as('agentB')).get(`/api/services/applications/${proxy.json().id}`)).statusCode).toBe(404);
      expect((await (await as('cadre')).get(`/api/services/applications/${proxy.json().id}`)).statusCode).toBe(200);
    });

    it('checks uploads by their content, and takes only the materials the item asks for', async () => {
      const villager = await as('villager');
      const { id } = await applyFor(villager, '个体工商户设立登记');
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      expect((await uploadTo(villager, id, '身份证', svg)).statusCode).toBe(415);
      expect((await uploadTo(villager, id, '户口本')).statusCode).toBe(400);
      expect((await uploadTo(villager, id, '身份证')).statusCode).toBe(201);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
      expect((await uploadTo(villager, id, '登记申请书', pdf, 'application/pdf')).json()).toMatchObject({ contentType: 'application/pdf' });
      const refusedUploads = await ctx.deps.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'services.material.upload')
        .where('outcome', '=', 'denied')
        .where('target_id', '=', id)
        .execute();
      expect(refusedUploads).toHaveLength(1);
      const stored = await ctx.deps.db
        .selectFrom('service_application_files')
        .select('material')
        .where('application_id', '=', id)
        .execute();
      expect(stored.map((f) => f.material).sort()).toEqual(['登记申请书', '身份证']);
    });

    it('accepts only with every required material, asks once for everything missing, and decides and delivers', async () => {
      const handler = await as('handler');
      const villager = await as('villager');
      const { id: applicationId } = await applyFor(villager, '个体工商户设立登记', { delivery: 'mail', address: '平地坝村一组12号' });
      expect((await uploadTo(villager, applicationId, '身份证')).statusCode).toBe(201);
      expect((await uploadTo(villager, applicationId, '登记申请书')).statusCode).toBe(201);
      const queue = (await handler.get('/api/services/applications?view=queue')).json().items.map((a: { id: string }) => a.id);
      expect(queue).toContain(applicationId);
      // The department's list and the application it opens (name, home address) are traced; the applicant's own reads are not.
      expect((await handler.get(`/api/services/applications/${applicationId}`)).statusCode).toBe(200);
      expect((await villager.get(`/api/services/applications/${applicationId}`)).statusCode).toBe(200);
      expect((await villager.get('/api/services/applications?view=mine')).statusCode).toBe(200);
      const traces = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('action', 'in', ['services.application.list', 'services.application.read'])
        .orderBy('id')
        .execute();
      expect(traces).toEqual([
        { action: 'services.application.list', target_id: null },
        { action: 'services.application.read', target_id: applicationId },
      ]);
      expect((await act(await as('otherHandler'), applicationId, { action: 'accept' })).statusCode).toBe(404);
      expect((await act(villager, applicationId, { action: 'approve' })).statusCode).toBe(403);
      expect((await act(handler, applicationId, { action: 'approve' })).statusCode).toBe(409);
      const incomplete = await act(handler, applicationId, { action: 'accept' });
      expect(incomplete.json().error.code).toBe('materials_missing');
      expect(incomplete.json().error.details.missing).toEqual(['经营场所使用证明']);
      const asked = await act(handler, applicationId, { action: 'askMaterials', missing: ['租赁合同'], note: '请补充' });
      expect(asked.json()).toMatchObject({ state: 'moreMaterials', missing: ['经营场所使用证明', '租赁合同'] });
      expect((await act(handler, applicationId, { action: 'askMaterials', missing: ['别的'] })).statusCode).toBe(409);
      expect((await uploadTo(villager, applicationId, '经营场所使用证明')).statusCode).toBe(201);
      expect((await act(villager, applicationId, { action: 'resubmit' })).json().error.details.missing).toEqual(['租赁合同']);
      expect((await uploadTo(villager, applicationId, '租赁合同')).statusCode).toBe(201);
      expect((await act(villager, applicationId, { action: 'resubmit' })).json().state).toBe('submitted');
      const accepted = (await act(handler, applicationId, { action: 'accept' })).json();
      expect(accepted.state).toBe('accepted');
      expect(Date.parse(accepted.dueAt)).toBeGreaterThan(Date.parse(accepted.acceptedAt));
      expect((await act(handler, applicationId, { action: 'approve' })).json().state).toBe('approved');
      const pdf = await villager.get(`/api/services/applications/${applicationId}/certificate.pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The applicant's name is in the document, as UCS-2 in the font's encoding.
      const hex = [...'冉小军'].map((c) => (c.codePointAt(0) as number).toString(16).padStart(4, '0')).join('');
      expect(pdf.rawPayload.toString('latin1')).toContain(hex);
      expect((await act(villager, applicationId, { action: 'deliver', trackingNumber: 'X1' })).statusCode).toBe(403);
      expect((await act(handler, applicationId, { action: 'deliver' })).statusCode).toBe(400);
      const delivered = (await act(handler, applicationId, { action: 'deliver', trackingNumber: 'EMS1234567890' })).json();
      expect(delivered).toMatchObject({ state: 'delivered', trackingNumber: 'EMS1234567890' });
      const detail = (await villager.get(`/api/services/applications/${applicationId}`)).json();
      expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
        'submit',
        'askMaterials',
        'resubmit',
        'accept',
        'approve',
        'deliver',
      ]);
      expect(detail.materials).toHaveLength(4);
      const texts = await textsAbout(applicationId);
      expect(texts).toHaveLength(6);
      expect(texts.at(-1)?.message_zh).toContain('EMS1234567890');
    });

    it('flags an accepted application past its promised time once, and counts it in the statistics', async () => {
      const from = ctx.clock.now;
      const villager = await as('villager');
      const handler = await as('handler');
      const decided = await applyFor(villager, '个体工商户设立登记');
      await uploadRequired(villager, decided.id, decided.item);
      expect((await act(handler, decided.id, { action: 'accept' })).json().state).toBe('accepted');
      expect((await act(handler, decided.id, { action: 'approve' })).json().state).toBe('approved');
      const late = await applyFor(villager, '营业执照核发');
      await uploadRequired(villager, late.id, late.item);
      expect((await act(handler, late.id, { action: 'accept' })).json().state).toBe('accepted');
      ctx.clock.advance(10 * DAY);
      expect(await flagOverdueApplications(ctx.deps)).toBe(1);
      expect(await flagOverdueApplications(ctx.deps)).toBe(0);
      const queued = (await (await as('handler')).get('/api/services/applications?view=queue')).json().items;
      expect(queued.find((a: { id: string }) => a.id === late.id)).toMatchObject({ overdue: true });
      const stats = (
        await (
          await as('handler')
        ).get(`/api/services/statistics?from=${new Date(from).toISOString()}&to=${new Date(ctx.clock.now + DAY).toISOString()}`)
      ).json();
      expect(stats.total).toMatchObject({ applications: 2, decided: 1, onTime: 1, onTimeRate: 1, onlineShare: 1 });
      expect(stats.byItem.map((i: { name: string }) => i.name).sort()).toEqual(['个体工商户设立登记', '营业执照核发']);
    });
  });
});
