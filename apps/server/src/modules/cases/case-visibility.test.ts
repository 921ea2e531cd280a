// Every answer that carries a case, or a part of one, passes the same gate as reading it
// (GET /api/cases/:id): "me too", the answers to actions, duplicate offers, merge targets, the
// clash of a client-minted id and the public village pages. An exposure-board report waiting for
// moderation, with a name, a phone number and an ID number in it, is the case that must not leak.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { buildHousehold, buildPerson, buildUser, PASSWORD } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { addDepartment } from '../org/departments.service.ts';

const ACCUSED = '张三丰';
const PHONE = '13912345678';
const ID_NUMBER = '500242196005171234';
const SECRET = [ACCUSED, PHONE, ID_NUMBER];

describe.each(dialects)('what answers carry of a case on %s', (dialect) => {
  let world: CaseWorld;
  let villagerB: Session;
  let otherDepartment: string;

  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
    // The accused is registered in the village, in another group; a villager of another township reports too.
    await buildPerson(ctx.deps, { region: world.tree.groupA2, name: ACCUSED });
    const homeB = await buildHousehold(ctx.deps, { region: world.tree.groupB1 });
    const personB = await buildPerson(ctx.deps, { region: world.tree.groupB1, householdId: homeB.id });
    const userB = await buildUser(ctx.deps, { role: 'villager', region: world.tree.villageB, personId: personB.id });
    villagerB = await login(ctx.app, userB.phone, PASSWORD);
    otherDepartment = uuidv7();
    await addDepartment(ctx.deps.db, { id: otherDepartment, name: '县水利局', regionId: world.tree.county.id }, ctx.deps.now());
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    source: 'villagerVoice',
    channel: 'app',
    categoryId: world.categories.road,
    regionId: world.tree.groupA1.id,
    title: '村道塌了一块',
    description: '二组路口塌陷，摩托车过不去',
    ...overrides,
  });
  const exposure = () =>
    body({
      source: 'exposureBoard',
      title: `${ACCUSED}乱倒建筑垃圾`,
      description: `${ACCUSED}（电话${PHONE}，身份证${ID_NUMBER}）天天往河沟里倒垃圾`,
    });
  const expectNothingOf = (text: string) => {
    for (const secret of SECRET) expect(text).not.toContain(secret);
  };

  it('answers "me too" on a report waiting for moderation exactly as reading it: 404, uncounted', async () => {
    const created = await world.villager.post('/api/cases', exposure());
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    const read = await world.neighbour.get(`/api/cases/${id}`);
    const meToo = await world.neighbour.post(`/api/cases/${id}/me-too`);
    expect(read.statusCode).toBe(404);
    expect(meToo.statusCode).toBe(404);
    expect(meToo.json()).toEqual(read.json());
    expectNothingOf(meToo.body);
    expect((await world.villager.get(`/api/cases/${id}`)).json().meTooCount).toBe(0);

    // Rejected, it never becomes public: still 404.
    expect((await world.cadre.post(`/api/cases/${id}/moderation`, { decision: 'reject' })).statusCode).toBe(200);
    expect((await world.neighbour.post(`/api/cases/${id}/me-too`)).statusCode).toBe(404);
  });

  it('counts "me too" on a published report and gives the neighbour nothing but 204; the reporter and staff get the case', async () => {
    const { id } = (await world.villager.post('/api/cases', exposure())).json();
    const published = await world.cadre.post(`/api/cases/${id}/moderation`, { decision: 'publish' });
    expect(published.statusCode).toBe(200);
    const meToo = await world.neighbour.post(`/api/cases/${id}/me-too`);
    expect(meToo.statusCode).toBe(204);
    expect(meToo.body).toBe('');
    expect((await world.neighbour.get(`/api/cases/${id}`)).statusCode).toBe(404);
    const own = await world.villager.post(`/api/cases/${id}/me-too`);
    expect(own.statusCode).toBe(200);
    // The reporter's own "me too" adds nothing to the neighbour's one.
    expect(own.json()).toMatchObject({ id, meTooCount: 1, title: `${ACCUSED}乱倒建筑垃圾` });
    // Another village's villager cannot "me too" it at all.
    expect((await villagerB.post(`/api/cases/${id}/me-too`)).statusCode).toBe(404);
  });

  it("answers a client-minted id that is in use with the same 409 whoever's case it is and whether or not the caller sees it", async () => {
    const id = uuidv7();
    expect((await world.villager.post('/api/cases', { ...exposure(), id })).statusCode).toBe(201);
    const clashes = [
      await villagerB.post('/api/cases', body({ id, regionId: world.tree.groupB1.id })), // another village, cannot see it
      await world.neighbour.post('/api/cases', body({ id })), // the same village, cannot see it
      await world.cadre.post('/api/cases', body({ id })), // can see it
      await world.villager.post('/api/cases', body({ id })), // the reporter, with another body
    ];
    for (const clash of clashes) {
      expect(clash.statusCode).toBe(409);
      expect(clash.json()).toEqual(clashes[0]?.json());
      expectNothingOf(clash.body);
    }
    expect(clashes[0]?.json().error.code).toBe('id_taken');
  });

  it('gives the reporter who sends the same report again under its id, without a key, the first answer and no second case', async () => {
    const id = uuidv7();
    const first = await world.villager.post('/api/cases', body({ id, title: '水管爆了' }));
    expect(first.statusCode).toBe(201);
    const again = await world.villager.post('/api/cases', body({ id, title: '水管爆了' }));
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id, number: first.json().number, title: '水管爆了' });
    const reported = (await world.villager.get('/api/cases?view=reported&limit=100')).json().items;
    expect(reported.filter((c: { title: string }) => c.title === '水管爆了')).toHaveLength(1);
  });

  it('offers as possible duplicates only the cases the handler may read', async () => {
    const here = { latitude: 28.84, longitude: 108.77 };
    // Group A1 is the grid worker's; group A2 has no grid, so its report waits for the village.
    const mine = (await world.villager.post('/api/cases', body({ ...here }))).json();
    const outside = (await world.neighbour.post('/api/cases', body({ ...here, regionId: world.tree.groupA2.id }))).json();
    const pending = (await world.neighbour.post('/api/cases', { ...exposure(), ...here, regionId: world.tree.groupA2.id })).json();
    const offered = (await world.gridWorker.get(`/api/cases/${mine.id}/duplicates`)).json().items.map((c: { id: string }) => c.id);
    expect(offered).not.toContain(outside.id);
    expect(offered).not.toContain(pending.id);
    const response = await world.gridWorker.get(`/api/cases/${mine.id}/duplicates`);
    expectNothingOf(response.body);
    // The village's cadre reads them all, and is offered them all.
    const forCadre = (await world.cadre.get(`/api/cases/${mine.id}/duplicates`)).json().items.map((c: { id: string }) => c.id);
    expect(forCadre).toEqual(expect.arrayContaining([outside.id, pending.id]));
  });

  it('refuses to merge into a case the actor cannot read, as if it did not exist', async () => {
    const mine = (await world.villager.post('/api/cases', body())).json();
    const outside = (await world.neighbour.post('/api/cases', body({ regionId: world.tree.groupA2.id }))).json();
    const merge = await world.gridWorker.post(`/api/cases/${mine.id}/transitions`, { action: 'merge', mergeIntoId: outside.id });
    expect(merge.statusCode).toBe(404);
    expect(merge.json().error.code).toBe('not_found');
    expect(
      (await world.cadre.post(`/api/cases/${mine.id}/transitions`, { action: 'merge', mergeIntoId: outside.id })).json(),
    ).toMatchObject({
      state: 'closed',
      mergedIntoId: outside.id,
    });
  });

  it('answers a handler who passed a case out of their sight with 204 and nothing of it', async () => {
    const { id } = (await world.villager.post('/api/cases', body({ categoryId: world.categories.permit }))).json();
    const passed = await world.handler.post(`/api/cases/${id}/transitions`, { action: 'transfer', departmentId: otherDepartment });
    expect(passed.statusCode).toBe(204);
    expect(passed.body).toBe('');
    expect((await world.handler.get(`/api/cases/${id}`)).statusCode).toBe(404);
    expect((await world.cadre.get(`/api/cases/${id}`)).json()).toMatchObject({ assigneeDepartmentId: otherDepartment });
  });

  it('keeps reports waiting for moderation off the public village page, and masks the names of villagers in titles', async () => {
    const pending = (await world.villager.post('/api/cases', exposure())).json();
    const ordinary = (await world.villager.post('/api/cases', body({ title: `${ACCUSED}家门口的路塌了 ${PHONE}` }))).json();
    const page = await ctx.app.inject({ url: `/api/public/villages/${world.tree.villageA.id}/affairs?limit=100` });
    expect(page.statusCode).toBe(200);
    const numbers = page.json().matters.items.map((m: { number: string }) => m.number);
    expect(numbers).not.toContain(pending.number);
    expect(numbers).toContain(ordinary.number);
    expect(page.json().matters.items.find((m: { number: string }) => m.number === ordinary.number).title).toBe(
      '张某某家门口的路塌了 [电话已隐去]',
    );
    expectNothingOf(page.body);
  });
});
