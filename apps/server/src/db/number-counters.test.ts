// Running numbers are one per case or household, however many writes arrive together: on
// PostgreSQL several transactions at once once counted the same rows and drew the same number, and
// all but one failed (a case with 500, a household with 409 household_number_taken).
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../test/case-world.ts';

describe.each(dialects)('running numbers on %s', (dialect) => {
  let world: CaseWorld;

  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
  });

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
    await ctx.deps.db.deleteFrom('number_counters').execute();
    const after = (await world.villager.post('/api/cases/', report(101))).json().number as string;
    expect(Number(after.slice(9))).toBe(Number(before.slice(9)) + 1);
  });

  it('goes on after the highest household number already given, gaps included', async () => {
    const group = world.tree.groupB1;
    for (const number of ['0001', '0002', '0005', 'A7']) {
      const made = await world.cadreB.post('/api/org/households', {
        regionId: group.id,
        headName: '户主',
        number: `${group.code}-${number}`,
      });
      expect(made.statusCode).toBe(201);
    }
    const next = await world.cadreB.post('/api/org/households', { regionId: group.id, headName: '新户主' });
    expect(next.json().number).toBe(`${group.code}-0006`);
  });

  it('gives twelve households created at once in one villager group twelve numbers in a row', async () => {
    const group = world.tree.groupA2;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => world.cadre.post('/api/org/households', { regionId: group.id, headName: `户主${i}` })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(201));
    const numbers = answers.map((a) => a.json().number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `${group.code}-${String(i + 1).padStart(4, '0')}`));
  });
});
