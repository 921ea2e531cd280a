// The demo county's monitored households (issue 18 item 7): every village has a handful at
// different steps, one of them removed after a year above the line; Pingdiba's grid worker finds
// the visit and the home visit due on the task list, and the notice board shows the one under
// notice. Only the org and poverty steps are loaded.
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { DEMO_STEPS, loadDemoCounty } from '../../demo-county.ts';
import { DEMO_PASSWORD } from '../org/org.demo.ts';

describe.each(dialects)('the demo county’s poverty monitoring on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  it('gives each village five monitored households at different steps, one removed after a year above the line', async () => {
    let povertyMs = 0;
    await loadDemoCounty(
      ctx.deps,
      DEMO_STEPS.filter((step) => step.name === 'org' || step.name === 'poverty').map((step) => ({
        name: step.name,
        run: async (deps, state) => {
          const started = Date.now();
          await step.run(deps, state);
          if (step.name === 'poverty') povertyMs = Date.now() - started;
        },
      })),
    );
    const villages = await ctx.deps.db.selectFrom('regions').select(['id', 'code']).where('level', '=', 'village').execute();
    const rows = await ctx.deps.db.selectFrom('poverty_monitored').select(['village_id', 'status', 'done_steps', 'removed_at']).execute();
    for (const village of villages) {
      const mine = rows.filter((r) => r.village_id === village.id);
      expect(
        mine.map((r) => `${r.status}:${r.done_steps}`),
        village.code,
      ).toEqual(expect.arrayContaining(['identifying:0', 'identifying:3', 'identifying:5', 'monitored:0', 'removed:0']));
    }
    const removed = await ctx.deps.db
      .selectFrom('poverty_economics')
      .innerJoin('poverty_monitored', 'poverty_monitored.household_id', 'poverty_economics.household_id')
      .select(['poverty_economics.per_capita_last12', 'poverty_economics.recorded_at', 'poverty_monitored.removed_at'])
      .where('poverty_monitored.status', '=', 'removed')
      .execute();
    const aboveForAYear = removed.filter((r) => Number(r.recorded_at) > Number(r.removed_at) - 365 * 24 * 3_600_000 + 60 * 24 * 3_600_000);
    expect(aboveForAYear.every((r) => r.per_capita_last12 > 7600)).toBe(true);

    const grid = await login(ctx.app, '13800000004', DEMO_PASSWORD);
    const tasks = (await grid.get('/api/poverty/tasks')).json().items as { kind: string; step: string | null }[];
    expect(tasks).toContainEqual(expect.objectContaining({ kind: 'visitDue' }));
    expect(tasks).toContainEqual(expect.objectContaining({ kind: 'stepDue', step: 'homeVisit' }));
    const pingdiba = villages.find((v) => v.code === '500242105201')?.id;
    const board = await ctx.app.inject({ method: 'GET', url: `/api/public/poverty-notices?villageId=${pingdiba}` });
    expect(board.json().items).toHaveLength(1);
    const county = await login(ctx.app, '13800000001', DEMO_PASSWORD);
    const figures = (await county.get('/api/poverty/figures')).json();
    expect(figures.region.removed).toBeGreaterThanOrEqual(0);
    expect(figures.region.monitored).toBe(rows.filter((r) => r.status === 'monitored').length);
    // Each township its own figures (a newcomer found every township's row the same).
    const shown = figures.children.map((c: { followed: number; monitored: number; newThisMonth: number }) =>
      [c.followed, c.monitored, c.newThisMonth].join('/'),
    );
    expect(shown.length).toBeGreaterThan(1);
    expect(new Set(shown).size, shown.join(' ')).toBe(shown.length);
    expect(figures.incomeTrend.length).toBeGreaterThan(0);
    // Straight inserts, one transaction per village: a few seconds at most even on a loaded machine.
    expect(povertyMs, `the poverty step took ${povertyMs} ms`).toBeLessThan(20_000);
  }, 180_000);
});
