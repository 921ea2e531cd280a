// Every module's factories, on each database: what a factory builds is there, as built, when the
// real API is asked by a signed-in user of the right role.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from './build-test-app.ts';
import { buildElder, buildFamilyLink } from './factories/care.ts';
import { buildCase, buildCaseCategory } from './factories/cases.ts';
import { buildNotice } from './factories/notices.ts';
import { buildGoods, buildPointsRule, grantPoints } from './factories/points.ts';
import { buildApplication, buildDepartment, buildServiceItem } from './factories/services.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from './factories.ts';

describe.each(dialects)('the factories on %s', (dialect) => {
  let tree: Tree;
  const ids = { keeper: '', cadre: '', gridWorker: '', villager: '', family: '', agent: '' };
  const sessions = {} as Record<keyof typeof ids, Session>;
  let household: string;
  let villagerPerson: string;
  let elderPerson: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    household = (await buildHousehold(ctx.deps, { region: tree.groupA1 })).id;
    villagerPerson = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household })).id;
    elderPerson = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household, name: '冉老汉' })).id;
    const users = {
      keeper: await buildUser(ctx.deps, { role: 'pointsKeeper', region: tree.villageA }),
      cadre: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA }),
      gridWorker: await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA }),
      villager: await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: villagerPerson }),
      family: await buildUser(ctx.deps, { region: tree.villageA }),
      agent: await buildUser(ctx.deps, { role: 'serviceHallAgent', region: tree.townshipA }),
    };
    for (const [who, user] of Object.entries(users) as [keyof typeof ids, { id: string; phone: string }][]) {
      ids[who] = user.id;
      sessions[who] = await login(ctx.app, user.phone, PASSWORD);
    }
  });

  it('buildCase: a villager reports in their group, and the grid worker of the group has it', async () => {
    const category = await buildCaseCategory(ctx.deps, { countyId: tree.county.id, name: '路灯损坏' });
    const built = await buildCase(ctx.deps, {
      reporterId: ids.villager,
      regionId: tree.groupA1.id,
      categoryId: category.id,
      title: '路灯坏了',
    });
    expect(built).toMatchObject({ state: 'assigned', assigneeUserId: ids.gridWorker });
    for (const session of [sessions.villager, sessions.gridWorker]) {
      const read = await session.get(`/api/cases/${built.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ id: built.id, title: '路灯坏了', state: 'assigned', assigneeUserId: ids.gridWorker });
    }
    // Without a category one routed to the grid is made; a village-level report has no grid worker and waits.
    const waiting = await buildCase(ctx.deps, { reporterId: ids.villager, regionId: tree.villageA.id, countyId: tree.county.id });
    expect((await sessions.cadre.get(`/api/cases/${waiting.id}`)).json()).toMatchObject({ state: 'received', assigneeUserId: null });
  });

  it('buildPointsRule, buildGoods and grantPoints: the rule, the goods and the booking are in the village', async () => {
    const rule = await buildPointsRule(ctx.deps, { by: ids.keeper, villageId: tree.villageA.id, item: '打扫卫生', points: 3 });
    const rules = (await sessions.villager.get(`/api/points/villages/${tree.villageA.id}/rules`)).json().items;
    expect(rules).toEqual([expect.objectContaining({ id: rule.id, item: '打扫卫生', points: 3 })]);

    const goods = await buildGoods(ctx.deps, { by: ids.keeper, villageId: tree.villageA.id, name: '酱油', price: 15 });
    const shelf = (await sessions.villager.get(`/api/points/villages/${tree.villageA.id}/goods`)).json().items;
    expect(shelf).toEqual([expect.objectContaining({ id: goods.id, name: '酱油', price: 15 })]);

    const entry = await grantPoints(ctx.deps, { by: ids.keeper, householdId: household, villageId: tree.villageA.id, ruleId: rule.id });
    await grantPoints(ctx.deps, { by: ids.cadre, householdId: household, villageId: tree.villageA.id, points: 10 });
    const account = (await sessions.villager.get(`/api/points/accounts/${household}`)).json();
    expect(account.balance).toBe(13);
    expect(account.thisMonth.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: entry.id, amount: 3, kind: 'grant', ruleItem: '打扫卫生' })]),
    );
  });

  it('buildElder and buildFamilyLink: the elder with a bracelet, seen by the village and by the linked family', async () => {
    const { elder, device, key } = await buildElder(ctx.deps, { by: ids.cadre, personId: elderPerson, livingSituation: '与老伴同住' });
    expect(key).toEqual(expect.any(String));
    const elders = (await sessions.cadre.get('/api/care/elders')).json().items;
    expect(elders).toEqual([expect.objectContaining({ personId: elderPerson, name: '冉老汉', livingSituation: '与老伴同住' })]);
    const devices = (await sessions.cadre.get(`/api/care/elders/${elder.personId}/devices`)).json().items;
    expect(devices).toEqual([expect.objectContaining({ serial: device?.serial, kind: 'bracelet' })]);

    // The family member sees nobody until linked, then the elder and nobody else.
    expect((await sessions.family.get('/api/care/elders')).json().items ?? []).toEqual([]);
    await buildFamilyLink(ctx.deps, { by: ids.cadre, elderPersonId: elderPerson, userId: ids.family });
    const linked = (await sessions.family.get('/api/care/elders')).json().items;
    expect(linked.map((e: { personId: string }) => e.personId)).toEqual([elderPerson]);
  });

  it('buildServiceItem and buildApplication: the item in the catalogue and the applications to it', async () => {
    const department = await buildDepartment(ctx.deps, { regionId: tree.county.id, name: '县测试局' });
    const item = await buildServiceItem(ctx.deps, { departmentId: department.id, name: '测试证明开具' });
    const read = await sessions.villager.get(`/api/services/items/${item.id}`);
    expect(read.json()).toMatchObject({
      id: item.id,
      name: '测试证明开具',
      departmentName: '县测试局',
      places: ['townshipHall', 'online'],
    });

    const online = await buildApplication(ctx.deps, { by: ids.villager, itemId: item.id, applicantPersonId: elderPerson });
    const proxy = await buildApplication(ctx.deps, { by: ids.agent, itemId: item.id, applicantPersonId: villagerPerson });
    expect((await sessions.villager.get(`/api/services/applications/${online.id}`)).json().application).toMatchObject({
      id: online.id,
      state: 'submitted',
      channel: 'online',
    });
    expect((await sessions.agent.get(`/api/services/applications/${proxy.id}`)).json().application).toMatchObject({
      id: proxy.id,
      state: 'submitted',
      channel: 'proxy',
    });
  });

  it('buildNotice: a draft seen by its author only, a published notice in the villagers’ inbox', async () => {
    const draft = await buildNotice(ctx.deps, { by: ids.cadre, title: '草稿通知' });
    const sent = await buildNotice(ctx.deps, { by: ids.cadre, title: '停水通知', urgent: true, published: true });
    expect(sent.state).toBe('sent');
    expect((await sessions.cadre.get(`/api/notices/${draft.id}`)).json()).toMatchObject({
      id: draft.id,
      title: '草稿通知',
      state: 'draft',
    });
    const inbox = (await sessions.villager.get('/api/notices/inbox')).json();
    expect(inbox.items).toEqual([expect.objectContaining({ id: sent.id, title: '停水通知', urgent: true, read: false })]);
  });
});
