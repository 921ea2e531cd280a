// Case numbers (20261201-00042) are one per case and day, however many reports arrive together:
// on PostgreSQL several transactions at once once drew the same number and all but one failed (500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, type TestContext } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';

describe.each(dialects)('case numbers on %s', (dialect) => {
  let ctx: TestContext;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    world = await buildCaseWorld(ctx);
  });
  afterAll(() => ctx.close());

  const report = (i: number) => ({
    source: 'villagerVoice',
    channel: 'app',
    categoryId: world.categories.road,
    regionId: world.tree.groupA1.id,
    title: `路灯坏了 ${i}`,
    description: '晚上看不见路',
  });

  it('gives twelve reports sent at once twelve different numbers of the day, in a row', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => world.villager.post('/api/cases/', report(i))));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(201));
    const numbers = answers.map((a) => a.json().number as string).sort();
    expect(new Set(numbers).size).toBe(12);
    const day = numbers[0]?.slice(0, 8);
    expect(numbers.every((n) => n.startsWith(`${day}-`))).toBe(true);
    expect(numbers.map((n) => Number(n.slice(9)))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('goes on from the cases already numbered that day when the day has no counter yet', async () => {
    const before = (await world.villager.post('/api/cases/', report(100))).json().number as string;
    await ctx.deps.db.deleteFrom('case_number_counters').execute();
    const after = (await world.villager.post('/api/cases/', report(101))).json().number as string;
    expect(Number(after.slice(9))).toBe(Number(before.slice(9)) + 1);
  });
});
