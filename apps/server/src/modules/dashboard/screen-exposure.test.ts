// What a wall screen must not give away (issue 19, the attacker's findings): the map shows no
// anonymous report, no report the public pages do not show, no case about a person, and no exact
// position; withdrawing consent to public display drops the cached ranking at once; a screen key
// is for a county, township or village, never a villager group; the figures a wall reads are audited under its key.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCase, buildCaseCategory } from '../../../test/factories/cases.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import type { LiveEvent } from '../../platform/events.ts';
import { insertScreenKey } from './dashboard-keys.service.ts';
import { flushChanges, followChanges } from './dashboard-live.service.ts';

const KEY = 'test-screen-exposure';

describe.each(dialects)('what the wall screen keeps back on %s', (dialect) => {
  let tree: Tree;
  let cadre: Session;
  let villager: Session;
  let villagerId = '';
  let personId = '';

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const home = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '李四海' });
    const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home.id, name: '李四海' });
    personId = person.id;
    const users = {
      cadre: await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA }),
      villager: await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: person.id }),
    };
    villagerId = users.villager.id;
    await insertScreenKey(ctx.deps.db, { regionId: tree.villageA.id, name: '村委会大屏', key: KEY, createdBy: null }, ctx.deps.now());
    cadre = await login(ctx.app, users.cadre.phone, PASSWORD);
    villager = await login(ctx.app, users.villager.phone, PASSWORD);
  });

  const read = (url: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: `ScreenKey ${KEY}` } });

  it('the map shows only public, named reports of place categories, snapped to a grid', async () => {
    const category = async (code: string, name: string) => (await buildCaseCategory(ctx.deps, { countyId: tree.county.id, code, name })).id;
    const sanitation = await category('sanitation', '环境卫生');
    const elderly = await category('elderly', '孤寡老人帮扶');
    const dispute = await category('dispute', '邻里纠纷');
    const social = await category('social', '社会保障');
    const report = async (categoryId: string, title: string, extra: { anonymous?: boolean; publicState?: string } = {}) => {
      const made = await buildCase(ctx.deps, {
        reporterId: villagerId,
        regionId: tree.groupA1.id,
        categoryId,
        title,
        anonymous: extra.anonymous,
      });
      await ctx.deps.db
        .updateTable('cases')
        .set({ latitude: 28.812345, longitude: 108.771234, public_state: extra.publicState ?? null })
        .where('id', '=', made.id)
        .execute();
      return made.id;
    };
    const shown = await report(sanitation, '垃圾池满了');
    const published = await report(sanitation, '河沟垃圾', { publicState: 'published' });
    const hidden = [
      await report(sanitation, '匿名反映', { anonymous: true }),
      await report(sanitation, '待审核曝光', { publicState: 'pending' }),
      await report(sanitation, '未通过曝光', { publicState: 'rejected' }),
      await report(elderly, '独居老人'),
      await report(dispute, '邻居占院坝'),
      await report(social, '低保咨询'),
    ];
    const response = await read(`/api/screen/${tree.villageA.id}/overview`);
    expect(response.statusCode).toBe(200);
    const cases: { id: string; lat: number; lon: number; categoryName: string }[] = response.json().cases;
    expect(cases.map((c) => c.id).sort()).toEqual([shown, published].sort());
    for (const id of hidden) expect(response.body).not.toContain(id);
    for (const c of cases) {
      // 28.812345, 108.771234 falls in the cell 28.810..28.815 x 108.770..108.775: its centre is shown.
      expect(c.lat).toBe(28.8125);
      expect(c.lon).toBe(108.7725);
    }
    const whole = await read(`/api/screen/${tree.villageA.id}`);
    expect(
      whole
        .json()
        .sections.overview.cases.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([shown, published].sort());
  });

  it('withdrawing consent to public display drops the cached ranking and tells the screen', async () => {
    expect((await read(`/api/screen/${tree.villageA.id}/civility`)).statusCode).toBe(200);
    await followChanges(ctx.deps);
    flushChanges(ctx.deps);
    const heard: LiveEvent[] = [];
    const unsubscribe = ctx.deps.events.subscribe((e) => heard.push(e));
    const withdrawn = await villager.post(`/api/privacy/people/${personId}/consents`, { purpose: 'publicDisplay', granted: false });
    expect(withdrawn.statusCode).toBeLessThan(300);
    await followChanges(ctx.deps);
    flushChanges(ctx.deps);
    unsubscribe();
    const civility = heard.filter((e) => e.type === 'screen.changed' && (e.data as { section: string }).section === 'civility');
    expect(civility.map((e) => e.data)).toContainEqual({ regionId: tree.villageA.id, section: 'civility' });
  });

  it('refuses a key for a villager group, and a name of only spaces', async () => {
    const group = await cadre.post('/api/screen/keys', { regionId: tree.groupA1.id, name: '小组大屏' });
    expect(group.statusCode).toBe(400);
    expect(group.json().error.code).toBe('screen_key_below_village');
    expect((await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '   ' })).statusCode).toBe(400);
    expect((await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '村口大屏' })).statusCode).toBe(201);
  });

  it('a retried issue never shows the key twice; another body under the key is 422', async () => {
    const headers = { 'idempotency-key': 'issue-wall-1' };
    const first = await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '祠堂大屏' }, headers);
    expect(first.statusCode).toBe(201);
    const again = await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '祠堂大屏' }, headers);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('screen_key_already_shown');
    expect(again.body).not.toContain(first.json().key);
    const listed = (await cadre.get(`/api/screen/keys?regionId=${tree.villageA.id}`)).json().items;
    expect(listed.filter((k: { name: string }) => k.name === '祠堂大屏')).toHaveLength(1);
    const other = await cadre.post('/api/screen/keys', { regionId: tree.villageA.id, name: '别的大屏' }, headers);
    expect(other.statusCode).toBe(422);
  });

  it('refused key management is audited: another region and a caller without the permission', async () => {
    const cadreB = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone, PASSWORD);
    const grid = await login(
      ctx.app,
      (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone,
      PASSWORD,
    );
    expect((await cadreB.post('/api/screen/keys', { regionId: tree.villageA.id, name: '越权大屏' })).statusCode).toBe(404);
    expect((await grid.post('/api/screen/keys', { regionId: tree.villageA.id, name: '越权大屏' })).statusCode).toBe(403);
    const denied = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'screen.key.issue')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied).toHaveLength(2);
  });

  it('the farm and poverty figures a wall reads are audited under its key, so the log tells which wall read what', async () => {
    const key = await ctx.deps.db.selectFrom('screen_keys').select('id').where('name', '=', '村委会大屏').executeTakeFirstOrThrow();
    expect((await read(`/api/screen/${tree.villageA.id}/industry`)).statusCode).toBe(200);
    expect((await read(`/api/screen/${tree.villageA.id}/prosperity`)).statusCode).toBe(200);
    const reads = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'actor_role', 'region_id'])
      .where('action', 'in', ['agri.figures.read', 'poverty.figures.read'])
      .orderBy('id')
      .execute();
    expect(reads).toEqual([
      { action: 'agri.figures.read', actor_user_id: `screen-key:${key.id}`, actor_role: 'screen', region_id: tree.villageA.id },
      { action: 'poverty.figures.read', actor_user_id: `screen-key:${key.id}`, actor_role: 'screen', region_id: tree.villageA.id },
    ]);
  });
});
