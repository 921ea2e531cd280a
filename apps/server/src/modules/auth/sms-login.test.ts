// Signing in with a code texted to the phone: villagers and family members only, one answer for
// every number, single use, five minutes, limits per number and per address, and the choice to
// stay signed in on one's own phone for 30 days.
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, type Tree } from '../../../test/factories.ts';

describe.each(dialects)('sign-in by text message code on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
  });

  const askCode = (phone: string, remoteAddress = '10.9.0.1') =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { phone }, remoteAddress });

  const signIn = (phone: string, code: string, staySignedIn = false, remoteAddress = '10.9.0.1') =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code/login', payload: { phone, code, staySignedIn }, remoteAddress });

  const textsTo = (phone: string) => ctx.sms.sent.filter((text) => text.phone === phone);

  function lastCode(phone: string): string {
    const text = textsTo(phone).at(-1)?.text ?? '';
    const code = text.match(/\d{6}/)?.[0];
    if (!code) throw new Error(`no code texted to ${phone}`);
    return code;
  }

  const auditOf = async (action: string) =>
    (
      await ctx.deps.db
        .selectFrom('audit_log')
        .select(['outcome', 'actor_user_id', 'target_id', 'details'])
        .where('action', '=', action)
        .orderBy('id')
        .execute()
    ).map((row) => ({ outcome: row.outcome, actor: row.actor_user_id, targetId: row.target_id, details: JSON.parse(row.details ?? '{}') }));

  const asSession = (cookie: string) =>
    ctx.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `cz_session=${cookie}` } });
  const cookieOf = (response: Awaited<ReturnType<typeof signIn>>) => response.cookies.find((c) => c.name === 'cz_session');

  it('texts a villager a six-digit code that signs them in once, kept only as a hash, and audits both', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const asked = await askCode(villager.phone);
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    expect(textsTo(villager.phone)).toHaveLength(1);
    expect(textsTo(villager.phone)[0]?.text).toMatch(/验证码是\d{6}，5分钟内有效/);
    const code = lastCode(villager.phone);

    const stored = await ctx.deps.db.selectFrom('sms_login_codes').selectAll().where('phone', '=', villager.phone).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);

    const signedIn = await signIn(villager.phone, code);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.id).toBe(villager.id);
    const cookie = cookieOf(signedIn);
    expect(cookie?.httpOnly).toBe(true);
    // Not asked to stay: the cookie ends with the browser.
    expect(cookie?.maxAge).toBeUndefined();
    expect((await asSession(cookie?.value ?? '')).statusCode).toBe(200);

    // Used once: the same code again is refused.
    const again = await signIn(villager.phone, code);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('sms_code_invalid');

    // Anyone may type a number: who asked for the code is not the account's owner, who is its target.
    expect(await auditOf('auth.sms_code')).toEqual([
      { outcome: 'ok', actor: null, targetId: villager.id, details: { phone: villager.phone } },
    ]);
    const logins = await auditOf('auth.login');
    expect(logins[0]).toEqual({
      outcome: 'ok',
      actor: villager.id,
      targetId: villager.id,
      details: { method: 'sms_code', staySignedIn: false },
    });
    expect(logins[1]).toMatchObject({ outcome: 'denied', details: { method: 'sms_code', reason: 'no_code' } });
  });

  it('signs a family member in by code too', async () => {
    const family = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    expect((await askCode(family.phone)).statusCode).toBe(202);
    const signedIn = await signIn(family.phone, lastCode(family.phone));
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.id).toBe(family.id);
  });

  it('answers an unknown number, staff and a villager who is also staff exactly as a villager, and texts them nothing', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const staff = await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA });
    const cadre = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const both = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await ctx.deps.db
      .insertInto('role_assignments')
      .values({
        id: `ra-${both.id}`,
        user_id: both.id,
        role: 'caretaker',
        region_id: tree.villageA.id,
        grid_id: null,
        created_at: ctx.deps.now(),
      })
      .execute();
    const unknown = '13700000001';

    const answers = await Promise.all([villager.phone, staff.phone, cadre.phone, both.phone, unknown].map((phone) => askCode(phone)));
    const shapes = answers.map((answer) => ({ status: answer.statusCode, body: answer.body }));
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    expect(ctx.sms.sent.map((text) => text.phone)).toEqual([villager.phone]);

    // Nothing they type opens a session: there is no code.
    for (const phone of [staff.phone, cadre.phone, both.phone, unknown]) {
      const refused = await signIn(phone, '123456');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('sms_code_invalid');
    }
    const reasons = (await auditOf('auth.sms_code')).filter((entry) => entry.outcome === 'denied').map((entry) => entry.details.reason);
    expect(reasons.sort()).toEqual(['not_household', 'not_household', 'not_household', 'unknown_phone']);
  });

  it('refuses a wrong code, and after five wrong tries the right one too', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const code = lastCode(villager.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const refused = await signIn(villager.phone, wrong);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('sms_code_invalid');
    }
    expect((await signIn(villager.phone, code)).statusCode).toBe(401);
    const denied = (await auditOf('auth.login')).map((entry) => entry.details);
    expect(denied.slice(0, 5).map((d) => d.tries)).toEqual([1, 2, 3, 4, 5]);
    expect(denied.slice(0, 5).every((d) => d.reason === 'wrong_code')).toBe(true);
    expect(denied[5]?.reason).toBe('no_code');
  });

  it('takes a code for five minutes only, and only the newest code of a number', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const first = lastCode(villager.phone);
    ctx.clock.advance(5 * 60_000 + 1_000);
    expect((await signIn(villager.phone, first)).json().error.code).toBe('sms_code_invalid');

    await askCode(villager.phone);
    const second = lastCode(villager.phone);
    ctx.clock.advance(61_000);
    await askCode(villager.phone);
    const third = lastCode(villager.phone);
    if (second !== third) expect((await signIn(villager.phone, second)).statusCode).toBe(401);
    ctx.clock.advance(4 * 60_000);
    expect((await signIn(villager.phone, third)).statusCode).toBe(200);
  });

  it('sends a number one code a minute and five an hour, with the same refusals for a number without an account', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    for (const phone of [villager.phone, '13700000002']) {
      expect((await askCode(phone)).statusCode).toBe(202);
      const tooSoon = await askCode(phone);
      expect(tooSoon.statusCode).toBe(429);
      expect(tooSoon.json().error.code).toBe('sms_code_too_soon');
      expect(tooSoon.json().error.message).toContain('60秒');
      for (let i = 0; i < 4; i++) {
        ctx.clock.advance(61_000);
        expect((await askCode(phone)).statusCode).toBe(202);
      }
      ctx.clock.advance(61_000);
      const tooMany = await askCode(phone);
      expect(tooMany.statusCode).toBe(429);
      expect(tooMany.json().error.code).toBe('sms_code_too_many');
      ctx.clock.advance(60 * 60_000);
      expect((await askCode(phone)).statusCode).toBe(202);
    }
    // One refused request sent no text: five in the first hour, one after it.
    expect(textsTo(villager.phone)).toHaveLength(6);
    expect((await auditOf('auth.sms_code')).filter((e) => e.details.reason === 'too_soon')).toHaveLength(2);
  });

  it('takes twenty requests an hour from one address, whatever the numbers', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    for (let i = 0; i < 20; i++) expect((await askCode(`1370000${String(1000 + i)}`, '10.9.9.9')).statusCode).toBe(202);
    const refused = await askCode(villager.phone, '10.9.9.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('sms_code_too_many');
    expect(textsTo(villager.phone)).toHaveLength(0);
    // Another address is not held back.
    expect((await askCode(villager.phone, '10.9.9.10')).statusCode).toBe(202);
    expect((await auditOf('auth.sms_code')).filter((e) => e.details.reason === 'address_limit')).toHaveLength(1);
  });

  it('keeps a villager who chose to stay signed in for 30 days, through 12 idle hours, and no longer', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const staying = await signIn(villager.phone, lastCode(villager.phone), true);
    expect(staying.statusCode).toBe(200);
    const cookie = cookieOf(staying);
    expect(cookie?.maxAge).toBe(30 * 24 * 3600);

    ctx.clock.advance(61_000);
    await askCode(villager.phone);
    const ordinary = cookieOf(await signIn(villager.phone, lastCode(villager.phone), false));

    ctx.clock.advance(13 * 60 * 60_000);
    expect((await asSession(cookie?.value ?? '')).statusCode).toBe(200);
    // The sign-in that did not ask to stay ended after the usual idle time.
    expect((await asSession(ordinary?.value ?? '')).json().error.code).toBe('session_expired');

    ctx.clock.advance((29 * 24 - 13) * 60 * 60_000);
    expect((await asSession(cookie?.value ?? '')).statusCode).toBe(200);
    ctx.clock.advance(24 * 60 * 60_000);
    expect((await asSession(cookie?.value ?? '')).json().error.code).toBe('session_expired');
  });

  it('ends a 30-day phone session at staff limits once the account is given a staff role', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const cookie = cookieOf(await signIn(villager.phone, lastCode(villager.phone), true));
    ctx.clock.advance(60 * 60_000);
    expect((await asSession(cookie?.value ?? '')).statusCode).toBe(200);
    await ctx.deps.db
      .insertInto('role_assignments')
      .values({
        id: `ra-cadre-${villager.id}`,
        user_id: villager.id,
        role: 'villageCadre',
        region_id: tree.villageA.id,
        grid_id: null,
        created_at: ctx.deps.now(),
      })
      .execute();
    // Past the twelve hours a staff session may last from its sign-in: over, though 30 days were asked for.
    ctx.clock.advance(12 * 60 * 60_000);
    expect((await asSession(cookie?.value ?? '')).json().error.code).toBe('session_expired');
  });

  it('gives staff no code: they keep the password and the second factor', async () => {
    const staff = await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA });
    await askCode(staff.phone);
    expect(textsTo(staff.phone)).toHaveLength(0);
    // A villager who becomes staff after the code was sent cannot use it either.
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    await ctx.deps.db
      .insertInto('role_assignments')
      .values({
        id: `ra-${villager.id}`,
        user_id: villager.id,
        role: 'pointsKeeper',
        region_id: tree.villageA.id,
        grid_id: null,
        created_at: ctx.deps.now(),
      })
      .execute();
    const refused = await signIn(villager.phone, lastCode(villager.phone));
    expect(refused.statusCode).toBe(401);
    expect((await auditOf('auth.login')).at(-1)?.details.reason).toBe('not_household');
  });

  it('refuses malformed numbers and codes without echoing them', async () => {
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { phone: '<script>' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('<script>');
    const badCode = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sms-code/login',
      payload: { phone: '13700000003', code: '12ab56', staySignedIn: false },
    });
    expect(badCode.statusCode).toBe(400);
    const extra = await ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { phone: '13700000003', role: 'x' } });
    expect(extra.statusCode).toBe(400);
  });
});
