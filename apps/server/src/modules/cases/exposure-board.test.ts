// The public exposure board (曝光台) of a village: newest report first by when it was reported,
// paged with a cursor so a phone loads a screenful at a time, and a walk through every page
// shows each published report exactly once.
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';

type Item = { id: string; number: string; title: string; createdAt: string };

describe.each(dialects)('the public exposure board on %s', (dialect) => {
  let world: CaseWorld;
  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
  });

  /** Reports and publishes one exposure-board report at `at` (ms); returns its number. */
  /** A report published at `at`, by the villager or (`by`) a neighbour: one villager files at most 20 a day. */
  const publishAt = async (at: number, title: string, by: 'villager' | 'neighbour' = 'villager') => {
    ctx.clock.now = at;
    const created = await world[by].post('/api/cases', {
      source: 'exposureBoard',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title,
      description: `${title}，请村里看看`,
    });
    expect(created.statusCode).toBe(201);
    const published = await world.cadre.post(`/api/cases/${created.json().id}/moderation`, { decision: 'publish' });
    expect(published.statusCode).toBe(200);
    return created.json().number as string;
  };

  const board = (query: string) => ctx.app.inject({ url: `/api/public/villages/${world.tree.villageA.id}/exposure-board?${query}` });

  it('lists reports newest first by when they were reported, not by when their rows were written', async () => {
    const base = ctx.clock.now;
    const minute = 60_000;
    // Written in this order (so ids ascend in it) but reported at these times: the order the
    // demo's backdated reports and any import produce.
    const older = await publishAt(base - 20 * minute, '河沟里有垃圾');
    const newest = await publishAt(base - 1 * minute, '路灯不亮');
    const oldest = await publishAt(base - 25 * minute, '井盖松了');
    const middle = await publishAt(base - 10 * minute, '渠道堵了');
    ctx.clock.now = base;

    const page = await board('limit=20');
    expect(page.statusCode).toBe(200);
    const items: Item[] = page.json().items;
    expect(items.map((i) => i.number)).toEqual([newest, middle, older, oldest]);
    const times = items.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.json().nextCursor).toBeNull();
  });

  it('pages with a cursor: every report once, in order, across pages and across reports of the same millisecond', async () => {
    const base = ctx.clock.now;
    const minute = 60_000;
    // 23 reports, written in a shuffled order of report times; three pairs share a millisecond so
    // the id has to break the tie, one of them right at a page boundary.
    const offsets = [7, 3, 19, 0, 12, 12, 5, 22, 1, 9, 9, 16, 2, 20, 14, 4, 11, 18, 6, 6, 21, 8, 13];
    const written: string[] = [];
    for (const [i, offset] of offsets.entries())
      written.push(await publishAt(base - offset * minute, `第${i + 1}件事`, i % 2 === 0 ? 'villager' : 'neighbour'));
    ctx.clock.now = base;

    const seen: Item[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await board(`limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode).toBe(200);
      pageSizes.push(page.json().items.length);
      seen.push(...page.json().items);
      cursor = page.json().nextCursor;
    } while (cursor);

    expect(pageSizes).toEqual([10, 10, 3]);
    expect(new Set(seen.map((i) => i.number))).toEqual(new Set(written));
    expect(seen).toHaveLength(offsets.length);
    // Newest first, and within one millisecond by id, newest first too.
    const sorted = [...seen].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1));
    expect(seen.map((i) => i.number)).toEqual(sorted.map((i) => i.number));
    // What the public sees of a report is unchanged: no reporter, no place, no phone.
    expect(Object.keys(seen[0] as object).sort()).toEqual(
      ['categoryName', 'closedAt', 'createdAt', 'id', 'meTooCount', 'number', 'photos', 'state', 'text', 'title'].sort(),
    );
  });

  it('answers a cursor it did not make with 400, not a database error', async () => {
    const forged = Buffer.from(JSON.stringify(['not-a-time', 'x'])).toString('base64url');
    const answer = await board(`cursor=${forged}`);
    expect(answer.statusCode).toBe(400);
  });
});
