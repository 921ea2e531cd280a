import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { REPORTS_PER_DAY } from './cases.service.ts';

describe.each(dialects)('cases on %s', (dialect) => {
  let tree: Tree;
  let gridWorker: Session;
  let cadre: Session;
  let cadreB: Session;
  let villager: Session;
  let neighbour: Session;
  let sameHousehold: Session;
  let handler: Session;
  let gridWorkerId: string;
  let categories: CaseWorld['categories'];
  let departmentId: string;

  const ctx = useTestApp(dialect, async () => {
    ({ tree, gridWorker, cadre, cadreB, villager, neighbour, sameHousehold, handler, gridWorkerId, categories, departmentId } =
      await buildCaseWorld(ctx));
  });

  const report = (session: Session, overrides: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    session.post(
      '/api/cases',
      {
        source: 'villagerVoice',
        channel: 'app',
        categoryId: categories.road,
        regionId: tree.groupA1.id,
        title: '村道塌了一块',
        description: '二组路口塌陷，摩托车过不去',
        ...overrides,
      },
      headers,
    );
  const act = (session: Session, id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    session.post(`/api/cases/${id}/transitions`, body, headers);

  it('takes the id a phone minted offline, once, so its photos can follow the report', async () => {
    const id = uuidv7();
    const headers = { 'idempotency-key': id };
    const first = await report(villager, { id }, headers);
    expect(first.statusCode).toBe(201);
    expect(first.json().id).toBe(id);
    expect((await report(villager, { id }, headers)).json().id).toBe(id);
    const taken = await report(neighbour, { id });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('id_taken');
    expect((await report(villager, { id: 'not-a-uuid' })).statusCode).toBe(400);
  });

  it('answers the same Idempotency-Key with another body 422 before looking at the id it carries; another key on a taken id is 409', async () => {
    const id = uuidv7();
    const key = uuidv7();
    expect((await report(villager, { id }, { 'idempotency-key': key })).statusCode).toBe(201);
    const reused = await report(villager, { id, description: '又塌了一块' }, { 'idempotency-key': key });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    // The same key on another report (another id) is the same misuse.
    const elsewhere = await report(villager, { id: uuidv7(), title: '另一件事' }, { 'idempotency-key': key });
    expect(elsewhere.statusCode).toBe(422);
    // A fresh key with the same body is the same report; with another body the id is taken.
    const resent = await report(villager, { id }, { 'idempotency-key': uuidv7() });
    expect(resent.statusCode).toBe(201);
    expect(resent.json().id).toBe(id);
    const clash = await report(villager, { id, description: '又塌了一块' }, { 'idempotency-key': uuidv7() });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('id_taken');
    // The key that came with the resend holds the answer too.
    const fresh = uuidv7();
    expect((await report(villager, { id }, { 'idempotency-key': fresh })).statusCode).toBe(201);
    expect((await report(villager, { id, title: '改了标题' }, { 'idempotency-key': fresh })).statusCode).toBe(422);
    const mine = (await villager.get('/api/cases?view=reported')).json().items.filter((c: { id: string }) => c.id === id);
    expect(mine).toHaveLength(1);
  });

  it('answers the same step again by the one who took it with the case as it stands, and anyone else 409', async () => {
    const { id } = (await report(villager)).json();
    // A double tap on 接单 sent under two keys: the second is answered, nothing is recorded twice.
    expect((await act(gridWorker, id, { action: 'accept' })).statusCode).toBe(200);
    const again = await act(gridWorker, id, { action: 'accept' });
    expect(again.statusCode).toBe(200);
    expect(again.json().state).toBe('accepted');
    expect((await act(gridWorker, id, { action: 'handle', note: '已修好' })).statusCode).toBe(200);
    expect((await act(gridWorker, id, { action: 'handle', note: '已修好' })).json().state).toBe('handled');
    const steps = (await gridWorker.get(`/api/cases/${id}/events`)).json().items.map((e: { action: string }) => e.action);
    expect(steps.filter((a: string) => a === 'accept')).toHaveLength(1);
    expect(steps.filter((a: string) => a === 'handle')).toHaveLength(1);
    // A step that no longer fits is still refused: accepting a handled case, or the same step with
    // other words (a new intent, not a double tap).
    expect((await act(gridWorker, id, { action: 'accept' })).statusCode).toBe(409);
    expect((await act(gridWorker, id, { action: 'handle', note: '又换了个说法' })).statusCode).toBe(409);
  });

  it('refuses a title of only spaces or invisible characters, and a villager’s 21st report of the day', async () => {
    for (const title of [
      '   ',
      '\u200b\u200b',
      '\u3000 \u00a0',
      '\u200b \ufeff',
      '\ufe0f\ufe00',
      '\u0301',
      '\u3164\uffa0',
      '\u2800',
      '\u034f\u180b',
    ]) {
      const refused = await report(villager, { title });
      expect(refused.statusCode, JSON.stringify(title)).toBe(400);
      expect(refused.json().error.code).toBe('title_blank');
    }
    // Line breaks and marks of direction are refused before that, as in every text field.
    for (const title of ['\u3000\n', '\u202e']) expect((await report(villager, { title })).statusCode).toBe(400);
    for (let i = 1; i <= REPORTS_PER_DAY; i++) expect((await report(villager, { title: `第${i}件` })).statusCode).toBe(201);
    const more = await report(villager, { title: '又一件' });
    expect(more.statusCode).toBe(429);
    expect(more.json().error.code).toBe('reports_too_many');
    // The desk taking down a caller's matter is not limited by it, nor is another villager.
    expect((await report(neighbour, { title: '邻居的事' })).statusCode).toBe(201);
    // A day later (signed in again: the session has idled out meanwhile) the villager reports again.
    ctx.clock.now += 24 * 3_600_000 + 1;
    const { phone } = await ctx.deps.db.selectFrom('users').select('phone').where('display_name', '=', '王小明').executeTakeFirstOrThrow();
    expect((await report(await login(ctx.app, phone, PASSWORD), { title: '第二天的事' })).statusCode).toBe(201);
  });

  it('routes a villager report to the grid worker of the group, with a working-time deadline', async () => {
    const response = await report(villager);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ state: 'assigned', assigneeUserId: gridWorkerId, escalationLevel: 'grid', overdue: false });
    expect(created.number).toMatch(/^\d{8}-\d{5}$/);
    expect(Date.parse(created.deadlineAt)).toBeGreaterThan(ctx.clock.now);
    const queue = (await gridWorker.get('/api/cases')).json().items;
    expect(queue.map((c: { id: string }) => c.id)).toContain(created.id);
    const events = (await gridWorker.get(`/api/cases/${created.id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'assign']);
  });

  it('routes by category to a department whose handler sees it in their queue', async () => {
    const created = (await report(villager, { categoryId: categories.permit })).json();
    expect(created).toMatchObject({ state: 'assigned', assigneeDepartmentId: departmentId, assigneeUserId: null });
    const queue = (await handler.get('/api/cases')).json().items;
    expect(queue.map((c: { id: string }) => c.id)).toContain(created.id);
    expect((await act(handler, created.id, { action: 'accept' })).json().state).toBe('accepted');
  });

  it('walks a case to the end and keeps every step with who and a note', async () => {
    const { id } = (await report(villager)).json();
    expect((await act(gridWorker, id, { action: 'accept' })).json().state).toBe('accepted');
    expect((await act(gridWorker, id, { action: 'checkIn', details: { latitude: 28.84, longitude: 108.77 } })).json().state).toBe(
      'accepted',
    );
    expect((await act(gridWorker, id, { action: 'handle', note: '已填平' })).json().state).toBe('handled');
    expect((await act(gridWorker, id, { action: 'reply', note: '路已修好' })).json().state).toBe('replied');
    const closed = (await act(villager, id, { action: 'rate', rating: 5 })).json();
    expect(closed).toMatchObject({ state: 'closed', rating: 5 });
    const events = (await villager.get(`/api/cases/${id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'assign', 'accept', 'checkIn', 'handle', 'reply', 'rate']);
    expect(events[4]).toMatchObject({ note: '已填平', fromState: 'accepted', toState: 'handled', actorUserId: gridWorkerId });
  });

  it('reopens on a rating of 1 or 2', async () => {
    const { id } = (await report(villager)).json();
    for (const action of ['accept', 'handle', 'reply']) await act(gridWorker, id, { action });
    const reopened = (await act(villager, id, { action: 'rate', rating: 2 })).json();
    expect(reopened).toMatchObject({ state: 'assigned', rating: 2 });
    expect((await act(villager, id, { action: 'rate' })).statusCode).toBe(400);
  });

  it('refuses wrong states and wrong people, and changes nothing', async () => {
    const { id, version } = (await report(villager)).json();
    const early = await act(gridWorker, id, { action: 'handle' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('invalid_transition');
    expect((await act(villager, id, { action: 'accept' })).statusCode).toBe(403);
    expect((await act(cadreB, id, { action: 'accept' })).statusCode).toBe(404);
    expect((await act(gridWorker, id, { action: 'fly' })).statusCode).toBe(400);
    expect((await gridWorker.get(`/api/cases/${id}`)).json()).toMatchObject({ state: 'assigned', version });
  });

  it('escalates a case sent back three times one level up', async () => {
    const { id } = (await report(villager)).json();
    await act(gridWorker, id, { action: 'accept' });
    let current = {} as { escalationLevel: string; returnCount: number };
    for (let i = 0; i < 3; i++) {
      await act(gridWorker, id, { action: 'handle' });
      current = (await act(cadre, id, { action: 'returnForRework', note: `第${i + 1}次退回` })).json();
    }
    expect(current).toMatchObject({ escalationLevel: 'village', returnCount: 0 });
  });

  it('transfers, re-routes and merges', async () => {
    const first = (await report(villager)).json();
    const second = (await report(neighbour)).json();
    const rerouted = (await act(gridWorker, second.id, { action: 'reroute', categoryId: categories.permit, note: '分类有误' })).json();
    expect(rerouted).toMatchObject({ categoryId: categories.permit, assigneeDepartmentId: departmentId, state: 'assigned' });
    const merged = (await act(cadre, second.id, { action: 'merge', mergeIntoId: first.id })).json();
    expect(merged).toMatchObject({ state: 'closed', mergedIntoId: first.id });
    const missing = await act(cadre, first.id, { action: 'transfer' });
    expect(missing.json().error.code).toBe('target_required');
  });

  it('counts "me too" once per household, never the reporter’s own', async () => {
    const { id } = (await report(villager)).json();
    // Neighbours who cannot read the report are counted and told nothing of it.
    const first = await neighbour.post(`/api/cases/${id}/me-too`);
    expect(first.statusCode).toBe(204);
    expect(first.body).toBe('');
    await neighbour.post(`/api/cases/${id}/me-too`);
    // The reporter, and the rest of the reporter's household, are the report: their "me too" adds nothing.
    expect((await sameHousehold.post(`/api/cases/${id}/me-too`)).statusCode).toBe(204);
    const own = await villager.post(`/api/cases/${id}/me-too`);
    expect(own.statusCode).toBe(200);
    expect(own.json().meTooCount).toBe(1);
  });

  it('shows the reporter only to handlers in scope and to the reporter', async () => {
    const { id } = (await report(villager, { anonymous: true })).json();
    expect((await gridWorker.get(`/api/cases/${id}`)).json().reporterName).not.toBeNull();
    expect((await villager.get(`/api/cases/${id}`)).json().reporterName).not.toBeNull();
    const asNeighbour = await neighbour.get(`/api/cases/${id}`);
    expect(asNeighbour.statusCode).toBe(404);
    expect((await cadreB.get(`/api/cases/${id}`)).statusCode).toBe(404);
  });

  it('does a retried transition once, and refuses the key with another body', async () => {
    const { id } = (await report(villager)).json();
    const headers = { 'idempotency-key': `accept-${id}` };
    const first = await act(gridWorker, id, { action: 'accept' }, headers);
    const again = await act(gridWorker, id, { action: 'accept' }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await act(gridWorker, id, { action: 'handle' }, headers)).statusCode).toBe(422);
    const events = (await gridWorker.get(`/api/cases/${id}/events`)).json().items;
    expect(events.filter((e: { action: string }) => e.action === 'accept')).toHaveLength(1);
  });

  it('records a check-in sent twice under one key once, and refuses the key with another position', async () => {
    const { id } = (await report(villager)).json();
    await act(gridWorker, id, { action: 'accept' });
    const headers = { 'idempotency-key': uuidv7() };
    const here = { action: 'checkIn', details: { latitude: 28.84, longitude: 108.77 } };
    const first = await act(gridWorker, id, here, headers);
    expect(first.statusCode).toBe(200);
    const again = await act(gridWorker, id, here, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const elsewhere = await act(gridWorker, id, { action: 'checkIn', details: { latitude: 28.9, longitude: 108.7 } }, headers);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().error.code).toBe('idempotency_key_reused');
    const events = (await gridWorker.get(`/api/cases/${id}/events`)).json().items;
    expect(events.filter((e: { action: string }) => e.action === 'checkIn')).toHaveLength(1);
  });

  it('keeps in the events only the details an action records: a check-in position, a mediation record', async () => {
    const { id } = (await report(villager)).json();
    await act(gridWorker, id, { action: 'accept' });
    const refused = async (body: Record<string, unknown>) => {
      const response = await act(gridWorker, id, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.body).not.toContain('assigneeUserId');
    };
    // Forged fields that would read as the case's own in its events.
    await refused({ action: 'checkIn', details: { latitude: 28.8, longitude: 108.7, rating: 5 } });
    await refused({ action: 'checkIn', details: { assigneeUserId: uuidv7() } });
    // Sizes and shapes no record needs.
    await refused({ action: 'recordMediation', details: { parties: ['张三'], agreement: 'x'.repeat(900_000) } });
    let nested: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 8; level++) nested = { next: nested };
    await refused({ action: 'checkIn', details: nested });
    await refused({ action: 'checkIn', details: { latitude: 91, longitude: 0 } });
    await refused({ action: 'recordMediation', details: { parties: Array.from({ length: 21 }, (_, i) => `人${i}`), agreement: '和解' } });
    // Each action its own shape, and only the two that record something take details at all.
    await refused({ action: 'checkIn', details: { parties: ['张三'], agreement: '和解' } });
    await refused({ action: 'recordMediation', details: { latitude: 28.8, longitude: 108.7 } });
    await refused({ action: 'handle', note: '已处理', details: { latitude: 28.8, longitude: 108.7 } });

    expect((await act(gridWorker, id, { action: 'checkIn', details: { latitude: 28.84, longitude: 108.77 } })).statusCode).toBe(200);
    const mediation = { parties: ['张三', '李四'], agreement: '张三赔偿李四两百元' };
    expect((await act(gridWorker, id, { action: 'recordMediation', details: mediation })).statusCode).toBe(200);
    const events = (await gridWorker.get(`/api/cases/${id}/events`)).json().items as { action: string; details: unknown }[];
    expect(events.map((e) => e.action)).toEqual(['create', 'assign', 'accept', 'checkIn', 'recordMediation']);
    expect(events[3]?.details).toEqual({ latitude: 28.84, longitude: 108.77 });
    expect(events[4]?.details).toEqual(mediation);
  });

  it('loses no transition when two land at once', async () => {
    const { id } = (await report(villager)).json();
    await act(gridWorker, id, { action: 'accept' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        act(gridWorker, id, { action: 'checkIn', note: `到场${i}`, details: { latitude: 28.8 + i / 100, longitude: 108.7 } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const events = (await gridWorker.get(`/api/cases/${id}/events`)).json().items;
    expect(events.filter((e: { action: string }) => e.action === 'checkIn')).toHaveLength(6);
    expect((await gridWorker.get(`/api/cases/${id}`)).json().version).toBe(7);

    // Two handles by the same worker at once: one is recorded; the other, the same step again by the
    // one who took it, is answered with the case as it stands (not 409: a double tap is no failure).
    const race = await Promise.all([act(gridWorker, id, { action: 'handle' }), act(gridWorker, id, { action: 'handle' })]);
    expect(race.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(race.map((r) => r.json().state)).toEqual(['handled', 'handled']);
    const handled = (await gridWorker.get(`/api/cases/${id}/events`)).json().items.filter((e: { action: string }) => e.action === 'handle');
    expect(handled).toHaveLength(1);
  });

  it('refuses a report outside the reporter village and a category of no use', async () => {
    expect((await report(villager, { regionId: tree.groupB1.id })).statusCode).toBe(404);
    expect((await report(villager, { categoryId: uuidv7() })).statusCode).toBe(404);
    expect((await report(villager, { regionId: tree.townshipA.id })).json().error.code).toBe('region_level_mismatch');
    expect((await report(villager, { title: '' })).statusCode).toBe(400);
  });

  it('offers open cases of the same category nearby as possible duplicates, nearest first', async () => {
    const near = (await report(neighbour, { latitude: 28.8401, longitude: 108.7701 })).json();
    const nearer = (await report(neighbour, { latitude: 28.84001, longitude: 108.77001 })).json();
    await report(neighbour, { latitude: 28.9, longitude: 108.9 });
    await report(neighbour, { latitude: 28.84, longitude: 108.77, categoryId: categories.permit });
    const fresh = (await report(villager, { latitude: 28.84, longitude: 108.77 })).json();
    const offered = (await gridWorker.get(`/api/cases/${fresh.id}/duplicates`)).json().items;
    expect(offered.map((c: { id: string }) => c.id)).toEqual([nearer.id, near.id]);
    expect(offered[0].distanceMeters).toBeLessThan(offered[1].distanceMeters);
    expect(offered[1].distanceMeters).toBeLessThanOrEqual(300);
    expect((await villager.get(`/api/cases/${fresh.id}/duplicates`)).statusCode).toBe(403);
  });

  it('lets the reporter withdraw personal details posted by mistake', async () => {
    const { id } = (await report(villager, { description: '我家电话13912345678，户主冉鲜荣' })).json();
    expect((await neighbour.post(`/api/cases/${id}/withdrawals`, { description: '路口塌陷' })).statusCode).toBe(404);
    expect((await gridWorker.post(`/api/cases/${id}/withdrawals`, { description: '路口塌陷' })).statusCode).toBe(403);
    const withdrawn = (await villager.post(`/api/cases/${id}/withdrawals`, { description: '路口塌陷' })).json();
    expect(withdrawn.description).toBe('路口塌陷');
    const stored = await ctx.deps.db
      .selectFrom('cases')
      .select(['description', 'reporter_phone'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ description: '路口塌陷', reporter_phone: null });
    const events = JSON.stringify(await ctx.deps.db.selectFrom('case_events').selectAll().where('case_id', '=', id).execute());
    expect(events).not.toContain('13912345678');
  });

  it('records the satisfaction of a callback for a caller who has no account', async () => {
    const { id } = (await report(cadre, { source: 'appeal', channel: 'phone', reporterName: '来电人' })).json();
    for (const action of ['accept', 'handle', 'reply']) await act(gridWorker, id, { action });
    const closed = (await act(cadre, id, { action: 'rate', rating: 4 })).json();
    expect(closed).toMatchObject({ state: 'closed', rating: 4 });
  });

  it('shows each village its matters and completion rate in public, without anything personal', async () => {
    for (let i = 1; i <= 5; i++) await report(villager, { title: `村道第${i}处塌陷` });
    const { id } = (await report(villager, { description: '我是冉鲜荣，电话13800000011' })).json();
    const response = await ctx.app.inject({ url: `/api/public/villages/${tree.villageA.id}/affairs?limit=100` });
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.village.name).toBe('平地坝村');
    expect(page.total).toBeGreaterThan(5);
    expect(page.completionRate).toBeCloseTo(page.closed / page.total, 3);
    expect(page.matters.items.map((m: { number: string }) => m.number)).toContain((await villager.get(`/api/cases/${id}`)).json().number);
    expect(response.body).not.toContain('冉鲜荣');
    expect(response.body).not.toContain('13800000011');
    expect(response.body).not.toContain(id);
    const other = (await ctx.app.inject({ url: `/api/public/villages/${tree.villageB.id}/affairs` })).json();
    expect(
      other.matters.items.every((m: { number: string }) => !page.matters.items.some((p: { number: string }) => p.number === m.number)),
    ).toBe(true);
    expect((await ctx.app.inject({ url: `/api/public/villages/${tree.townshipA.id}/affairs` })).statusCode).toBe(404);
  });

  it('lists a village’s public matters newest first by the day reported, a page at a time, each once', async () => {
    const numbers: string[] = [];
    for (let i = 1; i <= 5; i++) numbers.push((await report(villager, { title: `水渠第${i}段漏水` })).json().number);
    // Entered out of order (an import, a clerk catching up): the third was raised a month before the rest.
    const hoursAgo = [5, 4, 30 * 24, 2, 1];
    for (const [i, number] of numbers.entries())
      await ctx.deps.db
        .updateTable('cases')
        .set({ created_at: ctx.clock.now - (hoursAgo[i] as number) * 3_600_000 })
        .where('number', '=', number)
        .execute();
    const seen: { number: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    do {
      const response = await ctx.app.inject({
        url: `/api/public/villages/${tree.villageA.id}/affairs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(response.statusCode).toBe(200);
      const { matters } = response.json();
      expect(matters.items.length).toBeLessThanOrEqual(2);
      seen.push(...matters.items);
      cursor = matters.nextCursor ?? undefined;
    } while (cursor);
    const times = seen.map((m) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(seen.map((m) => m.number)).size).toBe(seen.length);
    const mine = seen.map((m) => m.number).filter((n) => numbers.includes(n));
    expect(mine).toEqual([numbers[4], numbers[3], numbers[1], numbers[0], numbers[2]]);
  });

  it('keeps a phone number or e-mail out of a public title however it is spaced or written', async () => {
    const titles = ['王五家门口 1 3 9 3 3 3 3 4 4 4 4 垃圾', '垃圾堆 １３９-３３３３-４４５５', '找wang@example.com 2026-11-30 三组'];
    const numbers: string[] = [];
    for (const title of titles) {
      const created = await report(villager, { title });
      expect(created.statusCode).toBe(201);
      numbers.push(created.json().number);
    }
    const page = (await ctx.app.inject({ url: `/api/public/villages/${tree.villageA.id}/affairs?limit=100` })).json();
    const shown = page.matters.items.filter((m: { number: string }) => numbers.includes(m.number)).map((m: { title: string }) => m.title);
    expect(shown.sort()).toEqual(['垃圾堆 [电话已隐去]', '找[邮箱已隐去] 2026-11-30 三组', '王五家门口 [电话已隐去] 垃圾'].sort());
  });

  it('lets an appeals agent take down a phone appeal for a caller', async () => {
    const agent = await login(ctx.app, (await buildUser(ctx.deps, { role: 'appealsAgent', region: tree.county })).phone, PASSWORD);
    const appeal = await report(agent, {
      source: 'appeal',
      channel: 'phone',
      reporterName: '陈长书',
      reporterPhone: '13912345678',
      regionId: tree.groupB1.id,
    });
    expect(appeal.statusCode).toBe(201);
    // Nobody serves that group with a grid, so the appeal waits, received, for the centre.
    expect(appeal.json()).toMatchObject({ source: 'appeal', channel: 'phone', reporterName: '陈长书', state: 'received' });
    const { id } = appeal.json();
    expect((await act(agent, id, { action: 'answerOnSpot', note: '政策已当场解释' })).json().state).toBe('answeredOnSpot');
    expect((await act(agent, id, { action: 'close', note: '回访满意' })).json().state).toBe('closed');
    expect((await act(agent, id, { action: 'answerOnSpot' })).statusCode).toBe(409);
    const categories2 = (await agent.get('/api/cases/categories')).json().items;
    expect(categories2.map((c: { code: string }) => c.code)).toEqual(['road', 'traffic']);
  });
});

describe.each(dialects)('configuring cases on %s', (dialect) => {
  let world: CaseWorld;
  let admin: Session;

  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'systemAdmin', region: world.tree.county })).phone, PASSWORD);
  });

  it('lets the system administrator add and change categories, routed to the grid or a department, and no one else', async () => {
    const body = { code: 'lighting', name: '路灯照明', routeTo: 'department', departmentId: world.departmentId, deadlineHours: 16 };
    const created = await admin.post(`/api/cases/categories?countyId=${world.tree.county.id}`, body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'lighting', routeTo: 'department', deadlineHours: 16 });
    expect((await admin.post(`/api/cases/categories?countyId=${world.tree.county.id}`, body)).json().error.code).toBe(
      'category_code_taken',
    );
    expect((await admin.post('/api/cases/categories', { ...body, code: 'nowhere', departmentId: uuidv7() })).statusCode).toBe(404);
    expect((await world.cadre.post(`/api/cases/categories?countyId=${world.tree.county.id}`, { ...body, code: 'x' })).statusCode).toBe(404);
    const changed = await admin.request({
      method: 'PUT',
      url: `/api/cases/categories/${created.json().id}`,
      payload: { ...body, routeTo: 'grid', deadlineHours: 8 },
    });
    expect(changed.json()).toMatchObject({ routeTo: 'grid', deadlineHours: 8 });
    const listed = (await world.villager.get('/api/cases/categories')).json().items;
    expect(listed.map((c: { code: string }) => c.code)).toContain('lighting');
    const report = await world.villager.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: created.json().id,
      regionId: world.tree.groupA1.id,
      title: '路灯坏了',
      description: '一组路灯不亮',
    });
    expect(report.json()).toMatchObject({ assigneeUserId: world.gridWorkerId, state: 'assigned' });
  });

  it('counts new deadlines in the working time the county sets: hours, weekdays, holidays', async () => {
    const calendar = { dayStartMinute: 0, dayEndMinute: 1440, weekdays: [0, 1, 2, 3, 4, 5, 6], holidays: [], extraWorkdays: [] };
    const saved = await admin.request({ method: 'PUT', url: `/api/cases/calendar?countyId=${world.tree.county.id}`, payload: calendar });
    expect(saved.json()).toEqual(calendar);
    const report = await world.villager.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '村道塌了',
      description: '二组',
    });
    // Every hour is working time now: the 24-hour category is due exactly a day later.
    expect(Date.parse(report.json().deadlineAt)).toBe(ctx.clock.now + 24 * 3_600_000);
    const bad = await admin.request({ method: 'PUT', url: '/api/cases/calendar', payload: { ...calendar, dayEndMinute: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(
      (await admin.request({ method: 'PUT', url: '/api/cases/calendar', payload: { ...calendar, holidays: ['2026-13-45x'] } })).statusCode,
    ).toBe(400);
    expect((await world.cadre.request({ method: 'PUT', url: '/api/cases/calendar', payload: calendar })).statusCode).toBe(404);
    expect((await admin.get('/api/cases/calendar')).json()).toEqual(calendar);
  });
});
