// The demo county loads all or nothing, and what of it is left is found for a production start.
import { describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type TestContext, useTestApp } from '../test/build-test-app.ts';
import { DEMO_STEPS, type DemoStep, findDemoLeftovers, isDemoIncomplete, loadDemoCounty } from './demo-county.ts';
import { accountCredentials } from './modules/auth/credentials.service.ts';
import { isDatabaseEmpty, seedDemoOrg } from './modules/org/org.demo.ts';

const count = async (ctx: TestContext, table: 'households' | 'cases' | 'notices' | 'users' | 'api_keys') =>
  Number(
    (
      await ctx.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The whole county, a week of camera pictures painted and compared included, on a loaded CI machine. */
const WHOLE_COUNTY_MS = 120_000;

describe.each(dialects)('loading the demo county on %s', (dialect) => {
  const ctx = useTestApp(dialect, async () => {});

  it('finds nothing of the demo in an empty database', async () => {
    expect(await findDemoLeftovers(ctx.deps)).toEqual([]);
  });

  it(
    'leaves the database empty when a step fails after households and cases are in (issue 12, item 13)',
    async () => {
      const crash: DemoStep = {
        name: 'crash',
        run: async () => {
          throw new Error('killed midway');
        },
      };
      // After org, cases, open311, points and care: households, cases and keys were all written.
      const steps = [...DEMO_STEPS.slice(0, 5), crash, ...DEMO_STEPS.slice(5)];
      await expect(loadDemoCounty(ctx.deps, steps)).rejects.toThrow('killed midway');
      expect(await isDatabaseEmpty(ctx.deps.db)).toBe(true);
      expect(await count(ctx, 'households')).toBe(0);
      expect(await count(ctx, 'cases')).toBe(0);
      expect(await count(ctx, 'api_keys')).toBe(0);
      expect(await findDemoLeftovers(ctx.deps)).toEqual([]);
    },
    // Five of the county's steps (its 1,500 cases among them) are loaded before the crash: 38 s on
    // PostgreSQL at load 9, past the default 30.
    WHOLE_COUNTY_MS,
  );

  it(
    'loads the whole county, and only once, and names every published key, every demo account and the load record for a production start to refuse on',
    async () => {
      const loaded = await loadDemoCounty(ctx.deps);
      // 220 in the first four villages, 430 in Daxi's two (issue 17).
      expect(loaded).toEqual({ households: 650, people: expect.any(Number), cases: 1500 });
      expect(await count(ctx, 'households')).toBe(650);
      expect(await count(ctx, 'cases')).toBeGreaterThan(0);
      expect(await count(ctx, 'notices')).toBeGreaterThan(0);
      expect(await isDemoIncomplete(ctx.deps)).toBe(false);
      const users = await count(ctx, 'users');
      expect(await loadDemoCounty(ctx.deps)).toBeUndefined();
      expect(await count(ctx, 'users')).toBe(users);
      const villager = await login(ctx.app, '13800000011', 'Cunzhi2026');
      expect((await villager.get('/api/notices/inbox')).json().items.length).toBeGreaterThan(0);

      // What a production start refuses on, from the same load (a second whole county took 10-14 s more).
      const leftovers = await findDemoLeftovers(ctx.deps);
      for (const key of ['demo-gateway-key', 'demo-open311-key', 'demo-speaker-key', 'demo-loudspeaker-key']) {
        expect(leftovers).toContainEqual(expect.stringContaining(`"${key}"`));
      }
      expect(leftovers).toContain('the demo account 13800000001 with the published demo password');
      expect(leftovers).toContain(`the demo's key-only account "gateway-huatian"`);
      expect(leftovers).toContain('the record of a demo county load (audit action demo.seed)');
      // A demo phone whose password was changed is an ordinary account.
      const admin = await login(ctx.app, '13800000001', 'Cunzhi2026');
      const changed = await admin.post('/api/auth/password', { currentPassword: 'Cunzhi2026', newPassword: 'Another2027' });
      expect(changed.statusCode).toBeLessThan(300);
      expect(await findDemoLeftovers(ctx.deps)).not.toContain('the demo account 13800000001 with the published demo password');
    },
    WHOLE_COUNTY_MS,
  );
});

describe.each(dialects)('a demo left half-loaded by an earlier version on %s', (dialect) => {
  it('is told apart from a complete demo, so the start can say how to reload it', async () => {
    const ctx = await buildTestApp(dialect);
    try {
      await seedDemoOrg(ctx.deps, accountCredentials);
      expect(await isDemoIncomplete(ctx.deps)).toBe(true);
      expect(await loadDemoCounty(ctx.deps)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });
});
