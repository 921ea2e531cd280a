import { idNumberProblem } from '@cunzhi/contracts/id-number';
import { ROLES } from '@cunzhi/contracts/roles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type TestContext } from '../../../test/build-test-app.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDatabaseEmpty, seedDemoOrg } from './org.demo.ts';

describe.each(dialects)('the demo county on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
  });
  afterAll(() => ctx.close());

  it('loads Youyang with the seed townships and villages, 200+ households and an account per role', async () => {
    expect(await isDatabaseEmpty(ctx.deps.db)).toBe(true);
    const demo = await seedDemoOrg(ctx.deps);
    expect(await isDatabaseEmpty(ctx.deps.db)).toBe(false);
    expect(demo.householdCount).toBeGreaterThanOrEqual(200);
    const names = (await ctx.deps.db.selectFrom('regions').select(['name', 'level']).execute()).map((r) => r.name);
    for (const name of ['大溪镇', '黑水镇', '花田乡', '涂市镇', '清泉乡', '龚滩镇', '平地坝村', '何家岩村', '地灵村', '清溪村']) {
      expect(names).toContain(name);
    }
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(ROLES));
    const grids = await ctx.deps.db.selectFrom('grids').select('id').execute();
    const workers = await ctx.deps.db.selectFrom('role_assignments').select('grid_id').where('role', '=', 'gridWorker').execute();
    expect(new Set(workers.map((w) => w.grid_id))).toEqual(new Set(grids.map((g) => g.id)));
  });

  it('gives every demo person a valid, protected ID number', async () => {
    const people = await ctx.deps.db.selectFrom('people').select(['id_number_enc']).execute();
    for (const person of people) expect(idNumberProblem(ctx.deps.vault.decrypt(person.id_number_enc as string))).toBeNull();
  });

  it('lets the demo villager log in and see their own household', async () => {
    const villager = DEMO_ACCOUNTS.find((a) => a.role === 'villager');
    const session = await login(ctx.app, villager?.phone as string, DEMO_PASSWORD);
    const households = (await session.get('/api/org/households')).json().items;
    expect(households).toHaveLength(1);
    expect(households[0].headName).toBe('冉鲜荣');
  });
});
