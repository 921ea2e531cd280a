// Every list of the points bank, read as every role that holds points.read: each sees exactly the
// households its scope reaches, and none of them is answered with a server error. A grid worker's
// scope is villager groups, which the redemptions table (placed down to its village) has no
// column for: its group is its household's.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { localMonth } from './points-calendar.ts';

type Reader = 'countyAdmin' | 'townshipOfficial' | 'villageCadre' | 'gridWorker' | 'pointsKeeper' | 'villager';

describe.each(dialects)('points lists for every reader on %s', (dialect) => {
  let tree: Tree;
  let sessions: Record<Reader, Session>;
  let otherTownship: Session;
  let home: { id: string };
  let next: { id: string };
  let far: { id: string };
  const redemptions: Record<'home' | 'next' | 'far', string> = { home: '', next: '', far: '' };
  const claims: Record<'home' | 'next', string> = { home: '', next: '' };

  // The seed builds everything; the tests only read, each from its own copy of it.
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const as = async (role: Parameters<typeof buildUser>[1]['role'], region = tree.villageA, extra: Record<string, unknown> = {}) => {
      const user = await buildUser(ctx.deps, { role, region, ...extra });
      return login(ctx.app, user.phone, PASSWORD);
    };
    // The grid worker's grid is group A1 only; `next` lives in group A2 and `far` in village B.
    home = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉鲜荣' });
    next = await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '白小梅' });
    far = await buildHousehold(ctx.deps, { region: tree.groupB1, headName: '何大山' });
    const villagerPerson = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home.id });
    sessions = {
      countyAdmin: await as('countyAdmin', tree.county),
      townshipOfficial: await as('townshipOfficial', tree.townshipA),
      villageCadre: await as('villageCadre'),
      gridWorker: await as('gridWorker', tree.villageA, { gridId: tree.gridA }),
      pointsKeeper: await as('pointsKeeper'),
      villager: await as('villager', tree.villageA, { personId: villagerPerson.id }),
    };
    otherTownship = await as('townshipOfficial', tree.townshipB);
    const keeperB = await as('pointsKeeper', tree.villageB);

    // Each village: a rule, a grant to its households, a shop item, and a redemption per household.
    const stock = async (keeper: Session, villageId: string, households: { id: string }[], key: 'A' | 'B') => {
      const rule = await keeper.post(`/api/points/villages/${villageId}/rules`, {
        code: `labour-${key}`,
        item: '参加义务劳动',
        category: 'labour',
        points: 50,
      });
      expect(rule.statusCode).toBe(201);
      const granted = await keeper.post('/api/points/grants', { ruleId: rule.json().id, householdIds: households.map((h) => h.id) });
      expect(granted.statusCode).toBeLessThan(300);
      const goods = await keeper.post(`/api/points/villages/${villageId}/goods`, { name: '洗衣粉', price: 10, restock: 20 });
      expect(goods.statusCode).toBe(201);
      const ids: string[] = [];
      for (const household of households) {
        const redeemed = await keeper.post('/api/points/redemptions', { householdId: household.id, goodsId: goods.json().id, quantity: 1 });
        expect(redeemed.statusCode).toBe(201);
        ids.push(redeemed.json().id);
      }
      return { ruleId: rule.json().id as string, ids };
    };
    const a = await stock(sessions.pointsKeeper, tree.villageA.id, [home, next], 'A');
    const b = await stock(keeperB, tree.villageB.id, [far], 'B');
    [redemptions.home, redemptions.next] = a.ids as [string, string];
    [redemptions.far] = b.ids as [string];
    for (const [key, household] of [
      ['home', home],
      ['next', next],
    ] as const) {
      const filed = await sessions.pointsKeeper.post('/api/points/claims', { householdId: household.id, ruleId: a.ruleId, note: '修路' });
      expect(filed.statusCode).toBe(201);
      claims[key] = filed.json().id;
    }
  });

  // Which of the households each reader's scope reaches.
  const reaches: Record<Reader, ('home' | 'next' | 'far')[]> = {
    countyAdmin: ['home', 'next', 'far'],
    townshipOfficial: ['home', 'next'],
    villageCadre: ['home', 'next'],
    gridWorker: ['home'],
    pointsKeeper: ['home', 'next'],
    villager: ['home'],
  };
  const readers = Object.keys(reaches) as Reader[];
  const ids = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((item) => item.id);

  it.each(readers)('lists to a %s the redemptions of the households in its scope, and no others', async (reader) => {
    const response = await sessions[reader].get('/api/points/redemptions');
    expect(response.statusCode).toBe(200);
    expect(ids(response).sort()).toEqual(reaches[reader].map((key) => redemptions[key]).sort());
    const pending = await sessions[reader].get('/api/points/redemptions?state=pending&limit=1');
    expect(pending.statusCode).toBe(200);
    expect(pending.json().items).toHaveLength(1);
  });

  it.each(readers)('lists to a %s the claims of the households in its scope, and no others', async (reader) => {
    const response = await sessions[reader].get('/api/points/claims');
    expect(response.statusCode).toBe(200);
    const expected = reaches[reader].filter((key) => key !== 'far').map((key) => claims[key as 'home' | 'next']);
    expect(ids(response).sort()).toEqual(expected.sort());
  });

  it.each(readers)("lets a %s read the village's rules, shop, rankings and figures, and the accounts in its scope", async (reader) => {
    const session = sessions[reader];
    const village = `/api/points/villages/${tree.villageA.id}`;
    const rules = await session.get(`${village}/rules`);
    expect(rules.statusCode).toBe(200);
    expect(rules.json().items).toHaveLength(1);
    const goods = await session.get(`${village}/goods`);
    expect(goods.statusCode).toBe(200);
    expect(goods.json().items).toHaveLength(1);
    const month = localMonth(ctx.deps.now());
    const rankings = await session.get(`${village}/rankings?period=month&value=${month}`);
    expect(rankings.statusCode).toBe(200);
    expect(rankings.json().items).toHaveLength(2);
    const summary = await session.get(`${village}/summary?period=month&value=${month}`);
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({ granted: 100, redeemed: 20 });

    for (const [key, household] of [
      ['home', home],
      ['next', next],
    ] as const) {
      const account = await session.get(`/api/points/accounts/${household.id}`);
      const statement = await session.get(`/api/points/accounts/${household.id}/statements/${month}`);
      if (reaches[reader].includes(key)) {
        expect(account.statusCode).toBe(200);
        expect(account.json().balance).toBe(40);
        expect(statement.statusCode).toBe(200);
      } else {
        // Out of scope: refused, never a server error.
        expect([403, 404]).toContain(account.statusCode);
        expect([403, 404]).toContain(statement.statusCode);
      }
    }
  });

  it("answers a villager's own account at /accounts/mine as at its id, and refuses staff who have no household and nobody", async () => {
    const mine = await sessions.villager.get('/api/points/accounts/mine');
    expect(mine.statusCode).toBe(200);
    const byId = await sessions.villager.get(`/api/points/accounts/${home.id}`);
    expect(mine.json()).toEqual(byId.json());
    expect(mine.json()).toMatchObject({ householdId: home.id, balance: 40 });
    const staff = await sessions.villageCadre.get('/api/points/accounts/mine');
    expect(staff.statusCode).toBe(404);
    expect(staff.json().error.code).toBe('not_found');
    const nobody = await ctx.app.inject({ method: 'GET', url: '/api/points/accounts/mine' });
    expect(nobody.statusCode).toBe(401);
  });

  it('keeps the report to those who keep the books, and refuses the others without a server error', async () => {
    const month = localMonth(ctx.deps.now());
    const url = `/api/points/villages/${tree.villageA.id}/report?from=${month}&to=${month + 1}`;
    for (const reader of readers) {
      const response = await sessions[reader].get(url);
      if (reader === 'villageCadre' || reader === 'pointsKeeper') expect(response.statusCode).toBe(200);
      else expect([403, 404]).toContain(response.statusCode);
    }
  });

  it("refuses another township's official the village's lists, and gives them none of its rows", async () => {
    const village = `/api/points/villages/${tree.villageA.id}`;
    expect((await otherTownship.get(`${village}/rules`)).statusCode).toBe(404);
    expect((await otherTownship.get(`${village}/goods`)).statusCode).toBe(404);
    expect(ids(await otherTownship.get('/api/points/redemptions'))).toEqual([redemptions.far]);
    expect(ids(await otherTownship.get('/api/points/claims'))).toEqual([]);
  });
});
