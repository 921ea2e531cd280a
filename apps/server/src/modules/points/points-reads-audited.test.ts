// Reads of a household's points beyond its account page leave a trace too (attacker, 2026-12-03):
// a month's statement (its penalties, "露天焚烧秸秆 −10"), and the desk's lists of claims and
// redemptions, which name the households' heads. A villager's reads of their own household leave none.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { localMonth } from './points-calendar.ts';

describe.each(dialects)('reads of a household’s points on %s', (dialect) => {
  let tree: Tree;
  let keeper: Session;
  let keeperId: string;
  let home: string;
  let villager: Session;
  let villagerId: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const keeperUser = await buildUser(ctx.deps, { role: 'pointsKeeper', region: tree.villageA });
    keeperId = keeperUser.id;
    keeper = await login(ctx.app, keeperUser.phone, PASSWORD);
    home = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉鲜荣' })).id;
    const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home });
    const villagerUser = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: member.id });
    villagerId = villagerUser.id;
    villager = await login(ctx.app, villagerUser.phone, PASSWORD);
    // A claim and an exchange of the household's, for the lists to hold.
    const rule = await keeper.post(`/api/points/villages/${tree.villageA.id}/rules`, {
      code: 'investment',
      item: '招商引资',
      category: 'investment',
      points: 100,
    });
    expect((await keeper.post('/api/points/grants', { ruleId: rule.json().id, householdIds: [home] })).statusCode).toBeLessThan(300);
    expect(
      (await villager.post('/api/points/claims', { householdId: home, ruleId: rule.json().id, note: '引来一家茶厂' })).statusCode,
    ).toBe(201);
    const soy = await keeper.post(`/api/points/villages/${tree.villageA.id}/goods`, { name: '酱油', unit: '瓶', price: 10, restock: 2 });
    expect((await villager.post('/api/points/redemptions', { householdId: home, goodsId: soy.json().id, quantity: 1 })).statusCode).toBe(
      201,
    );
  });

  const traces = async (actor: string) =>
    (
      await ctx.deps.db
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'details'])
        .where('actor_user_id', '=', actor)
        .where('action', 'in', ['points.account.read', 'points.claim.list', 'points.redemption.list'])
        .orderBy('id')
        .execute()
    ).map((row) => ({ action: row.action, target: row.target_id, details: row.details ? JSON.parse(row.details) : null }));

  const reads = () => [
    `/api/points/accounts/${home}/statements/${localMonth(ctx.deps.now())}`,
    `/api/points/claims?householdId=${home}`,
    '/api/points/redemptions',
  ];

  it("traces the keeper reading a household's statement and the lists of claims and exchanges, with how many", async () => {
    for (const url of reads()) expect((await keeper.get(url)).statusCode, url).toBe(200);
    const month = localMonth(ctx.deps.now());
    expect(await traces(keeperId)).toEqual([
      { action: 'points.account.read', target: home, details: { month } },
      { action: 'points.claim.list', target: null, details: { count: 1 } },
      { action: 'points.redemption.list', target: null, details: { count: 1 } },
    ]);
  });

  it('leaves no trace of a villager reading their own household’s statement, claims and exchanges', async () => {
    for (const url of [...reads().slice(0, 2), `/api/points/redemptions?householdId=${home}`])
      expect((await villager.get(url)).statusCode, url).toBe(200);
    expect(await traces(villagerId)).toEqual([]);
  });
});
