import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import type { Principal } from '../../platform/access.ts';
import { SYSTEM_ACTOR } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import { resolveSession } from '../auth/sessions.service.ts';
import { localMonth } from './points-calendar.ts';
import * as ledgerRepo from './points-ledger.repository.ts';
import * as ledger from './points-ledger.service.ts';
import * as reports from './points-reports.service.ts';
import * as shop from './points-shop.service.ts';

const DAY = 24 * 3_600_000;

/** The rules the tests use; each test adds those it books against. */
const RULES = {
  labour: { code: 'labour', item: '参加义务劳动', category: 'labour', points: 5, limitPerDay: 1 },
  honesty: { code: 'honesty', item: '拾金不昧', category: 'honesty', points: 10, evidenceRequired: true },
  witnessed: { code: 'cleanup', item: '村庄大扫除', category: 'environment', points: 3 },
  litter: { code: 'litter', item: '乱扔垃圾', category: 'violation', points: -5 },
  once: { code: 'investment', item: '招商引资', category: 'investment', points: 100, limitPerHousehold: 1 },
} as const;

// Every test runs on its own copy of the seed (the region tree and the signed-in staff) and builds
// the households, rules and goods it books against, so the tests pass in any order.
describe.each(dialects)('the points bank on %s', (dialect) => {
  let tree: Tree;
  let keeper: Session;
  let keeperB: Session;
  let cadre: Session;
  const phones = new Map<Session, string>();

  const as = async (role: Parameters<typeof buildUser>[1]['role'], extra: Record<string, unknown> = {}, region = tree.villageA) => {
    const user = await buildUser(ctx.deps, { role, region, ...extra });
    const session = await login(ctx.app, user.phone, PASSWORD);
    phones.set(session, user.phone);
    return session;
  };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    keeper = await as('pointsKeeper');
    keeperB = await as('pointsKeeper', {}, tree.villageB);
    cadre = await as('villageCadre');
  });

  /** A household of the test's own, with a member signed in as a villager. */
  const family = async (headName = '冉鲜荣', region = tree.groupA1) => {
    const home = await buildHousehold(ctx.deps, { region, headName });
    const villager = await as('villager', { personId: (await buildPerson(ctx.deps, { region, householdId: home.id })).id });
    return { home, villager };
  };
  /** A rule of the test's own in a village, added through the API. */
  const rule = async (body: (typeof RULES)[keyof typeof RULES] | Record<string, unknown>, session = keeper, village = tree.villageA) => {
    const response = await session.post(`/api/points/villages/${village.id}/rules`, body);
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const grant = (ruleId: string, householdIds: string[], session = keeper) => session.post('/api/points/grants', { ruleId, householdIds });

  /** The same user signed in again, at the clock's time now. */
  const again = (session: Session) => login(ctx.app, phones.get(session) as string, PASSWORD);
  const principalOf = async (session: Session): Promise<Principal> => {
    const resolved = await resolveSession(ctx.deps, session.cookie);
    if (!resolved || 'expired' in resolved) throw new Error('no session');
    return resolved.principal;
  };
  const balance = async (householdId: string, session: Session = keeper) =>
    (await session.get(`/api/points/accounts/${householdId}`)).json().balance;
  const claim = (session: Session, ruleId: string, householdId: string, headers?: Record<string, string>) =>
    session.post('/api/points/claims', { householdId, ruleId, note: '周六参加了修路' }, headers);
  const review = (session: Session, id: string, body: Record<string, unknown>) => session.post(`/api/points/claims/${id}/reviews`, body);

  it('books an approved claim once, with its balance after, and tells the villager', async () => {
    const { home, villager } = await family();
    const { villager: neighbour } = await family('白小梅', tree.groupA2);
    const labour = await rule(RULES.labour);
    const headers = { 'idempotency-key': 'claim-1' };
    const filed = await claim(villager, labour, home.id, headers);
    expect(filed.statusCode).toBe(201);
    expect((await claim(villager, labour, home.id, headers)).json().id).toBe(filed.json().id);
    expect(filed.json()).toMatchObject({ state: 'submitted', points: 5, ruleItem: '参加义务劳动' });

    // The villager cannot approve their own claim; another village's keeper cannot see it.
    expect((await review(villager, filed.json().id, { decision: 'approve' })).statusCode).toBe(403);
    expect((await review(keeperB, filed.json().id, { decision: 'approve' })).statusCode).toBe(404);

    const approved = await review(keeper, filed.json().id, { decision: 'approve' });
    expect(approved.json()).toMatchObject({ state: 'approved' });
    expect((await review(keeper, filed.json().id, { decision: 'approve' })).statusCode).toBe(409);
    const account = (await villager.get(`/api/points/accounts/${home.id}`)).json();
    expect(account.balance).toBe(5);
    expect(account.thisMonth.entries).toEqual([
      expect.objectContaining({ amount: 5, balanceAfter: 5, kind: 'grant', ruleItem: '参加义务劳动', claimId: filed.json().id }),
    ]);
    const inbox = (await villager.get('/api/notifications')).json().items;
    expect(inbox[0].message).toBe('您的积分申请“参加义务劳动”已通过，获得5分。');
    // A neighbour reads neither the account nor the claim.
    expect((await neighbour.get(`/api/points/accounts/${home.id}`)).statusCode).toBe(404);
    expect((await neighbour.get(`/api/points/claims/${filed.json().id}`)).statusCode).toBe(404);
  });

  it('approves a claim under the rule as it is now: one turned into a deduction or put out of use since grants nothing (security recheck)', async () => {
    const { home, villager } = await family();
    const flipped = await rule({ code: 'flip', item: '清扫', category: 'labour', points: 5 });
    const filed = (await claim(villager, flipped, home.id)).json();
    const put = (id: string, body: Record<string, unknown>) =>
      keeper.request({ method: 'PUT', url: `/api/points/villages/${tree.villageA.id}/rules/${id}`, payload: body });
    expect((await put(flipped, { code: 'flip', item: '清扫', category: 'labour', points: -1000 })).statusCode).toBe(200);
    const refused = await review(keeper, filed.id, { decision: 'approve' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('wrong_sign');
    const retired = await rule({ code: 'retired', item: '护林', category: 'labour', points: 5 });
    const second = (await claim(villager, retired, home.id)).json();
    expect((await put(retired, { code: 'retired', item: '护林', category: 'labour', points: 5, active: false })).statusCode).toBe(200);
    expect((await review(keeper, second.id, { decision: 'approve' })).json().error.code).toBe('rule_not_usable');
    expect(await balance(home.id)).toBe(0);
    const admin = await principalOf(await as('countyAdmin', {}, tree.county));
    expect((await reports.verifyAll(ctx.deps, admin)).mismatches).toEqual([]);
  });

  it('refuses a rule that ends at or before it starts, added or changed, naming the field', async () => {
    const body = { code: 'season', item: '春耕互助', category: 'labour', points: 5 };
    const dates = (validFrom: string, validTo: string) => ({ ...body, validFrom, validTo });
    const refusedAs = (response: Awaited<ReturnType<Session['post']>>) => {
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'validTo' } });
      expect(response.body).not.toContain('2026-');
    };
    const rules = `/api/points/villages/${tree.villageA.id}/rules`;
    refusedAs(await keeper.post(rules, dates('2026-05-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')));
    refusedAs(await keeper.post(rules, dates('2026-05-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z')));
    expect((await keeper.get(rules)).json().items).toEqual([]);
    const season = await rule(dates('2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'));
    const put = (payload: Record<string, unknown>) => keeper.request({ method: 'PUT', url: `${rules}/${season}`, payload });
    refusedAs(await put(dates('2026-05-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')));
    expect((await keeper.get(rules)).json().items).toEqual([
      expect.objectContaining({ id: season, validFrom: '2026-04-01T08:00:00.000+08:00', validTo: '2026-05-01T08:00:00.000+08:00' }),
    ]);
    // Open at one end is a rule too.
    expect((await put({ ...body, validTo: '2026-04-01T00:00:00.000Z' })).statusCode).toBe(200);
  });

  it('keeps to the rule limits, asks for evidence where required, and needs reasons to refuse', async () => {
    const { home, villager } = await family();
    const [labour, honesty, litter] = [await rule(RULES.labour), await rule(RULES.honesty), await rule(RULES.litter)];
    const first = (await claim(villager, labour, home.id)).json();
    expect((await review(keeper, first.id, { decision: 'approve' })).json().state).toBe('approved');

    const second = (await claim(villager, labour, home.id)).json();
    const limited = await review(keeper, second.id, { decision: 'approve' });
    expect(limited.statusCode).toBe(409);
    expect(limited.json().error).toMatchObject({ code: 'limit_reached', message: '已达到该细则的每日上限（1次）' });
    expect((await review(keeper, second.id, { decision: 'reject' })).statusCode).toBe(400);
    expect((await review(keeper, second.id, { decision: 'reject', reason: '今天已经记过' })).json().state).toBe('rejected');

    const honest = (await claim(villager, honesty, home.id)).json();
    expect((await review(keeper, honest.id, { decision: 'approve' })).json().error.code).toBe('evidence_required');
    expect((await review(keeper, honest.id, { decision: 'askMore', reason: '请补充照片' })).json().state).toBe('moreInfo');
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const upload = await villager.request({
      method: 'POST',
      url: `/api/points/claims/${honest.id}/photos?stage=after`,
      payload: photo,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(upload.statusCode).toBe(201);
    expect(upload.json()).toEqual({
      id: expect.any(String),
      claimId: honest.id,
      stage: 'after',
      width: 64,
      height: 48,
      createdAt: expect.any(Number),
    });
    expect((await review(villager, honest.id, { decision: 'resubmit', note: '已补照片' })).json().state).toBe('submitted');
    expect((await review(keeper, honest.id, { decision: 'approve' })).json().state).toBe('approved');
    expect(await balance(home.id)).toBe(15);

    // Deductions come from negative rules only, and grants from positive ones.
    expect((await claim(villager, litter, home.id)).json().error.code).toBe('wrong_sign');
  });

  it('grants many households at once, leaving out those over a limit', async () => {
    const { home, villager } = await family();
    const next = await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '白小梅' });
    const once = await rule(RULES.once);
    const first = await grant(once, [home.id, next.id]);
    expect(first.json().booked).toHaveLength(2);
    const again = await grant(once, [home.id, next.id]);
    expect(again.json()).toMatchObject({ booked: [], skipped: [{ reason: 'limit_reached' }, { reason: 'limit_reached' }] });
    expect(await balance(next.id)).toBe(100);
    expect((await grant(once, [home.id], villager)).statusCode).toBe(403);
  });

  it('records deductions with a reason, lets the household appeal once, and reverses an overturned one', async () => {
    const { home, villager } = await family();
    const { villager: neighbour } = await family('白小梅', tree.groupA2);
    const litter = await rule(RULES.litter);
    await grant(await rule(RULES.once), [home.id]);
    const before = await balance(home.id);
    const deduction = await cadre.post('/api/points/deductions', { householdId: home.id, ruleId: litter, reason: '河边乱扔垃圾' });
    expect(deduction.statusCode).toBe(201);
    expect(deduction.json()).toMatchObject({ amount: -5, balanceAfter: before - 5, kind: 'deduction', note: '河边乱扔垃圾' });
    const id = deduction.json().id;
    expect((await neighbour.post(`/api/points/ledger/${id}/appeals`, { reason: '不是我' })).statusCode).toBe(404);
    expect((await villager.post(`/api/points/ledger/${id}/appeals`, { reason: '那天我不在村里' })).statusCode).toBe(204);
    const twice = await villager.post(`/api/points/ledger/${id}/appeals`, { reason: '再申诉' });
    expect(twice.json().error.code).toBe('already_appealed');
    const decided = await keeper.post(`/api/points/ledger/${id}/appeals/decision`, { decision: 'overturn', note: '核实后撤销' });
    expect(decided.json()).toMatchObject({ state: 'overturned', reversal: { amount: 5, reversesId: id } });
    expect(await balance(home.id)).toBe(before);
    expect((await keeper.post(`/api/points/ledger/${id}/reversals`, { note: '再冲一次' })).json().error.code).toBe('already_reversed');
  });

  it('never takes a balance below zero: a deduction or a reversal larger than the balance is refused and books nothing', async () => {
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const litter = await rule(RULES.litter); // -5
    const entries = () => ctx.deps.db.selectFrom('points_ledger').select('id').where('household_id', '=', household.id).execute();
    const empty = await cadre.post('/api/points/deductions', { householdId: household.id, ruleId: litter, reason: '乱扔垃圾' });
    expect(empty.statusCode).toBe(409);
    expect(empty.json().error.code).toBe('balance_would_go_negative');
    expect(await entries()).toEqual([]);
    // 3 points: a -5 deduction is refused, the balance stays 3.
    const witnessed = (await grant(await rule(RULES.witnessed), [household.id])).json().booked[0];
    const held = await balance(household.id);
    expect(held).toBe(3);
    expect((await cadre.post('/api/points/deductions', { householdId: household.id, ruleId: litter, reason: '乱扔垃圾' })).statusCode).toBe(
      409,
    );
    expect(await balance(household.id)).toBe(held);
    // A grant of more than the deduction: the deduction goes through, then reversing the grant would go below zero.
    const big = (await grant(await rule(RULES.once), [household.id])).json().booked[0];
    const deducted = await cadre.post('/api/points/deductions', { householdId: household.id, ruleId: litter, reason: '乱扔垃圾' });
    expect(deducted.statusCode).toBe(201);
    const left = held + big.amount - 5;
    expect(await balance(household.id)).toBe(left);
    const reversal = await keeper.post(`/api/points/ledger/${big.id}/reversals`, { note: '误发' });
    expect(reversal.statusCode).toBe(409);
    expect(reversal.json().error.code).toBe('balance_would_go_negative');
    expect(await balance(household.id)).toBe(left);
    // The small grant can be taken back: the balance stays at or above zero.
    expect((await keeper.post(`/api/points/ledger/${witnessed.id}/reversals`, { note: '误发' })).statusCode).toBe(201);
    expect(await balance(household.id)).toBe(left - witnessed.amount);
    expect(left - witnessed.amount).toBeGreaterThanOrEqual(0);
  });

  it('changes a rule for what comes after, never for points already granted', async () => {
    const next = await buildHousehold(ctx.deps, { region: tree.groupA2 });
    const once = await rule(RULES.once);
    await grant(once, [next.id]);
    const before = await balance(next.id);
    const booked = () =>
      ctx.deps.db.selectFrom('points_ledger').select(['id', 'amount', 'rule_item']).where('rule_id', '=', once).execute();
    const entries = await booked();
    const changed = await keeper.request({
      method: 'PUT',
      url: `/api/points/villages/${tree.villageA.id}/rules/${once}`,
      payload: { code: 'investment', item: '招商引资（新标准）', category: 'investment', points: 200, limitPerHousehold: 1 },
    });
    expect(changed.json()).toMatchObject({ points: 200, item: '招商引资（新标准）' });
    expect(await balance(next.id)).toBe(before);
    expect(await booked()).toEqual(entries);
    expect(entries).toEqual([expect.objectContaining({ amount: 100, rule_item: '招商引资' })]);
  });

  it('never edits or deletes a ledger entry, even from below the product', async () => {
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const entry = (await grant(await rule(RULES.witnessed), [household.id])).json().booked[0];
    await expect(ctx.deps.db.updateTable('points_ledger').set({ amount: 1000 }).where('id', '=', entry.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.deps.db.deleteFrom('points_ledger').where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
  });

  it('sells goods for points and stock together, refuses what the balance cannot pay, and gives both back on cancel', async () => {
    const { home, villager } = await family();
    await grant(await rule(RULES.once), [home.id]);
    const soy = (
      await keeper.post(`/api/points/villages/${tree.villageA.id}/goods`, {
        name: '酱油',
        unit: '瓶',
        price: 10,
        restock: 2,
        reorderLevel: 1,
      })
    ).json();
    expect(soy).toMatchObject({ available: 2, received: 2 });
    const picture = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#b33' } })
      .png()
      .toBuffer();
    const put = (session: Session, body: Buffer, type = 'image/png') =>
      session.request({
        method: 'PUT',
        url: `/api/points/villages/${tree.villageA.id}/goods/${soy.id}/photo`,
        payload: body,
        headers: { 'content-type': type },
      });
    expect((await put(villager, picture)).statusCode).toBe(403);
    expect((await put(keeper, Buffer.from('not a picture'), 'image/jpeg')).statusCode).toBe(415);
    expect((await put(keeper, picture)).statusCode).toBe(204);
    const shelf = (await villager.get(`/api/points/villages/${tree.villageA.id}/goods`)).json().items;
    const listed = shelf.find((g: { id: string }) => g.id === soy.id);
    expect(listed.name).toBe('酱油');
    const shown = await villager.get(listed.photoUrl);
    expect(shown.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(shown.rawPayload).metadata()).width).toBe(320);
    const start = await balance(home.id);
    const buy = { householdId: home.id, goodsId: soy.id, quantity: 1 };
    const bought = await villager.post('/api/points/redemptions', buy, { 'idempotency-key': 'buy-1' });
    expect(bought.statusCode).toBe(201);
    expect((await villager.post('/api/points/redemptions', buy, { 'idempotency-key': 'buy-1' })).json().id).toBe(bought.json().id);
    expect(await balance(home.id)).toBe(start - 10);
    const tooDear = await villager.post('/api/points/redemptions', { ...buy, quantity: 1 + Math.floor(start / 10) });
    expect(tooDear.json().error.code).toBe('out_of_stock');
    const poor = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const refused = await keeper.post('/api/points/redemptions', { ...buy, householdId: poor.id });
    expect(refused.json().error.code).toBe('insufficient_points');
    const goods = () =>
      keeper.get(`/api/points/villages/${tree.villageA.id}/goods`).then((r) => r.json().items.find((g: { id: string }) => g.id === soy.id));
    expect(await goods()).toMatchObject({ available: 1, pending: 1 });

    expect((await villager.post(`/api/points/redemptions/${bought.json().id}/cancel`)).json().state).toBe('cancelled');
    expect((await villager.post(`/api/points/redemptions/${bought.json().id}/cancel`)).statusCode).toBe(409);
    expect(await balance(home.id)).toBe(start);
    expect(await goods()).toMatchObject({ available: 2, pending: 0 });

    const again = (await villager.post('/api/points/redemptions', buy)).json();
    expect((await villager.post(`/api/points/redemptions/${again.id}/collect`)).statusCode).toBe(403);
    expect((await keeper.post(`/api/points/redemptions/${again.id}/collect`)).json().state).toBe('collected');
    expect(await goods()).toMatchObject({ available: 1, pending: 0, collected: 1 });
    const report = (await keeper.get(`/api/points/villages/${tree.villageA.id}/report?from=200001&to=299912`)).json();
    expect(report.reorder.map((g: { id: string }) => g.id)).toContain(soy.id);
    const xlsx = await keeper.get(`/api/points/villages/${tree.villageA.id}/report?from=200001&to=299912&format=xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('gives exactly ten of ten items to fifty households racing for them, and no balance goes below zero', async () => {
    const soap = (
      await keeper.post(`/api/points/villages/${tree.villageA.id}/goods`, { name: '洗衣粉', unit: '袋', price: 20, restock: 10 })
    ).json();
    const households = await Promise.all(Array.from({ length: 50 }, () => buildHousehold(ctx.deps, { region: tree.groupA2 })));
    const ids = households.map((h) => h.id);
    expect((await grant(await rule(RULES.witnessed), ids)).json().booked).toHaveLength(50);
    // Three points each is not enough for washing powder at 20: give them more through a rule of 100 (once each).
    await grant(await rule(RULES.once), ids);
    const results = await Promise.all(
      households.map((h) => keeper.post('/api/points/redemptions', { householdId: h.id, goodsId: soap.id, quantity: 1 })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'out_of_stock')).toBe(true);
    const stock = (await keeper.get(`/api/points/villages/${tree.villageA.id}/goods`))
      .json()
      .items.find((g: { id: string }) => g.id === soap.id);
    expect(stock).toMatchObject({ available: 0, pending: 10 });
    const negative = await ctx.deps.db.selectFrom('points_accounts').select('household_id').where('balance', '<', 0).execute();
    expect(negative).toEqual([]);
  });

  it('books what arrives together in shared commits: each once per key, one the balance cannot pay refused alone', async () => {
    const committer = groupCommitFor(ctx.deps.db);
    const before = { ...committer.stats };
    const buyer = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    await grant(await rule(RULES.once), [buyer.id]);
    const rice = (
      await keeper.post(`/api/points/villages/${tree.villageA.id}/goods`, { name: '大米', unit: '袋', price: 60, restock: 5 })
    ).json();
    const households = await Promise.all(Array.from({ length: 20 }, () => buildHousehold(ctx.deps, { region: tree.groupA2 })));
    const witnessed = await rule(RULES.witnessed);
    const buy = (key: string) =>
      keeper.post('/api/points/redemptions', { householdId: buyer.id, goodsId: rice.id, quantity: 1 }, { 'idempotency-key': key });
    const bookings = households.map((h, i) =>
      keeper.post('/api/points/grants', { ruleId: witnessed, householdIds: [h.id] }, { 'idempotency-key': `g${i}` }),
    );
    // The same grant sent twice at once (a phone retrying), and two redemptions of 60 from 100 points.
    const twin = keeper.post('/api/points/grants', { ruleId: witnessed, householdIds: [households[0]?.id] }, { 'idempotency-key': 'g0' });
    const [granted, [first, second], repeated] = await Promise.all([Promise.all(bookings), Promise.all([buy('r1'), buy('r2')]), twin]);

    expect(granted.map((r) => r.json().booked.length)).toEqual(Array(20).fill(1));
    expect(repeated.json().booked[0].id).toBe(granted[0]?.json().booked[0].id);
    expect([first?.statusCode, second?.statusCode].sort()).toEqual([201, 409]);
    expect([first, second].find((r) => r?.statusCode === 409)?.json().error.code).toBe('insufficient_points');
    expect(await balance(buyer.id)).toBe(40);
    for (const h of households) expect(await balance(h.id)).toBe(3);
    const admin = await principalOf(await as('countyAdmin', {}, tree.county));
    expect((await reports.verifyAll(ctx.deps, admin)).mismatches).toEqual([]);
    // On SQLite (one writer, one fsync per commit) the bookings shared commits.
    if (dialect === 'sqlite') {
      const writes = committer.stats.writes - before.writes;
      expect(writes).toBeGreaterThanOrEqual(23);
      expect(committer.stats.commits - before.commits).toBeLessThan(writes);
    }
  });

  it('keeps every balance equal to its ledger through 10,000 interleaved grants, redemptions, cancellations and retries', async () => {
    const keeperPrincipal = await principalOf(keeper);
    const witnessed = await rule(RULES.witnessed);
    const households = await Promise.all(Array.from({ length: 20 }, () => buildHousehold(ctx.deps, { region: tree.groupA1 })));
    const shelf = await shop.saveGoods(
      ctx.deps,
      keeperPrincipal,
      SYSTEM_ACTOR,
      { villageId: tree.villageA.id },
      {
        name: '卫生纸',
        nameEn: null,
        unit: '提',
        price: 7,
        reorderLevel: 0,
        active: true,
        restock: 400,
      },
    );
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
    const pending: string[] = [];
    const keys: { key: string; op: () => Promise<unknown> }[] = [];
    let failures = 0;
    const expected = (error: unknown) =>
      error instanceof AppError && ['out_of_stock', 'insufficient_points', 'invalid_transition', 'limit_reached'].includes(error.code);
    const operation = (n: number): (() => Promise<unknown>) => {
      const choice = random();
      const household = pick(households);
      const key = `op-${n}`;
      if (choice < 0.45) {
        return () =>
          ledger.bulkGrant(ctx.deps, keeperPrincipal, SYSTEM_ACTOR, {
            ruleId: witnessed,
            householdIds: [household.id],
            idempotencyKey: key,
          });
      }
      if (choice < 0.8) {
        const quantity = 1 + Math.floor(random() * 2);
        return async () => {
          const r = await shop.redeem(ctx.deps, keeperPrincipal, SYSTEM_ACTOR, {
            householdId: household.id,
            goodsId: shelf.id,
            quantity,
            idempotencyKey: key,
          });
          if (!pending.includes(r.id)) pending.push(r.id);
        };
      }
      const redemption = pending.length > 0 ? pending.splice(Math.floor(random() * pending.length), 1)[0] : undefined;
      if (!redemption) return async () => {};
      return choice < 0.92
        ? () => shop.cancelRedemption(ctx.deps, keeperPrincipal, SYSTEM_ACTOR, redemption, key)
        : () => shop.collectRedemption(ctx.deps, keeperPrincipal, SYSTEM_ACTOR, redemption, key);
    };
    const TOTAL = 10_000;
    for (let start = 0; start < TOTAL; start += 25) {
      const batch = Array.from({ length: Math.min(25, TOTAL - start) }, (_, i) => {
        const op = operation(start + i);
        const entry = { key: `op-${start + i}`, op };
        keys.push(entry);
        return entry;
      });
      // A tenth of the requests are sent twice at once, as a phone on a bad network would.
      const runs = batch.flatMap((b) => (random() < 0.1 ? [b.op, b.op] : [b.op]));
      const settled = await Promise.allSettled(runs.map((run) => run()));
      for (const result of settled) {
        if (result.status === 'rejected') {
          if (!expected(result.reason)) throw result.reason;
          failures++;
        }
      }
    }
    const check = await reports.verifyAll(ctx.deps, await principalOf(await as('countyAdmin', {}, tree.county)));
    expect(check.mismatches).toEqual([]);
    expect(check.entries).toBeGreaterThan(5_000);
    const goods = await ctx.deps.db.selectFrom('points_goods').selectAll().where('id', '=', shelf.id).executeTakeFirstOrThrow();
    const held = await ctx.deps.db
      .selectFrom('points_redemptions')
      .select(['state', 'quantity'])
      .where('goods_id', '=', shelf.id)
      .execute();
    const sum = (state: string) => held.filter((h) => h.state === state).reduce((total, h) => total + h.quantity, 0);
    expect(goods.received - goods.collected - goods.pending).toBe(400 - sum('collected') - sum('pending'));
    expect(goods.received - goods.collected - goods.pending).toBeGreaterThanOrEqual(0);
    expect(failures).toBeGreaterThan(0);
  }, 240_000);

  it('shows last month in the statement, ranks households with ties, and names in public only those who agreed', async () => {
    const now = ctx.clock.now;
    const lastMonthMoment = now - 40 * DAY;
    const month = localMonth(lastMonthMoment);
    const ranked = await Promise.all([0, 1, 2].map(() => buildHousehold(ctx.deps, { region: tree.groupB1, headName: '何易光' })));
    // Forty days back: a session signed in then books last month's grants.
    ctx.clock.now = lastMonthMoment;
    const keeperThen = await again(keeperB);
    const help = await rule({ code: 'help', item: '助人为乐', category: 'civility', points: 50 }, keeperThen, tree.villageB);
    await grant(help, [ranked[0]?.id as string, ranked[1]?.id as string], keeperThen);
    await grant(help, [ranked[0]?.id as string], keeperThen);
    ctx.clock.now = now;
    const account = (await keeperB.get(`/api/points/accounts/${ranked[0]?.id}`)).json();
    const statement = (await keeperB.get(`/api/points/accounts/${ranked[0]?.id}/statements/${month}`)).json();
    if (localMonth(now) !== month) expect(account.lastMonth.earned + account.thisMonth.earned).toBeGreaterThanOrEqual(0);
    expect(statement).toMatchObject({ month, opening: 0, closing: 100, earned: 100, spent: 0 });

    const ranking = (await keeperB.get(`/api/points/villages/${tree.villageB.id}/rankings?period=month&value=${month}`)).json().items;
    expect(ranking.map((r: { rank: number; points: number }) => [r.rank, r.points])).toEqual([
      [1, 100],
      [2, 50],
      [3, 0],
    ]);
    const tied = (
      await keeperB.get(`/api/points/villages/${tree.villageB.id}/rankings?period=year&value=${Math.floor(month / 100)}`)
    ).json().items;
    expect(tied.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3]);

    await ctx.deps.db
      .updateTable('points_accounts')
      .set({ public_name: 1 })
      .where('household_id', '=', ranked[0]?.id as string)
      .execute();
    const open = (
      await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${tree.villageB.id}/points-ranking?period=month&value=${month}` })
    ).json().items;
    expect(open.map((r: { name: string }) => r.name)).toEqual(['何易光户', '何**户', '何**户']);
    expect(open.every((r: { householdId: string | null }) => r.householdId === null)).toBe(true);
    const notVillage = await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${tree.groupB1.id}/points-ranking` });
    expect(notVillage.statusCode).toBe(404);
  });

  it('shows a villager the ranking with names only of households that agreed, and their own (attacker, 2026-12-03)', async () => {
    const { home, villager } = await family('冉鲜荣');
    const { home: shy } = await family('白小梅', tree.groupA2);
    const { home: open } = await family('张桂兰', tree.groupA2);
    await ctx.deps.db.updateTable('points_accounts').set({ public_name: 0 }).execute();
    const help = await rule({ code: 'help-rank', item: '助人为乐', category: 'civility', points: 30 });
    await grant(help, [home.id, shy.id, open.id]);
    await ctx.deps.db.updateTable('points_accounts').set({ public_name: 1 }).where('household_id', '=', open.id).execute();
    const month = localMonth(ctx.clock.now);
    const url = `/api/points/villages/${tree.villageA.id}/rankings?period=month&value=${month}`;
    const names = (items: { householdId: string; name: string }[]) =>
      Object.fromEntries(items.filter((r) => [home.id, shy.id, open.id].includes(r.householdId)).map((r) => [r.householdId, r.name]));
    const seen = (await villager.get(url)).json().items as { householdId: string | null; name: string }[];
    expect(names(seen as { householdId: string; name: string }[])).toEqual({ [home.id]: '冉鲜荣户', [open.id]: '张桂兰户' });
    // The masked line carries no id that would tell which household it is.
    expect(seen.some((r) => r.name === '白**户' && r.householdId === null)).toBe(true);
    expect(seen.some((r) => r.householdId === shy.id)).toBe(false);
    // The keeper, who keeps the books, sees every household by name.
    expect(names((await keeper.get(url)).json().items)).toEqual({ [home.id]: '冉鲜荣户', [shy.id]: '白小梅户', [open.id]: '张桂兰户' });
  });

  it('sums the village figures the dashboard shows for a year', async () => {
    // A grant and a deduction this year in village A, so that the figures have something to add up.
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    await grant(await rule(RULES.once), [household.id]);
    const reason = '乱扔垃圾';
    expect(
      (await keeper.post('/api/points/deductions', { householdId: household.id, ruleId: await rule(RULES.litter), reason })).statusCode,
    ).toBe(201);
    const year = Math.floor(localMonth(ctx.clock.now) / 100);
    const figures = (await keeper.get(`/api/points/villages/${tree.villageA.id}/summary?period=year&value=${year}`)).json();
    const entries = await ctx.deps.db
      .selectFrom('points_ledger')
      .select(['kind', 'amount', 'household_id', 'month'])
      .where('village_id', '=', tree.villageA.id)
      .execute();
    const inYear = entries.filter((e) => Math.floor(e.month / 100) === year);
    const sum = (kind: string) => inYear.filter((e) => e.kind === kind).reduce((total, e) => total + e.amount, 0);
    expect(figures).toMatchObject({
      granted: sum('grant'),
      deducted: 0 - sum('deduction'),
      redeemed: 0 - (sum('redemption') + sum('cancellation')),
      earningHouseholds: new Set(inYear.filter((e) => e.kind === 'grant').map((e) => e.household_id)).size,
    });
    expect(figures.granted).toBeGreaterThan(0);
    expect(figures.byCategory[0].points).toBeGreaterThanOrEqual(figures.byCategory.at(-1).points);
    expect((await keeperB.get(`/api/points/villages/${tree.villageA.id}/summary`)).statusCode).toBe(404);
  });

  it('shares a rank between households with equal points', () => {
    const row = (number: string, pointsEarned: number) => ({
      householdId: number,
      number,
      headName: 'x',
      regionId: 'r',
      points: pointsEarned,
      publicName: false,
    });
    expect(reports.rank([row('a', 10), row('b', 30), row('c', 10), row('d', 5)]).map((r) => [r.number, r.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('finds a balance that no longer matches its ledger', async () => {
    const household = await buildHousehold(ctx.deps, { region: tree.groupA2 });
    await grant(await rule(RULES.witnessed), [household.id]);
    const admin = await principalOf(await as('countyAdmin', {}, tree.county));
    expect((await reports.verifyAll(ctx.deps, admin)).mismatches).toEqual([]);
    await ctx.deps.db.updateTable('points_accounts').set({ balance: 999_999 }).where('household_id', '=', household.id).execute();
    const check = await reports.verifyAll(ctx.deps, admin);
    expect(check.mismatches).toEqual([expect.objectContaining({ kind: 'balance', id: household.id, actual: 999_999 })]);
    await expect(reports.verifyAll(ctx.deps, await principalOf(keeper))).rejects.toThrow();
  });

  it('names an entry whose balance-after is below zero (data from before balances were floored, or changed behind the ledger)', async () => {
    const household = await buildHousehold(ctx.deps, { region: tree.groupA2 });
    // Booked below the service, as a deduction was before the floor: the ledger's own chain stays whole.
    const entry = await ledgerRepo.book(ctx.deps.db, {
      household: { id: household.id, placement: { ...tree.groupA2.placement, householdId: household.id } },
      amount: -3,
      kind: 'deduction',
      actorUserId: (await principalOf(keeper)).userId,
      at: ctx.clock.now,
    });
    const admin = await principalOf(await as('countyAdmin', {}, tree.county));
    expect((await reports.verifyAll(ctx.deps, admin)).mismatches).toEqual([
      expect.objectContaining({ kind: 'negative', id: entry.id, actual: -3 }),
    ]);
  });
});
