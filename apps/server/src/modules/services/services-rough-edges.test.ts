// What a first real user of the services hit: short names that found nothing, a certificate
// numbered by a UUID, no way to record the hand-over (送达), and catalogue headings in one language.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { seedDemoServices } from './services.demo.ts';

type Item = { id: string; name: string; materials: { name: string; required: boolean }[] };

describe.each(dialects)('services rough edges on %s', (dialect) => {
  let tree: Tree;
  const phones = { admin: '', villager: '', agent: '', handler: '', otherHandler: '' };
  let member: string;
  let photo: Buffer;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);
  const names = async (session: Session, q: string) =>
    ((await session.get(`/api/services/items?limit=200&q=${encodeURIComponent(q)}`)).json().items as Item[]).map((i) => i.name);

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    await seedDemoServices(ctx.deps, new Map([['500242', tree.county]]));
    phones.admin = (await buildUser(ctx.deps, { role: 'systemAdmin', region: tree.county })).phone;
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const self = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉鲜荣' });
    member = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉小军' })).id;
    phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: self.id })).phone;
    phones.agent = (await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipA, name: '邮政代办员小向' })).phone;
    const departments = new Map((await ctx.deps.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
    for (const [who, department, name] of [
      ['handler', '县市场监管局', '市场监管局田科长'],
      ['otherHandler', '县民政局', '民政局冉干事'],
    ] as const) {
      const user = await buildUser(ctx.deps, { role: 'departmentHandler', region: tree.county, name });
      await ctx.deps.db
        .updateTable('role_assignments')
        .set({ department_id: departments.get(department) })
        .where('user_id', '=', user.id)
        .execute();
      phones[who] = user.phone;
    }
    photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
      .jpeg()
      .toBuffer();
  });

  describe('search by the words people use', () => {
    it('finds 最低生活保障 by 低保, 特困供养 by 五保, and narrows with more words', async () => {
      const villager = await as('villager');
      const dibao = await names(villager, '低保');
      expect(dibao).toContain('最低生活保障申请');
      expect(dibao.every((n) => n.startsWith('最低生活保障'))).toBe(true);
      expect(await names(villager, '五保')).toContain('特困人员救助供养申请');
      expect(await names(villager, '低保 停发')).toEqual(['最低生活保障停发']);
      const insurance = await names(villager, '城乡居民医疗保险');
      expect(insurance.length).toBeGreaterThan(0);
      expect(await names(villager, '医保')).toEqual(expect.arrayContaining(insurance));
      expect(await names(villager, '低保 营业执照')).toEqual([]);
    });

    it('finds an item by the built-in short names even when the county gave it no aliases', async () => {
      const admin = await as('admin');
      const department = (await ctx.deps.db.selectFrom('departments').select('id').where('name', '=', '县民政局').executeTakeFirstOrThrow())
        .id;
      const saved = await admin.post('/api/services/items', {
        code: '500242-ZZ-99',
        name: '农村最低生活保障金发放查询',
        departmentId: department,
        legalBasis: '',
        materials: [],
        fee: '不收费',
        statutoryDays: 1,
        promisedDays: 1,
        places: ['county'],
        tags: [],
        lifeEvents: [],
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().aliases).toEqual([]);
      expect(await names(admin, '低保')).toContain('农村最低生活保障金发放查询');
    });

    it('keeps an item’s own aliases, searchable by words and pinyin initials, through export and import', async () => {
      const admin = await as('admin');
      const department = (await ctx.deps.db.selectFrom('departments').select('id').where('name', '=', '县民政局').executeTakeFirstOrThrow())
        .id;
      const item = {
        code: '500242-ZZ-98',
        name: '困难群众冬春生活救助',
        departmentId: department,
        legalBasis: '',
        materials: [],
        fee: '不收费',
        statutoryDays: 5,
        promisedDays: 3,
        places: ['county'],
        tags: [],
        lifeEvents: [],
        aliases: ['过冬救助', ' 冬春救助 ', '过冬救助'],
      };
      expect((await admin.post('/api/services/items', item)).json().aliases).toEqual(['过冬救助', '冬春救助']);
      expect(await names(admin, '过冬救助')).toEqual(['困难群众冬春生活救助']);
      expect(await names(admin, 'gdjz')).toEqual(['困难群众冬春生活救助']);
      const csv = (await admin.get('/api/services/catalogue.csv')).body;
      expect(csv).toContain('过冬救助|冬春救助');
      const reimported = await admin.request({
        method: 'POST',
        url: '/api/services/catalogue',
        headers: { 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(reimported.json().inserted).toBe(0);
      expect(await names(admin, '冬春救助')).toEqual(['困难群众冬春生活救助']);
    });
  });

  it('heads the catalogue export in the reader’s language, and imports either', async () => {
    const admin = await as('admin');
    const inChinese = await admin.get('/api/services/catalogue.csv');
    expect(inChinese.body.split('\r\n')[0]).toBe(
      '\ufeff事项编码,事项名称,承办部门,设定依据,申请材料,收费,法定办结时限（工作日）,承诺办结时限（工作日）,办理地点,标签,人生事件,在用,简称和别名',
    );
    const english = await admin.request({
      method: 'GET',
      url: '/api/services/catalogue.csv',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    const header = english.body.split('\r\n')[0] ?? '';
    expect(header).toBe(
      '\ufeffCode,Name,Department,Legal basis,Materials,Fee,Statutory days,Promised days,Places,Tags,Life events,Active,Short names',
    );
    expect(header).not.toMatch(/[\u4e00-\u9fff]/);
    const upload = (payload: string) =>
      admin.request({ method: 'POST', url: '/api/services/catalogue', headers: { 'content-type': 'text/csv' }, payload });
    expect((await upload(english.body)).json()).toMatchObject({ inserted: 0 });
    // An export of before the aliases column (codes as headings, twelve columns) still comes in.
    const old =
      'code,name,department,legalBasis,materials,fee,statutoryDays,promisedDays,places,tags,lifeEvents,active\r\n500242-OLD-01,旧表事项,县民政局,依据,身份证*,不收费,5,3,county,,,1';
    expect((await upload(old)).json()).toEqual({ inserted: 1, updated: 0 });
  });

  describe('certificates and delivery', () => {
    const act = (session: Session, id: string, body: Record<string, unknown>, key?: string) =>
      session.post(`/api/services/applications/${id}/transitions`, body, key ? { 'idempotency-key': key } : undefined);
    /** An application for 冉小军 of an item of the market regulator's, accepted with its materials. */
    const accepted = async (body: Record<string, unknown> = {}) => {
      const villager = await as('villager');
      const item = (
        (await villager.get(`/api/services/items?q=${encodeURIComponent('个体工商户设立登记')}`)).json().items as Item[]
      )[0] as Item;
      const made = await villager.post('/api/services/applications', {
        itemId: item.id,
        applicantPersonId: member,
        delivery: 'collect',
        ...body,
      });
      expect(made.statusCode).toBe(201);
      const id = made.json().id as string;
      for (const material of item.materials.filter((m) => m.required)) {
        const uploaded = await villager.request({
          method: 'POST',
          url: `/api/services/applications/${id}/materials?material=${encodeURIComponent(material.name)}`,
          headers: { 'content-type': 'image/jpeg' },
          payload: photo,
        });
        expect(uploaded.statusCode).toBe(201);
      }
      expect((await act(await as('handler'), id, { action: 'accept' })).json().state).toBe('accepted');
      return id;
    };

    it('numbers certificates by county, year and sequence when approved, each number once', async () => {
      const handler = await as('handler');
      const first = await accepted();
      const second = await accepted();
      const third = await accepted();
      const approved = (await act(handler, first, { action: 'approve' })).json();
      const numbers = await Promise.all(
        [second, third].map(async (id) => (await act(handler, id, { action: 'approve' })).json().certificateNumber),
      );
      const firstNumber = (await handler.get(`/api/services/applications/${first}`)).json().application.certificateNumber as string;
      expect(approved.certificateNumber).toBe(firstNumber);
      const year = new Date(ctx.clock.now + 8 * 3_600_000).getUTCFullYear();
      const all = [firstNumber, ...numbers] as string[];
      for (const number of all) expect(number).toMatch(new RegExp(`^500242-${year}-\\d{6}$`));
      expect(new Set(all).size).toBe(3);
      expect(all.map((n) => Number(n.slice(-6))).sort()).toEqual([1, 2, 3]);
      // Not approved yet: no number.
      expect((await handler.get(`/api/services/applications/${await accepted()}`)).json().application.certificateNumber).toBeNull();
      // The certificate carries its number, not the application's id.
      const pdf = (await handler.get(`/api/services/applications/${first}/certificate.pdf`)).rawPayload.toString('latin1');
      const hex = [...firstNumber].map((c) => (c.codePointAt(0) as number).toString(16).padStart(4, '0')).join('');
      expect(pdf).toContain(hex);
    });

    it('records who delivered and when, once however often it is asked, and the applicant sees it', async () => {
      const handler = await as('handler');
      const id = await accepted({ delivery: 'mail', address: '平地坝村一组12号' });
      expect((await act(handler, id, { action: 'deliver', trackingNumber: 'EMS1' })).statusCode).toBe(409);
      expect((await act(handler, id, { action: 'approve' })).json().state).toBe('approved');
      const at = ctx.clock.now;
      expect((await act(await as('otherHandler'), id, { action: 'deliver', trackingNumber: 'EMS1' })).statusCode).toBe(404);
      expect((await act(await as('villager'), id, { action: 'deliver', trackingNumber: 'EMS1' })).statusCode).toBe(403);
      const delivered = await act(handler, id, { action: 'deliver', trackingNumber: 'EMS1234567890' }, 'deliver-1');
      expect(delivered.json()).toMatchObject({
        state: 'delivered',
        deliveredBy: '市场监管局田科长',
        trackingNumber: 'EMS1234567890',
      });
      // The same tap again (same key), or again without one: the same delivery, nothing written twice.
      expect((await act(handler, id, { action: 'deliver', trackingNumber: 'EMS1234567890' }, 'deliver-1')).json()).toEqual(
        delivered.json(),
      );
      ctx.clock.advance(60_000);
      const again = await act(handler, id, { action: 'deliver', trackingNumber: 'EMS1234567890' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ state: 'delivered', deliveredBy: '市场监管局田科长' });
      expect(Date.parse(delivered.json().deliveredAt)).toBe(at);
      expect(Date.parse(again.json().deliveredAt)).toBe(at);
      const mine = (await (await as('villager')).get(`/api/services/applications/${id}`)).json();
      expect(mine.application).toMatchObject({ state: 'delivered', deliveredBy: '市场监管局田科长' });
      expect(mine.history.filter((h: { action: string }) => h.action === 'deliver')).toHaveLength(1);
      const audited = await ctx.deps.db
        .selectFrom('audit_log')
        .select('outcome')
        .where('action', '=', 'services.application.deliver')
        .where('target_id', '=', id)
        .execute();
      // One delivery recorded; the early one and the villager's refused (the other department sees nothing).
      expect(audited.map((a) => a.outcome).sort()).toEqual(['denied', 'denied', 'ok']);
    });

    it('lets the hall agent who applied record the hand-over at the postal outlet', async () => {
      const agent = await as('agent');
      const handler = await as('handler');
      const item = (
        (await agent.get(`/api/services/items?q=${encodeURIComponent('个体工商户设立登记')}`)).json().items as Item[]
      )[0] as Item;
      const made = await agent.post('/api/services/applications', {
        itemId: item.id,
        applicantPersonId: member,
        delivery: 'collect',
        consent: true,
      });
      const id = made.json().id as string;
      for (const material of item.materials.filter((m) => m.required))
        await agent.request({
          method: 'POST',
          url: `/api/services/applications/${id}/materials?material=${encodeURIComponent(material.name)}`,
          headers: { 'content-type': 'image/jpeg' },
          payload: photo,
        });
      await act(handler, id, { action: 'accept' });
      await act(handler, id, { action: 'approve' });
      const handed = (await act(agent, id, { action: 'deliver' })).json();
      expect(handed).toMatchObject({ state: 'delivered', deliveredBy: '邮政代办员小向', trackingNumber: null });
    });
  });
});
