// What a first user tripped over in the cases area (issue 15): a double tap made two cases, every
// page offered every action to everyone, the case did not say who handles it, "my reports" came
// by deadline, the desk could not search, and the demo exposure board had empty entries.
import { describe, expect, it } from 'vitest';
import { dialects, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { buildTree, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { seedDemoCases } from './cases.demo.ts';

type Listed = { items: { id: string; title: string }[]; nextCursor: string | null };

describe.each(dialects)('cases for a first user on %s', (dialect) => {
  let world: CaseWorld;
  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
  });

  const report = (session: Session, overrides: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    session.post(
      '/api/cases',
      {
        source: 'villagerVoice',
        channel: 'app',
        categoryId: world.categories.road,
        regionId: world.tree.groupA1.id,
        title: '村道塌了一块',
        description: '二组路口塌陷，摩托车过不去',
        ...overrides,
      },
      headers,
    );
  const act = (session: Session, id: string, body: Record<string, unknown>) => session.post(`/api/cases/${id}/transitions`, body);
  const ids = (listed: Listed) => listed.items.map((c) => c.id);

  it('makes one case of one form sent twice with two keys (a double tap), and refuses the id with another text', async () => {
    const id = uuidv7();
    const first = await report(world.villager, { id }, { 'idempotency-key': uuidv7() });
    const second = await report(world.villager, { id }, { 'idempotency-key': uuidv7() });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(id);
    expect(second.json().number).toBe(first.json().number);
    const mine: Listed = (await world.villager.get('/api/cases?view=reported')).json();
    expect(ids(mine)).toEqual([id]);
    const changed = await report(world.villager, { id, description: '又塌了一块' }, { 'idempotency-key': uuidv7() });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('id_taken');
  });

  it('tells each person the actions they may take, and names who handles the case', async () => {
    const created = (await report(world.villager)).json();
    // The reporter of an assigned case can do nothing to it; its grid worker can take it.
    expect(created.allowedActions).toEqual([]);
    const workerName = (
      await ctx.deps.db.selectFrom('users').select('display_name').where('id', '=', world.gridWorkerId).executeTakeFirstOrThrow()
    ).display_name;
    expect(created.handlerName).toBe(workerName);
    const asWorker = (await world.gridWorker.get(`/api/cases/${created.id}`)).json();
    expect(asWorker.allowedActions).toEqual(expect.arrayContaining(['accept', 'transfer', 'reroute', 'merge']));
    expect(asWorker.allowedActions).not.toContain('rate');
    // What the list says is what the server does: the villager's accept is refused.
    expect((await act(world.villager, created.id, { action: 'accept' })).statusCode).toBe(403);

    const routed = (await report(world.villager, { categoryId: world.categories.permit })).json();
    expect(routed.handlerName).toBe('县交通局');
    for (const action of ['accept', 'handle']) expect((await act(world.handler, routed.id, { action })).statusCode).toBe(200);
    const replied = (await act(world.handler, routed.id, { action: 'reply', note: '已修好' })).json();
    // The department handler replies; the rating is the reporter's, not theirs.
    expect(replied.state).toBe('replied');
    expect(replied.allowedActions).not.toContain('rate');
    const asReporter = (await world.villager.get(`/api/cases/${routed.id}`)).json();
    expect(asReporter.allowedActions).toEqual(expect.arrayContaining(['rate', 'object']));
    expect(asReporter.allowedActions).not.toContain('close');
    // A rating has no default: rating without a number is refused.
    expect((await act(world.villager, routed.id, { action: 'rate' })).statusCode).toBe(400);
  });

  it('lists what I reported newest first, finished ones included', async () => {
    const older = (await report(world.villager, { title: '第一件' })).json();
    ctx.clock.advance(60_000);
    const newer = (await report(world.villager, { title: '第二件', categoryId: world.categories.permit })).json();
    const mine: Listed = (await world.villager.get('/api/cases?view=reported')).json();
    expect(ids(mine)).toEqual([newer.id, older.id]);
    const firstPage: Listed = (await world.villager.get('/api/cases?view=reported&limit=1')).json();
    expect(ids(firstPage)).toEqual([newer.id]);
    const nextPage: Listed = (await world.villager.get(`/api/cases?view=reported&limit=1&cursor=${firstPage.nextCursor}`)).json();
    expect(ids(nextPage)).toEqual([older.id]);
  });

  it('searches the desk by words, category, place and date, only within what the person may read', async () => {
    const road = (await report(world.villager, { title: '村道塌了一块', description: '二组路口 100% 走不了' })).json();
    // Twenty minutes later: within a session's idle time, so the seed's sessions still hold.
    ctx.clock.advance(20 * 60_000);
    const traffic = (await report(world.villager, { title: '班车太少', categoryId: world.categories.permit })).json();
    const search = async (params: string) => ids((await world.cadre.get(`/api/cases?view=region&${params}`)).json());
    expect(await search(`q=${encodeURIComponent('塌了')}`)).toEqual([road.id]);
    expect(await search(`q=${encodeURIComponent('100%')}`)).toEqual([road.id]);
    expect(await search(`q=${encodeURIComponent('%')}`)).toEqual([road.id]);
    expect(await search(`q=${traffic.number}`)).toEqual([traffic.id]);
    expect(await search(`categoryId=${world.categories.permit}`)).toEqual([traffic.id]);
    expect(await search(`regionId=${world.tree.villageA.id}`)).toEqual([traffic.id, road.id]);
    expect(await search(`regionId=${world.tree.villageB.id}`)).toEqual([]);
    const since = new Date(ctx.clock.now - 10 * 60_000).toISOString();
    expect(await search(`from=${encodeURIComponent(since)}`)).toEqual([traffic.id]);
    expect(await search(`to=${encodeURIComponent(since)}`)).toEqual([road.id]);
    // Another village's cadre finds nothing of this village, whatever they ask for.
    expect(ids((await world.cadreB.get(`/api/cases?view=region&regionId=${world.tree.villageA.id}`)).json())).toEqual([]);
    expect(ids((await world.cadreB.get(`/api/cases?view=region&q=${encodeURIComponent('塌了')}`)).json())).toEqual([]);
  });

  it('refuses desk filters out of bounds without echoing them', async () => {
    const long = 'x'.repeat(41);
    for (const params of [`q=${long}`, 'from=yesterday', 'categoryId=nope', 'to=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z']) {
      const response = await world.cadre.get(`/api/cases?view=region&${params}`);
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain('xxxxxxxxxx');
      expect(response.body).not.toContain('yesterday');
    }
  });
});

describe.each(dialects)('the demo exposure board on %s', (dialect) => {
  let tree: Tree;
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
  });

  it('shows every published demo report with a title and a text', async () => {
    // The cases demo needs only the county (by its code) and its villager groups.
    const regionsByCode = new Map(Object.values(tree).flatMap((r) => (typeof r === 'string' ? [] : [[r.code, r] as const])));
    await seedDemoCases(ctx.deps, regionsByCode, { count: 120 });
    const villages = await ctx.deps.db
      .selectFrom('cases')
      .select('village_id')
      .distinct()
      .where('public_state', '=', 'published')
      .execute();
    expect(villages.length).toBeGreaterThan(0);
    let shown = 0;
    for (const { village_id } of villages) {
      const board = await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${village_id}/exposure-board` });
      expect(board.statusCode).toBe(200);
      for (const item of board.json().items as { title: string; text: string }[]) {
        expect(item.title.length).toBeGreaterThan(0);
        expect(item.text.length).toBeGreaterThan(0);
        shown++;
      }
    }
    expect(shown).toBeGreaterThan(0);
  });
});
