// The demo county's civility ranking (issue 19): a share of each village's households agreed to be
// named in the public ranking (most of Pingdiba's), so the wall screen's ranking and the village's
// public page show households; no household that did not agree is named. Only the org, points and
// screens steps are loaded.
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../../../test/build-test-app.ts';
import { DEMO_STEPS, loadDemoCounty } from '../../demo-county.ts';
import { DEMO_SCREEN_KEY_PINGDIBA } from '../dashboard/dashboard.demo.ts';

describe.each(dialects)('the demo county’s public ranking on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  it('names a share of the households that agreed, most in Pingdiba, and the wall ranks them', async () => {
    await loadDemoCounty(
      ctx.deps,
      DEMO_STEPS.filter((step) => ['org', 'points', 'screens'].includes(step.name)),
    );
    const villages = await ctx.deps.db.selectFrom('regions').select(['id', 'code']).where('level', '=', 'village').execute();
    const accounts = await ctx.deps.db.selectFrom('points_accounts').select(['village_id', 'public_name']).execute();
    const shareOf = (villageId: string) => {
      const mine = accounts.filter((a) => a.village_id === villageId);
      return mine.filter((a) => a.public_name === 1).length / mine.length;
    };
    const pingdiba = villages.find((v) => v.code === '500242105201');
    if (!pingdiba) throw new Error('Pingdiba missing');
    expect(shareOf(pingdiba.id)).toBeGreaterThan(0.4);
    expect(shareOf(pingdiba.id)).toBeLessThan(0.8);
    const others = villages.filter((v) => v.id !== pingdiba.id && accounts.some((a) => a.village_id === v.id));
    expect(others.length).toBeGreaterThan(0);
    for (const village of others) expect(shareOf(village.id), village.code).toBeLessThan(0.5);
    expect(others.some((v) => shareOf(v.id) > 0)).toBe(true);

    const civility = await ctx.app.inject({
      method: 'GET',
      url: `/api/screen/${pingdiba.id}/civility`,
      headers: { authorization: `ScreenKey ${DEMO_SCREEN_KEY_PINGDIBA}` },
    });
    expect(civility.statusCode).toBe(200);
    const ranking = civility.json().ranking as { rank: number; name: string; points: number }[];
    expect(ranking.length).toBeGreaterThanOrEqual(5);
    for (const row of ranking) expect(row.name).toMatch(/^.\*$/u);

    // The village's public page names those who agreed and masks the others.
    const page = await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${pingdiba.id}/points-ranking` });
    expect(page.statusCode).toBe(200);
    const names = (page.json().items as { name: string }[]).map((i) => i.name);
    expect(names.some((n) => !n.includes('*'))).toBe(true);
    expect(names.some((n) => n.includes('*'))).toBe(true);
  });
});
