// The case lists answer with summaries (contracts CaseSummary): each row says what the list shows
// and what the caller may do, the same as the whole case says, and nothing more of the case.
import { describe, expect, it } from 'vitest';
import { dialects, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';

const SUMMARY_FIELDS = [
  'allowedActions',
  'categoryName',
  'createdAt',
  'deadlineAt',
  'handlerName',
  'id',
  'number',
  'overdue',
  'regionName',
  'state',
  'title',
];

type Row = Record<string, unknown> & { id: string };

describe.each(dialects)('case lists on %s', (dialect) => {
  let world: CaseWorld;
  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
  });

  const report = (session: Session, overrides: Record<string, unknown> = {}) =>
    session.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '路灯坏了',
      description: '三组路口的路灯一直不亮，电话 13912345678',
      ...overrides,
    });
  const act = (session: Session, id: string, body: Record<string, unknown>) => session.post(`/api/cases/${id}/transitions`, body);
  const rowOf = async (session: Session, query: string, id: string): Promise<Row> => {
    const listed = (await session.get(`/api/cases?${query}`)).json() as { items: Row[] };
    const row = listed.items.find((c) => c.id === id);
    if (!row) throw new Error(`case ${id} is not in the list ${query}`);
    return row;
  };
  /** A list row next to the whole case as the same person reads it. */
  const expectSameAsWhole = async (session: Session, row: Row) => {
    const whole = (await session.get(`/api/cases/${row.id}`)).json() as Row;
    expect(Object.keys(row).sort()).toEqual(SUMMARY_FIELDS);
    for (const field of SUMMARY_FIELDS) expect({ field, value: row[field] }).toEqual({ field, value: whole[field] });
  };

  it('shows the grid worker, the cadre and the reporter a summary that agrees with the whole case, without the report itself', async () => {
    const created = (await report(world.villager)).json();
    const mine = await rowOf(world.gridWorker, 'view=mine', created.id);
    await expectSameAsWhole(world.gridWorker, mine);
    expect(mine.allowedActions).toEqual(expect.arrayContaining(['accept', 'transfer']));
    expect(mine.handlerName).not.toBeNull();
    const asCadre = await rowOf(world.cadre, 'view=region', created.id);
    await expectSameAsWhole(world.cadre, asCadre);
    // The worker's own name comes from their session, anyone else's from the accounts: the same name.
    expect(asCadre.handlerName).toBe(mine.handlerName);
    await expectSameAsWhole(world.villager, await rowOf(world.villager, 'view=reported', created.id));
    // The desk's search answers with the same rows.
    await expectSameAsWhole(world.cadre, await rowOf(world.cadre, `view=region&q=${encodeURIComponent('路灯')}`, created.id));
    // What the reporter wrote and who they are stay on the whole case.
    const body = (await world.gridWorker.get('/api/cases?view=mine')).body;
    expect(body).not.toContain('13912345678');
    expect(body).not.toContain(world.villagerName);
  });

  it('offers each person in a list the actions the whole case offers them, as the case moves on', async () => {
    const routed = (await report(world.villager, { categoryId: world.categories.permit })).json();
    const queued = await rowOf(world.handler, 'view=mine', routed.id);
    expect(queued.handlerName).toBe('县交通局');
    await expectSameAsWhole(world.handler, queued);
    for (const action of ['accept', 'handle']) expect((await act(world.handler, routed.id, { action })).statusCode).toBe(200);
    expect((await act(world.handler, routed.id, { action: 'reply', note: '已处理' })).statusCode).toBe(200);
    const reported = await rowOf(world.villager, 'view=reported', routed.id);
    expect(reported.state).toBe('replied');
    expect(reported.allowedActions).toEqual(expect.arrayContaining(['rate', 'object']));
    await expectSameAsWhole(world.villager, reported);
    // The village's cadre supervises it: a supervisor's actions, never the reporter's objection.
    const asCadre = await rowOf(world.cadre, 'view=region&state=replied', routed.id);
    expect(asCadre.allowedActions).not.toContain('object');
    await expectSameAsWhole(world.cadre, asCadre);
  });

  it('counts for the reporter alone the cases that wait for their rating, until rated', async () => {
    const awaiting = async (session: Session) => {
      const answer = await session.get('/api/cases/awaiting-my-rating');
      expect(answer.statusCode).toBe(200);
      return answer.json().count as number;
    };
    const routed = (await report(world.villager, { categoryId: world.categories.permit })).json();
    (await report(world.villager)).json();
    expect(await awaiting(world.villager)).toBe(0);
    for (const action of ['accept', 'handle']) expect((await act(world.handler, routed.id, { action })).statusCode).toBe(200);
    expect(await awaiting(world.villager)).toBe(0);
    expect((await act(world.handler, routed.id, { action: 'reply', note: '已处理' })).statusCode).toBe(200);
    expect(await awaiting(world.villager)).toBe(1);
    // Nobody else's figure moves: not the same household's, a neighbour's, nor the handler's.
    for (const other of [world.sameHousehold, world.neighbour, world.handler, world.cadre]) expect(await awaiting(other)).toBe(0);
    expect((await act(world.villager, routed.id, { action: 'rate', rating: 5 })).statusCode).toBe(200);
    expect(await awaiting(world.villager)).toBe(0);
  });

  it('lists possible duplicates as summaries with their distance', async () => {
    const here = { latitude: 28.84, longitude: 108.77 };
    const first = (await report(world.villager, here)).json();
    const second = (await report(world.villager, { ...here, title: '路灯又坏了' })).json();
    const offered = (await world.gridWorker.get(`/api/cases/${first.id}/duplicates`)).json().items as Row[];
    expect(offered.map((c) => c.id)).toEqual([second.id]);
    const [row] = offered as [Row];
    expect(row.distanceMeters).toBe(0);
    const { distanceMeters: _, ...summary } = row;
    await expectSameAsWhole(world.gridWorker, { ...summary, id: row.id });
  });
});
