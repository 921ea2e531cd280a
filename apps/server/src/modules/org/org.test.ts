import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects, login, loginChangingPassword, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree, validIdNumber } from '../../../test/factories.ts';
import { ageOn } from './org.presenters.ts';
import { ID_NUMBER_CONFLICTS_PER_HOUR, ID_NUMBER_SEARCHES_PER_HOUR } from './people.service.ts';

describe.each(dialects)('places and people on %s', (dialect) => {
  let tree: Tree;
  let countyAdmin: Session;
  let securityAdmin: Session;
  let cadreA: Session;
  let cadreB: Session;
  let households: { a1: string; a2: string; b1: string };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const as = async (role: Parameters<typeof buildUser>[1]['role'], region = tree.villageA, extra = {}) =>
      login(ctx.app, (await buildUser(ctx.deps, { role, region, ...extra })).phone, PASSWORD);
    countyAdmin = await as('countyAdmin', tree.county);
    securityAdmin = await as('securityAdmin', tree.county);
    cadreA = await as('villageCadre', tree.villageA);
    cadreB = await as('villageCadre', tree.villageB);
    households = {
      a1: (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉鲜荣' })).id,
      a2: (await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '胡明' })).id,
      b1: (await buildHousehold(ctx.deps, { region: tree.groupB1, headName: '何易光' })).id,
    };
  });

  describe('region tree', () => {
    it('walks county > township > village > villager group with codes', async () => {
      const roots = (await cadreA.get('/api/org/regions')).json().items;
      expect(roots).toEqual([expect.objectContaining({ code: '500242', level: 'county', childCount: 2 })]);
      const townships = (await cadreA.get(`/api/org/regions?parentId=${roots[0].id}`)).json().items;
      expect(townships.map((t: { code: string }) => t.code)).toEqual(['500242105', '500242208']);
      const groups = (await cadreA.get(`/api/org/regions?parentId=${tree.villageA.id}`)).json().items;
      expect(groups.map((g: { level: string }) => g.level)).toEqual(['villagerGroup', 'villagerGroup']);
    });

    it('needs a login', async () => {
      expect((await ctx.app.inject({ url: '/api/org/regions' })).statusCode).toBe(401);
    });

    it('shows a village its grids with their groups', async () => {
      const grids = (await cadreA.get(`/api/org/grids?villageId=${tree.villageA.id}`)).json().items;
      expect(grids).toEqual([expect.objectContaining({ name: '平地坝村第1网格', regionIds: [tree.groupA1.id] })]);
      expect((await cadreB.get(`/api/org/grids?villageId=${tree.villageA.id}`)).statusCode).toBe(404);
    });
  });

  describe('who sees which household', () => {
    it('a village cadre lists only their village', async () => {
      const page = (await cadreA.get('/api/org/households?limit=50')).json();
      const ids = page.items.map((h: { id: string }) => h.id);
      expect(ids).toContain(households.a1);
      expect(ids).toContain(households.a2);
      expect(ids).not.toContain(households.b1);
    });

    it('a cadre of village A gets 404 for a household of village B, with none of its data', async () => {
      const response = await cadreA.get(`/api/org/households/${households.b1}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('何易光');
      const members = await cadreA.get(`/api/org/people?householdId=${households.b1}`);
      expect(members.json().items).toEqual([]);
    });

    it('a cadre cannot write into another village, nor move a household there', async () => {
      const create = await cadreA.post('/api/org/households', { headName: '外村人', regionId: tree.groupB1.id });
      expect(create.statusCode).toBe(404);
      const move = await cadreA.patch(`/api/org/households/${households.a2}`, { regionId: tree.groupB1.id });
      expect(move.statusCode).toBe(404);
      expect((await cadreB.patch(`/api/org/households/${households.a2}`, { headName: 'x' })).statusCode).toBe(404);
    });

    it('a grid worker sees only the villager groups of their grid', async () => {
      const worker = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone,
        PASSWORD,
      );
      const ids = (await worker.get('/api/org/households?limit=50')).json().items.map((h: { id: string }) => h.id);
      expect(ids).toContain(households.a1);
      expect(ids).not.toContain(households.a2);
      expect((await worker.get(`/api/org/households/${households.a2}`)).statusCode).toBe(404);
      expect((await worker.post('/api/org/households', { headName: '新户', regionId: tree.groupA1.id })).statusCode).toBe(403);
    });

    it('a villager opens their own household and no other', async () => {
      const self = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1, name: '冉鲜荣' });
      const villager = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: self.id })).phone,
        PASSWORD,
      );
      expect((await villager.get(`/api/org/households/${households.a1}`)).statusCode).toBe(200);
      expect((await villager.get(`/api/org/households/${households.a2}`)).statusCode).toBe(404);
      const listed = (await villager.get('/api/org/households')).json().items.map((h: { id: string }) => h.id);
      expect(listed).toEqual([households.a1]);
      expect((await villager.patch(`/api/org/households/${households.a1}`, { headName: '改名' })).statusCode).toBe(403);
    });

    it('a township official sees all villages of the township and none of another', async () => {
      const official = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone,
        PASSWORD,
      );
      const ids = (await official.get('/api/org/households?limit=50')).json().items.map((h: { id: string }) => h.id);
      expect(ids).toEqual(expect.arrayContaining([households.a1, households.a2]));
      expect(ids).not.toContain(households.b1);
    });

    it('a user without roles sees nothing at all', async () => {
      const nobody = await login(ctx.app, (await buildUser(ctx.deps, { region: tree.villageA })).phone, PASSWORD);
      expect((await nobody.get('/api/org/households')).json().items).toEqual([]);
      expect((await nobody.get(`/api/org/households/${households.a1}`)).statusCode).toBe(404);
    });
  });

  describe('households', () => {
    it('creates, changes and removes a household, and numbers it from the region code', async () => {
      const created = await cadreA.post('/api/org/households', { headName: '陈长书', regionId: tree.groupA2.id, phone: '023-75551234' });
      expect(created.statusCode).toBe(201);
      const household = created.json();
      expect(household).toMatchObject({ headName: '陈长书', regionName: '平地坝村二组', memberCount: 0 });
      expect(household.number).toMatch(/^500242105201002-\d{4}$/);
      expect(household.createdAt).toMatch(/\+08:00$/);

      const changed = await cadreA.patch(`/api/org/households/${household.id}`, { address: '平地坝村二组8号' });
      expect(changed.json()).toMatchObject({ address: '平地坝村二组8号', headName: '陈长书' });

      expect((await cadreA.delete(`/api/org/households/${household.id}`)).statusCode).toBe(204);
      expect((await cadreA.get(`/api/org/households/${household.id}`)).statusCode).toBe(404);
    });

    it('lists each reader their own page, and a page asked again shows every change made since', async () => {
      const page = async (session: Session) => (await session.get(`/api/org/households?regionId=${tree.groupA2.id}&limit=50`)).json();
      const firstA = await page(cadreA);
      expect(await page(cadreA)).toEqual(firstA);
      // The same query from another village's cadre is answered for their scope, not from A's page.
      expect((await page(cadreB)).items).toEqual([]);

      const created = (await cadreA.post('/api/org/households', { headName: '田家新户', regionId: tree.groupA2.id })).json();
      const withNew = await page(cadreA);
      expect(withNew.items.map((h: { id: string }) => h.id)).toContain(created.id);
      expect(withNew.items.find((h: { id: string }) => h.id === created.id).memberCount).toBe(0);

      await cadreA.post('/api/org/people', { householdId: created.id, name: '田小妹', gender: 'female', relation: 'head' });
      expect((await page(cadreA)).items.find((h: { id: string }) => h.id === created.id).memberCount).toBe(1);

      await cadreA.patch(`/api/org/households/${created.id}`, { headName: '田家' });
      expect((await page(cadreA)).items.find((h: { id: string }) => h.id === created.id).headName).toBe('田家');
    });

    it('refuses a household at a township, a duplicate number, and unknown fields', async () => {
      const atTownship = await countyAdmin.post('/api/org/households', { headName: '张三', regionId: tree.townshipA.id });
      expect(atTownship.json().error.code).toBe('region_level_mismatch');
      await cadreA.post('/api/org/households', { headName: '甲', regionId: tree.groupA1.id, number: 'DUP-1' });
      const duplicate = await cadreA.post('/api/org/households', { headName: '乙', regionId: tree.groupA1.id, number: 'DUP-1' });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().error.code).toBe('household_number_taken');
      const unknown = await cadreA.post('/api/org/households', { headName: '丙', regionId: tree.groupA1.id, wealth: 1 });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.code).toBe('validation_failed');
    });

    it('will not remove a household that still has members', async () => {
      const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
      await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id });
      const response = await cadreA.delete(`/api/org/households/${household.id}`);
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('household_not_empty');
    });

    it('does a retried create once: same key and body give the first answer, another body 422', async () => {
      const body = { headName: '重试户', regionId: tree.groupA1.id };
      const headers = { 'idempotency-key': 'phone-retry-1' };
      const first = await cadreA.post('/api/org/households', body, headers);
      const again = await cadreA.post('/api/org/households', body, headers);
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      const search = (await cadreA.get('/api/org/households?q=重试户')).json();
      expect(search.items).toHaveLength(1);
      const other = await cadreA.post('/api/org/households', { ...body, headName: '别的户' }, headers);
      expect(other.statusCode).toBe(422);
      expect(other.json().error.code).toBe('idempotency_key_reused');
    });

    it('pages through a village with a keyset cursor, every household once', async () => {
      for (let i = 0; i < 7; i++) await buildHousehold(ctx.deps, { region: tree.groupA2, headName: `翻页${i}` });
      const all = (await cadreA.get(`/api/org/households?regionId=${tree.groupA2.id}&limit=200`)).json().items;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/org/households?regionId=${tree.groupA2.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: { id: string }[]; nextCursor: string | null } = (await cadreA.get(url)).json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((h) => h.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(all.length).toBeGreaterThanOrEqual(8);
      expect(seen).toEqual(all.map((h: { id: string }) => h.id));
      expect((await cadreA.get('/api/org/households?cursor=garbage')).statusCode).toBe(400);
    });

    it('counts households per village within scope only', async () => {
      const counts = (await cadreA.get('/api/org/household-counts')).json().items;
      expect(counts.map((c: { regionId: string }) => c.regionId)).toEqual([tree.villageA.id]);
      expect(counts[0].count).toBeGreaterThanOrEqual(2);
      const all = (await countyAdmin.get('/api/org/household-counts')).json().items;
      expect(all.map((c: { regionName: string }) => c.regionName)).toEqual(['平地坝村', '何家岩村']);
    });

    it('searches by head name, number and region', async () => {
      const byName = (await cadreA.get(`/api/org/households?q=${encodeURIComponent('冉鲜')}`)).json().items;
      expect(byName.map((h: { id: string }) => h.id)).toEqual([households.a1]);
      const byRegion = (await countyAdmin.get(`/api/org/households?regionId=${tree.villageB.id}&limit=100`)).json().items;
      expect(byRegion.every((h: { villageId: string }) => h.villageId === tree.villageB.id)).toBe(true);
      expect(byRegion.map((h: { id: string }) => h.id)).toContain(households.b1);
      const literal = (await cadreA.get(`/api/org/households?q=${encodeURIComponent('%')}`)).json().items;
      expect(literal).toEqual([]);
    });
  });

  describe('people and ID card numbers', () => {
    it('refuses a wrong check digit with a clear message and stores nothing', async () => {
      const good = validIdNumber('1975-03-02');
      const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
      const response = await cadreA.post('/api/org/people', { name: '错号', householdId: households.a1, idNumber: bad });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'id_number_check_digit', message: '身份证号校验位不正确，请核对号码' });
      const format = await cadreA.post('/api/org/people', { name: '错号', householdId: households.a1, idNumber: '12345' });
      expect(format.json().error.code).toBe('id_number_format');
      const date = await cadreA.post('/api/org/people', { name: '错号', householdId: households.a1, idNumber: '500242199902300011' });
      expect(date.json().error.code).toBe('id_number_birth_date');
      expect((await cadreA.get(`/api/org/people?name=${encodeURIComponent('错号')}`)).json().items).toEqual([]);
    });

    it('registers a person, shows the number masked, and derives birth date and gender', async () => {
      const idNumber = validIdNumber('1939-08-15', true);
      const created = await cadreA.post('/api/org/people', { name: '何易光', householdId: households.a1, idNumber, relation: 'parent' });
      expect(created.statusCode).toBe(201);
      const person = created.json();
      expect(person.idNumberMasked).toBe(`5****************${idNumber.slice(-1)}`);
      // A village cadre may not reveal the number, so gets the age and not the birth date inside it.
      expect(person).toMatchObject({ birthDate: null, age: expect.any(Number), gender: 'male', householdId: households.a1 });
      expect(person.age).toBeGreaterThanOrEqual(87);
      expect(JSON.stringify(person)).not.toContain(idNumber);
      expect((await countyAdmin.get(`/api/org/people/${person.id}`)).json()).toMatchObject({ birthDate: '1939-08-15' });
      const again = await cadreA.post('/api/org/people', { name: '冒名', householdId: households.a1, idNumber });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('id_number_taken');
    });

    // GB 11643-1999: 6 digits of region, 8 of birth date, 3 of sequence and a check character. Only
    // county admins, township officials and service-hall agents may reveal a number (org.readIdNumber,
    // audited); no other role may read an answer that rebuilds it (security recheck, item 1).
    it('gives no role that may not reveal a number the digits to rebuild it: mask first and last only, age for the birth date', async () => {
      const idNumber = validIdNumber('1969-10-07', false);
      const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1, name: '身份证', idNumber });
      // A mask stored before the recheck (region and last four) is masked again on reading.
      await ctx.deps.db
        .updateTable('people')
        .set({ id_number_masked: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`, birth_date: '1969-10-07' })
        .where('id', '=', person.id)
        .execute();
      const grid = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone,
        PASSWORD,
      );
      const township = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone,
        PASSWORD,
      );
      const agent = await login(ctx.app, (await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipA })).phone, PASSWORD);
      const answers = async (session: Session) => {
        const one = (await session.get(`/api/org/people/${person.id}`)).json();
        const listed = (await session.get(`/api/org/people?householdId=${households.a1}&limit=100`)).json().items;
        return [one, listed.find((p: { id: string }) => p.id === person.id)];
      };
      for (const session of [grid, cadreA]) {
        for (const answer of await answers(session)) {
          expect(answer).toMatchObject({
            idNumberMasked: `5****************${idNumber.slice(-1)}`,
            birthDate: null,
            age: expect.any(Number),
          });
          const text = JSON.stringify(answer);
          expect(text).not.toContain(idNumber.slice(6, 14));
          expect(text).not.toContain('1969-10-07');
        }
      }
      for (const session of [countyAdmin, township, agent]) {
        for (const answer of await answers(session)) {
          expect(answer).toMatchObject({ idNumberMasked: `5****************${idNumber.slice(-1)}`, birthDate: '1969-10-07' });
        }
      }
    });

    it('lets a role that may not reveal numbers try at most 20 full ID numbers an hour; the revealing roles are not held (security recheck)', async () => {
      const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1 });
      const cadreUser = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
      const cadre = await login(ctx.app, cadreUser.phone, PASSWORD);
      const search = (session: Session, idNumber = validIdNumber('1970-01-01')) => session.get(`/api/org/people?idNumber=${idNumber}`);
      for (let i = 0; i < ID_NUMBER_SEARCHES_PER_HOUR; i++) expect((await search(cadre)).statusCode).toBe(200);
      const held = await search(cadre, person.idNumber);
      expect(held.statusCode).toBe(429);
      expect(held.json().error.code).toBe('rate_limited');
      expect((await search(countyAdmin, person.idNumber)).json().items.map((p: { id: string }) => p.id)).toEqual([person.id]);
      // An hour on, the count starts again (signed in anew: the session has been idle).
      ctx.clock.advance(3_600_000 + 1_000);
      const later = await login(ctx.app, cadreUser.phone, PASSWORD);
      expect((await search(later, person.idNumber)).json().items.map((p: { id: string }) => p.id)).toEqual([person.id]);
    });

    it('lets a role that may not reveal numbers meet a number kept elsewhere a few times an hour, each audited: registering is no number test (security recheck)', async () => {
      const elsewhere = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1 });
      const cadreUser = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
      const cadre = await login(ctx.app, cadreUser.phone, PASSWORD);
      const register = (idNumber: string) => cadre.post('/api/org/people', { name: '试号', householdId: households.a1, idNumber });
      for (let i = 0; i < ID_NUMBER_CONFLICTS_PER_HOUR; i++)
        expect((await register(elsewhere.idNumber)).json().error.code).toBe('id_number_taken');
      const held = await register(validIdNumber('1971-02-03'));
      expect(held.statusCode).toBe(429);
      expect(held.json().error.code).toBe('rate_limited');
      const audited = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['outcome'])
        .where('actor_user_id', '=', cadreUser.id)
        .where('action', '=', 'person.id_number_taken')
        .execute();
      expect(audited).toEqual(Array.from({ length: ID_NUMBER_CONFLICTS_PER_HOUR }, () => ({ outcome: 'denied' })));
      // A county admin, who may reveal numbers anyway, is told every time.
      for (let i = 0; i <= ID_NUMBER_CONFLICTS_PER_HOUR; i++) {
        const answer = await countyAdmin.post('/api/org/people', {
          name: '试号',
          householdId: households.a1,
          idNumber: elsewhere.idNumber,
        });
        expect(answer.json().error.code).toBe('id_number_taken');
      }
    });

    it('counts an age in whole years, a birthday not yet reached this year not counted', () => {
      expect(ageOn('1969-10-07', '2026-10-06')).toBe(56);
      expect(ageOn('1969-10-07', '2026-10-07')).toBe(57);
      expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
      expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    });

    it('keeps the number out of a database dump', async () => {
      const idNumber = validIdNumber('1980-01-01', false);
      await cadreA.post('/api/org/people', { name: '保密', householdId: households.a1, idNumber });
      const rows = await ctx.deps.db.selectFrom('people').selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(idNumber);
      expect(dump).not.toContain(idNumber.slice(6, 14));
      const audit = JSON.stringify(await ctx.deps.db.selectFrom('audit_log').selectAll().execute());
      const keys = JSON.stringify(await ctx.deps.db.selectFrom('idempotency_keys').selectAll().execute());
      expect(audit).not.toContain(idNumber);
      expect(keys).not.toContain(idNumber);
    });

    it('reveals the full number to a county admin and audits it; refuses a village cadre and audits that', async () => {
      const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1 });
      const revealed = await countyAdmin.get(`/api/org/people/${person.id}/id-number`);
      expect(revealed.statusCode).toBe(200);
      expect(revealed.json().idNumber).toBe(person.idNumber);
      expect(revealed.headers['cache-control']).toBe('no-store');
      const refused = await cadreA.get(`/api/org/people/${person.id}/id-number`);
      expect(refused.statusCode).toBe(403);
      expect((await cadreB.get(`/api/org/people/${person.id}/id-number`)).statusCode).toBe(404);

      const entries = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'actor_role', 'ip', 'request_id'])
        .where('target_id', '=', person.id)
        .where('action', '=', 'person.id_number.read')
        .orderBy('id')
        .execute();
      expect(entries).toEqual([
        expect.objectContaining({ outcome: 'ok', actor_role: 'countyAdmin', ip: '127.0.0.1' }),
        expect.objectContaining({ outcome: 'denied', actor_role: 'villageCadre' }),
      ]);
      expect(entries[0]?.request_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('a service-hall agent sees full numbers only in their township', async () => {
      const agent = await login(ctx.app, (await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipB })).phone, PASSWORD);
      const inB = await buildPerson(ctx.deps, { region: tree.groupB1, householdId: households.b1 });
      const inA = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: households.a1 });
      expect((await agent.get(`/api/org/people/${inB.id}/id-number`)).json().idNumber).toBe(inB.idNumber);
      expect((await agent.get(`/api/org/people/${inA.id}/id-number`)).statusCode).toBe(404);
    });

    it('finds people by name, phone, exact ID number, household and region, within scope only', async () => {
      const target = await buildPerson(ctx.deps, {
        region: tree.groupA2,
        householdId: households.a2,
        name: '搜索目标',
        phone: '13712345678',
      });
      const outside = await buildPerson(ctx.deps, { region: tree.groupB1, householdId: households.b1, name: '搜索目标' });
      const ids = async (query: string) =>
        (await cadreA.get(`/api/org/people?${query}`)).json().items.map((p: { id: string }) => p.id) as string[];
      expect(await ids(`name=${encodeURIComponent('搜索')}`)).toEqual([target.id]);
      expect(await ids('phone=1371234')).toEqual([target.id]);
      expect(await ids(`idNumber=${target.idNumber}`)).toEqual([target.id]);
      expect(await ids(`idNumber=${outside.idNumber}`)).toEqual([]);
      expect(await ids(`householdId=${households.a2}`)).toContain(target.id);
      expect(await ids(`regionId=${tree.groupA2.id}`)).toContain(target.id);
      expect(await ids(`regionId=${tree.groupA1.id}`)).not.toContain(target.id);
      const searches = await ctx.deps.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'person.search_by_id_number')
        .execute();
      expect(searches.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(searches)).not.toContain(target.idNumber);
    });

    it('audits a search of people by phone with the number masked and how many were found', async () => {
      const target = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: households.a2, phone: '13712345678' });
      const found = async (phone: string) => {
        const response = await cadreA.get(`/api/org/people?phone=${encodeURIComponent(phone)}`);
        expect(response.statusCode).toBe(200);
        return response.json().items.map((p: { id: string }) => p.id) as string[];
      };
      expect(await found('13712345678')).toEqual([target.id]);
      expect(await found('1371234')).toEqual([target.id]);
      expect(await found('13900000000')).toEqual([]);
      const searches = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['target_id', 'details', 'actor_role'])
        .where('action', '=', 'person.search_by_phone')
        .orderBy('id')
        .execute();
      expect(searches.map((s) => [s.target_id, s.actor_role, JSON.parse(s.details as string)])).toEqual([
        [target.id, 'villageCadre', { phone: '137****5678', found: 1 }],
        [target.id, 'villageCadre', { phone: '*******', found: 1 }],
        [null, 'villageCadre', { phone: '139****0000', found: 0 }],
      ]);
      expect(JSON.stringify(searches)).not.toMatch(/1371234|2345678|9000000/);
      // A search by name alone uses no number: nothing more is written.
      await found('');
      await cadreA.get(`/api/org/people?name=${encodeURIComponent('冉')}`);
      expect((await ctx.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'person.search_by_phone').execute()).length).toBe(
        3,
      );
    });

    it('edits and removes a person, and moves members with their household', async () => {
      const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
      const person = (await cadreA.post('/api/org/people', { name: '搬家人', householdId: household.id })).json();
      const moved = await cadreA.patch(`/api/org/households/${household.id}`, { regionId: tree.groupA2.id });
      expect(moved.statusCode).toBe(200);
      expect((await cadreA.get(`/api/org/people/${person.id}`)).json().regionId).toBe(tree.groupA2.id);
      const renamed = await cadreA.patch(`/api/org/people/${person.id}`, { phone: '13912340000' });
      expect(renamed.json()).toMatchObject({ phone: '13912340000', name: '搬家人' });
      expect((await cadreB.delete(`/api/org/people/${person.id}`)).statusCode).toBe(404);
      expect((await cadreA.delete(`/api/org/people/${person.id}`)).statusCode).toBe(204);
    });
  });

  describe('users and roles', () => {
    it('the security administrator creates an account with a strong password and gives it a role', async () => {
      const weak = await securityAdmin.post('/api/org/users', { phone: '13655550001', displayName: '新村干部', password: '12345678' });
      expect(weak.json().error.code).toBe('weak_password');
      const created = await securityAdmin.post('/api/org/users', {
        phone: '13655550001',
        displayName: '新村干部',
        password: 'Village2026',
      });
      expect(created.statusCode).toBe(201);
      const user = created.json();
      const assigned = await securityAdmin.post(`/api/org/users/${user.id}/role-assignments`, {
        role: 'villageCadre',
        regionId: tree.villageB.id,
      });
      expect(assigned.statusCode).toBe(201);
      expect(assigned.json().assignments).toEqual([expect.objectContaining({ role: 'villageCadre', regionName: '何家岩村' })]);
      const wrongLevel = await securityAdmin.post(`/api/org/users/${user.id}/role-assignments`, {
        role: 'villageCadre',
        regionId: tree.townshipB.id,
      });
      expect(wrongLevel.json().error.code).toBe('role_scope_invalid');
      const newCadre = await loginChangingPassword(ctx.app, '13655550001', 'Village2026');
      expect((await newCadre.get(`/api/org/households/${households.b1}`)).statusCode).toBe(200);
      const duplicate = await securityAdmin.post('/api/org/users', { phone: '13655550001', displayName: '重复', password: 'Village2026' });
      expect(duplicate.json().error.code).toBe('phone_taken');
    });

    it('a township official manages users of their township only, and never makes a county admin', async () => {
      const official = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone,
        PASSWORD,
      );
      const user = (await official.post('/api/org/users', { phone: '13655550002', displayName: '网格员', password: 'Grid20261' })).json();
      const grid = await official.post(`/api/org/users/${user.id}/role-assignments`, {
        role: 'gridWorker',
        regionId: tree.villageA.id,
        gridId: tree.gridA,
      });
      expect(grid.statusCode).toBe(201);
      const elsewhere = await official.post(`/api/org/users/${user.id}/role-assignments`, {
        role: 'villageCadre',
        regionId: tree.villageB.id,
      });
      expect(elsewhere.statusCode).toBe(404);
      const escalate = await official.post(`/api/org/users/${user.id}/role-assignments`, { role: 'countyAdmin', regionId: tree.county.id });
      expect(escalate.statusCode).toBe(404);
      expect((await cadreA.get('/api/org/users')).statusCode).toBe(403);
    });

    it('disables and unlocks accounts; a disabled account is logged out at once', async () => {
      const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
      const session = await login(ctx.app, user.phone, PASSWORD);
      const disabled = await securityAdmin.post(`/api/org/users/${user.id}/transitions`, { action: 'disable' });
      expect(disabled.json().disabled).toBe(true);
      expect((await session.get('/api/auth/session')).statusCode).toBe(401);
      const refused = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: user.phone, password: PASSWORD } });
      expect(refused.json().error.code).toBe('account_disabled');
      await securityAdmin.post(`/api/org/users/${user.id}/transitions`, { action: 'enable' });
      expect((await login(ctx.app, user.phone, PASSWORD)).cookie).toBeTruthy();
    });
  });

  it('refuses a birth date before 1900 or after today, a blank name and a phone without digits (attacker, 2026-12-03)', async () => {
    const person = (over: Record<string, unknown>) =>
      cadreA.post('/api/org/people', { householdId: households.a1, name: '冉小花', ...over });
    for (const birthDate of ['2099-01-01', '1800-01-01']) {
      const refused = await person({ birthDate });
      expect(refused.statusCode, birthDate).toBe(400);
      expect(refused.json().error.code).toBe('birth_date_out_of_range');
    }
    for (const name of ['   ', '\u200b', '\u3000', '---', '\ufe00\ufe00', '\u3164\u3164', '\u2800', '\u0301', '\u034f'])
      expect((await person({ name })).statusCode, JSON.stringify(name)).toBe(400);
    for (const phone of ['     ', '-----', '() () ']) expect((await person({ phone })).statusCode, phone).toBe(400);
    expect((await cadreA.patch(`/api/org/households/${households.a1}`, { phone: '() () ' })).statusCode).toBe(400);
    expect((await cadreA.patch(`/api/org/households/${households.a1}`, { headName: '  ' })).statusCode).toBe(400);
    // What people really write still goes in.
    expect((await person({ birthDate: '1950-02-28', phone: '(023) 7555-1234' })).statusCode).toBe(201);
    expect((await cadreA.patch(`/api/org/households/${households.a1}`, { phone: '138 0000 1111' })).statusCode).toBe(200);
  });

  it('records every write in the audit log with who, role, what, target, when, IP and request id', async () => {
    const created = (await cadreA.post('/api/org/households', { headName: '审计户', regionId: tree.groupA1.id })).json();
    const entry = await ctx.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', created.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      action: 'household.create',
      outcome: 'ok',
      actor_role: 'villageCadre',
      target_type: 'household',
      ip: '127.0.0.1',
    });
    expect(entry.actor_user_id).toBeTruthy();
    expect(entry.request_id).toBeTruthy();
    expect(Math.abs(entry.at - ctx.clock.now)).toBeLessThan(1000);
    await expect(sql`update audit_log set action = 'x' where id = ${entry.id}`.execute(ctx.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = ${entry.id}`.execute(ctx.deps.db)).rejects.toThrow(/append-only/);
  });
});
