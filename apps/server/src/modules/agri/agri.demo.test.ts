// The demo county's farms on each database (issue 17 item 7): Daxi, the seed article's market
// town, has its villages, 400+ households keeping under-forest chickens and orchards, advice given
// to them before tomorrow's cold snap, and questions; Daxi's extension worker keeps them, Heishui's
// does not reach them. The demo accounts stay as they were.
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { DEMO_STEPS_WITHOUT_CAMERAS, loadDemoCounty } from '../../demo-county.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../org/org.demo.ts';

const DEMO_MS = 240_000;

describe.each(dialects)('the demo county’s farms on %s', (dialect) => {
  const ctx = useTestApp(dialect, async () => {
    await loadDemoCounty(ctx.deps, DEMO_STEPS_WITHOUT_CAMERAS);
  });
  const regionId = async (code: string) =>
    (await ctx.deps.db.selectFrom('regions').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

  it(
    'Daxi has villages whose 400+ households keep chickens and orchards, were advised before the cold snap, and ask questions',
    async () => {
      const daxi = await regionId('500242104');
      const villages = await ctx.deps.db.selectFrom('regions').select('name').where('parent_id', '=', daxi).orderBy('code').execute();
      expect(villages.map((v) => v.name)).toEqual(['林溪村', '果坪村']);

      const worker = await login(ctx.app, '13800000019', DEMO_PASSWORD);
      const figures = (await worker.get(`/api/agri/figures?regionId=${daxi}`)).json();
      expect(figures.farms).toBeGreaterThanOrEqual(400);
      expect(figures.flocksBySpecies.map((f: { species: string }) => f.species)).toEqual(['forestChicken']);
      expect(new Set(figures.plotsByCrop.map((p: { crop: string }) => p.crop))).toEqual(new Set(['kiwifruit', 'pricklyAsh']));
      // The seed's "advice to 400+ households": every farm here has chickens or an orchard, and the cold snap concerns both.
      expect(figures.advice.households).toBeGreaterThanOrEqual(400);
      expect(figures.questions).toMatchObject({ asked: 2, answered: 1, open: 1 });
      expect(figures.byPlace.map((p: { name: string }) => p.name)).toEqual(['林溪村', '果坪村']);
      expect(figures.byMonth.some((m: { salesYuan: number }) => m.salesYuan > 0)).toBe(true);

      // The extension worker's list across Daxi's farms: a season of observations, deaths among them.
      const deaths = (await worker.get('/api/agri/observations?kind=death&limit=5')).json();
      expect(deaths.items.length).toBeGreaterThan(0);
      expect(deaths.items.every((o: { kind: string }) => o.kind === 'death')).toBe(true);
      const questions = (await worker.get('/api/agri/questions')).json().items;
      expect(questions).toHaveLength(2);

      // A householder of Daxi sees the farm, the advice given to it and the answer to the question.
      const grower = await login(ctx.app, '13800000020', DEMO_PASSWORD);
      const farm = (await grower.get('/api/agri/farms/mine')).json();
      expect(farm.plots.length + farm.flocks.length).toBeGreaterThan(0);
      expect((await grower.get(`/api/agri/farms/${farm.household.id}/advice`)).json().items.length).toBeGreaterThan(0);
      const own = (await grower.get('/api/agri/questions')).json().items;
      expect(own).toHaveLength(1);

      // Heishui's extension worker keeps Pingdiba's farms, not Daxi's.
      const heishui = await login(ctx.app, '13800000018', DEMO_PASSWORD);
      expect((await heishui.get(`/api/agri/farms?regionId=${daxi}`)).statusCode).toBe(404);
      const pingdiba = (await heishui.get(`/api/agri/figures?regionId=${await regionId('500242105')}`)).json();
      expect(pingdiba.farms).toBeGreaterThan(30);
      expect(pingdiba.farms).toBeLessThan(60);
    },
    DEMO_MS,
  );

  it('keeps the demo accounts as they were, each with the published password', async () => {
    const phones = DEMO_ACCOUNTS.map((a) => a.phone);
    expect(phones.slice(0, 18)).toEqual(Array.from({ length: 18 }, (_, i) => `138000000${String(i + 1).padStart(2, '0')}`));
    for (const phone of ['13800000003', '13800000011', '13800000017', '13800000018', '13800001001', '13800001007']) {
      expect((await login(ctx.app, phone, DEMO_PASSWORD)).cookie).toBeTruthy();
    }
    // Daxi's grid workers are numbered on from the others'.
    const workers = await ctx.deps.db.selectFrom('users').select('phone').where('phone', 'like', '138000010%').orderBy('phone').execute();
    expect(workers.map((w) => w.phone)).toEqual(Array.from({ length: 11 }, (_, i) => `1380000${1001 + i}`));
  });
});
