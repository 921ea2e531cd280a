// The wall screen on each database: a screen key reads its own region's screen and the places
// under it and nothing else; revoked, it stops at once, its open event stream too; cadres read the
// screen of their place at their desks; issuing and revoking keys are audited. Figures follow the
// data: a change made through the platform moves the section, a screen.changed event goes out, and
// a week of changes leaves the cache, the pending events and the listeners as they were.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCase, buildCaseCategory } from '../../../test/factories/cases.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import type { LiveEvent } from '../../platform/events.ts';
import { insertScreenKey, openKeyStreams } from './dashboard-keys.service.ts';
import { flushChanges, followChanges, liveStats } from './dashboard-live.service.ts';

const VILLAGE_KEY = 'test-screen-village';
const TOWNSHIP_B_KEY = 'test-screen-township-b';

describe.each(dialects)('wall screen on %s', (dialect) => {
  let tree: Tree;
  let cadre: Session;
  let county: Session;
  let cadreB: Session;
  let villager: Session;
  let grid: Session;
  let villagerId = '';
  let categoryId = '';

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const home = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '张三明' });
    const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home.id, name: '张三明' });
    const users = {
      cadre: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA }),
      county: await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county }),
      cadreB: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB }),
      villager: await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: person.id }),
      grid: await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA }),
    };
    villagerId = users.villager.id;
    categoryId = (await buildCaseCategory(ctx.deps, { countyId: tree.county.id, code: 'sanitation', name: '环境卫生' })).id;
    await insertScreenKey(
      ctx.deps.db,
      { regionId: tree.villageA.id, name: '村委会大屏', key: VILLAGE_KEY, createdBy: null },
      ctx.deps.now(),
    );
    await insertScreenKey(
      ctx.deps.db,
      { regionId: tree.townshipB.id, name: '花田乡大屏', key: TOWNSHIP_B_KEY, createdBy: null },
      ctx.deps.now(),
    );
    cadre = await login(ctx.app, users.cadre.phone, PASSWORD);
    county = await login(ctx.app, users.county.phone, PASSWORD);
    cadreB = await login(ctx.app, users.cadreB.phone, PASSWORD);
    villager = await login(ctx.app, users.villager.phone, PASSWORD);
    grid = await login(ctx.app, users.grid.phone, PASSWORD);
  });

  const withKey = (url: string, key: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: `ScreenKey ${key}` } });

  it('a village key reads its screen, all six sections, with no phone or ID number in it', async () => {
    const response = await withKey(`/api/screen/${tree.villageA.id}`, VILLAGE_KEY);
    expect(response.statusCode).toBe(200);
    const screen = response.json();
    expect(screen.region.name).toBe('平地坝村');
    expect(Object.keys(screen.sections).sort()).toEqual(['civility', 'ecology', 'governance', 'industry', 'overview', 'prosperity']);
    expect(screen.sections.overview.households).toBe(1);
    expect(screen.sections.overview.population).toBe(1);
    expect(screen.sections.overview.shape.region.id).toBe(tree.villageA.id);
    expect(response.body).not.toMatch(/1[3-9]\d{9}/);
    expect(response.body).not.toContain('张三明');
    const group = await withKey(`/api/screen/${tree.groupA1.id}/overview`, VILLAGE_KEY);
    expect(group.statusCode).toBe(200);
  });

  it('refuses no key, a wrong key, another region, and any other API for a key', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: `/api/screen/${tree.villageA.id}` })).statusCode).toBe(401);
    expect((await withKey(`/api/screen/${tree.villageA.id}`, 'scr_not-a-key')).statusCode).toBe(401);
    expect((await withKey(`/api/screen/${tree.villageA.id}`, TOWNSHIP_B_KEY)).statusCode).toBe(404);
    expect((await withKey(`/api/screen/${tree.townshipA.id}/overview`, VILLAGE_KEY)).statusCode).toBe(404);
    expect((await withKey(`/api/screen/${tree.county.id}`, VILLAGE_KEY)).statusCode).toBe(404);
    for (const url of ['/api/cases/queue', '/api/org/households', '/api/auth/session', '/api/notifications', '/api/screen/keys']) {
      const response = await withKey(url, VILLAGE_KEY);
      expect([401, 403], url).toContain(response.statusCode);
    }
    const cookie = { cookie: `cz_screen=${VILLAGE_KEY}` };
    expect((await ctx.app.inject({ method: 'GET', url: '/api/org/households', headers: cookie })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/screen/${tree.villageA.id}/civility`, headers: cookie })).statusCode).toBe(
      200,
    );
  });

  it('the session swaps the key for a screen-only cookie', async () => {
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/screen/session', payload: { key: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    const session = await ctx.app.inject({ method: 'POST', url: '/api/screen/session', payload: { key: VILLAGE_KEY } });
    expect(session.statusCode).toBe(200);
    expect(session.json().region.id).toBe(tree.villageA.id);
    const cookie = session.cookies.find((c) => c.name === 'cz_screen');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const again = await ctx.app.inject({ method: 'GET', url: '/api/screen/session', headers: { cookie: `cz_screen=${cookie?.value}` } });
    expect(again.json().keyName).toBe('村委会大屏');
  });

  it('cadres read their own place and below; staff of another place and those without the permission cannot', async () => {
    expect((await cadre.get(`/api/screen/${tree.villageA.id}/governance`)).statusCode).toBe(200);
    expect((await county.get(`/api/screen/${tree.villageA.id}/industry`)).statusCode).toBe(200);
    expect((await county.get(`/api/screen/${tree.county.id}/prosperity`)).statusCode).toBe(200);
    expect((await cadreB.get(`/api/screen/${tree.villageA.id}/governance`)).statusCode).toBe(404);
    expect((await cadre.get(`/api/screen/${tree.townshipA.id}/governance`)).statusCode).toBe(404);
    expect((await villager.get(`/api/screen/${tree.villageA.id}/governance`)).statusCode).toBe(403);
    expect((await grid.get(`/api/screen/${tree.villageA.id}/governance`)).statusCode).toBe(403);
  });

  it('issuing and revoking a key are audited; a revoked key stops at once, its open stream too', async () => {
    const issued = await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '文化广场大屏' });
    expect(issued.statusCode).toBe(201);
    const { id, key } = issued.json();
    expect((await cadreB.post('/api/screen/keys', { regionId: tree.villageA.id, name: 'x' })).statusCode).toBe(404);
    expect((await villager.post('/api/screen/keys', { regionId: tree.villageA.id, name: 'x' })).statusCode).toBe(403);
    const listed = await cadre.get(`/api/screen/keys?regionId=${tree.villageA.id}`);
    expect(listed.json().items.map((k: { id: string }) => k.id)).toContain(id);
    // The list says who issued a key (the demo's keys were issued by no one).
    expect(listed.json().items.find((k: { id: string }) => k.id === id).issuedBy).toEqual(expect.any(String));
    expect(listed.body).not.toContain(key);
    expect((await withKey(`/api/screen/${tree.villageA.id}/overview`, key)).statusCode).toBe(200);

    const stream = await ctx.app.inject({
      method: 'GET',
      url: '/api/events',
      headers: { authorization: `ScreenKey ${key}` },
      payloadAsStream: true,
    });
    expect(stream.statusCode).toBe(200);
    expect(openKeyStreams(ctx.deps)).toBe(1);
    const ended = new Promise<void>((resolve) =>
      stream
        .stream()
        .on('end', () => resolve())
        .resume(),
    );

    expect((await cadreB.delete(`/api/screen/keys/${id}`)).statusCode).toBe(404);
    expect((await cadre.delete(`/api/screen/keys/${id}`)).statusCode).toBe(204);
    await ended;
    expect(openKeyStreams(ctx.deps)).toBe(0);
    expect((await withKey(`/api/screen/${tree.villageA.id}/overview`, key)).statusCode).toBe(401);
    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'outcome'])
      .where('target_id', '=', id)
      .orderBy('id')
      .execute();
    // cadreB's attempt to revoke is recorded as refused.
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'screen.key.issue:ok',
      'screen.key.revoke:denied',
      'screen.key.revoke:ok',
    ]);
    // The desk's list keeps the revoked key a while, marked revoked; revoking it again is 404.
    const after = (await cadre.get(`/api/screen/keys?regionId=${tree.villageA.id}`)).json().items;
    expect(after.find((k: { id: string }) => k.id === id).revokedAt).toEqual(expect.any(String));
    expect((await cadre.delete(`/api/screen/keys/${id}`)).statusCode).toBe(404);
  });

  it('a figure follows the data: a new case moves governance, and the screen hears of it once', async () => {
    const before = (await withKey(`/api/screen/${tree.villageA.id}/governance`, VILLAGE_KEY)).json();
    const heard: LiveEvent[] = [];
    const unsubscribe = ctx.deps.events.subscribe((e) => heard.push(e));
    for (let i = 0; i < 5; i++)
      await buildCase(ctx.deps, { reporterId: villagerId, regionId: tree.groupA1.id, categoryId, title: `垃圾堆放${i}` });
    await followChanges(ctx.deps);
    flushChanges(ctx.deps);
    unsubscribe();
    const governance = heard.filter((e) => e.type === 'screen.changed' && (e.data as { section: string }).section === 'governance');
    expect(governance.map((e) => e.data)).toEqual([{ regionId: tree.villageA.id, section: 'governance' }]);
    const after = (await withKey(`/api/screen/${tree.villageA.id}/governance`, VILLAGE_KEY)).json();
    expect(after.received).toBe(before.received + 5);
    const ecology = (await withKey(`/api/screen/${tree.villageA.id}/ecology`, VILLAGE_KEY)).json();
    expect(ecology.environment.received).toBe(before.received + 5);
  });

  it('a week on the wall, accelerated: cache, pending events and listeners stay flat', async () => {
    for (const section of ['overview', 'governance', 'ecology', 'civility', 'industry', 'prosperity']) {
      expect((await withKey(`/api/screen/${tree.villageA.id}/${section}`, VILLAGE_KEY)).statusCode).toBe(200);
    }
    let delivered = 0;
    const unsubscribe = ctx.deps.events.subscribe(() => delivered++);
    const sizes: ReturnType<typeof liveStats>[] = [];
    // A week in steps of two hours: each step a burst of reports, the poll, the flush, and the screen refetching.
    for (let step = 0; step < 7 * 12; step++) {
      ctx.clock.advance(2 * 3_600_000);
      await buildCase(ctx.deps, { reporterId: villagerId, regionId: tree.groupA1.id, categoryId, title: `第${step}次` });
      await followChanges(ctx.deps);
      flushChanges(ctx.deps);
      for (const section of ['overview', 'governance', 'ecology']) await withKey(`/api/screen/${tree.villageA.id}/${section}`, VILLAGE_KEY);
      sizes.push(liveStats(ctx.deps));
    }
    unsubscribe();
    expect(delivered).toBe(7 * 12 * 3);
    const first = sizes[5] as ReturnType<typeof liveStats>;
    const last = sizes[sizes.length - 1] as ReturnType<typeof liveStats>;
    expect(last.entries).toBe(first.entries);
    expect(last.regions).toBe(first.regions);
    expect(last.pending).toBe(0);
    expect(last.seen).toBeLessThanOrEqual(first.seen + 5);
    expect(last.generations).toBeLessThanOrEqual(first.generations);
    expect(openKeyStreams(ctx.deps)).toBe(0);
    const governance = (await withKey(`/api/screen/${tree.villageA.id}/governance`, VILLAGE_KEY)).json();
    expect(governance.received).toBeGreaterThanOrEqual(7 * 12);
  });
});
