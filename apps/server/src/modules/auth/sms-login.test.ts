// Signing in with a code texted to the phone: villagers and family members only, one answer for
// every number, single use, five minutes, limits per number and per address, and the choice to
// stay signed in on one's own phone for 30 days.
import { describe, expect, it } from 'vitest';
import { auditEntries } from '../../../test/audit-entries.ts';
import { dialects, lastTextedCode, useTestApp } from '../../../test/build-test-app.ts';
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

  const lastCode = (phone: string) => lastTextedCode(ctx.sms, phone);

  const auditOf = (action: string) => auditEntries(ctx.deps, action);

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
    // The number typed is kept masked (138****0011): the target is enough to trace.
    const masked = `${villager.phone.slice(0, 3)}****${villager.phone.slice(-4)}`;
    expect(await auditOf('auth.sms_code')).toEqual([{ outcome: 'ok', actor: null, targetId: villager.id, details: { phone: masked } }]);
    const logins = await auditOf('auth.login');
    expect(logins[0]).toEqual({
      outcome: 'ok',
      actor: villager.id,
      targetId: villager.id,
      details: { method: 'sms_code', staySignedIn: false },
    });
    expect(logins[1]).toMatchObject({ outcome: 'denied', details: { phone: masked, method: 'sms_code', reason: 'no_code' } });
    const everything = JSON.stringify(await ctx.deps.db.selectFrom('audit_log').select('details').execute());
    expect(everything).not.toContain(villager.phone);
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

  it('keeps every code sent working for its five minutes: asking again does not end the one the villager holds', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const expired = lastCode(villager.phone);
    ctx.clock.advance(5 * 60_000 + 1_000);
    expect((await signIn(villager.phone, expired)).json().error.code).toBe('sms_code_invalid');

    // The villager holds a code; a stranger asks for the number again, from elsewhere.
    await askCode(villager.phone);
    const held = lastCode(villager.phone);
    ctx.clock.advance(61_000);
    expect((await askCode(villager.phone, '10.66.0.1')).statusCode).toBe(202);
    const another = lastCode(villager.phone);
    expect(textsTo(villager.phone)).toHaveLength(3);
    ctx.clock.advance(3 * 60_000);
    expect((await signIn(villager.phone, held)).statusCode).toBe(200);
    // Once, and signing in with one code ends the number's others.
    expect((await signIn(villager.phone, held)).statusCode).toBe(401);
    if (another !== held) expect((await signIn(villager.phone, another)).statusCode).toBe(401);

    // The other way round: the newer code works as well as the older one.
    ctx.clock.advance(61_000);
    await askCode(villager.phone);
    ctx.clock.advance(61_000);
    await askCode(villager.phone);
    expect((await signIn(villager.phone, lastCode(villager.phone))).statusCode).toBe(200);
  });

  it('does not let a stranger guessing from elsewhere spend the owner’s code: five wrong tries from other addresses shut only them out', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const owner = '10.68.0.1';
    await askCode(villager.phone, owner);
    const code = lastCode(villager.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    // Five wrong tries, from two addresses that did not ask for the code.
    for (const address of ['10.68.0.66', '10.68.0.66', '10.68.0.66', '10.68.0.67', '10.68.0.67'])
      expect((await signIn(villager.phone, wrong, false, address)).statusCode).toBe(401);
    // Other addresses are now shut out of this code, even with the right digits...
    expect((await signIn(villager.phone, code, false, '10.68.0.68')).statusCode).toBe(401);
    const tries = (await auditOf('auth.login')).map((entry) => entry.details);
    expect(tries.slice(0, 5).map((d) => d.tries)).toEqual([1, 2, 3, 4, 5]);
    expect(tries[5]?.reason).toBe('no_code');
    // ...while the owner, at the address that asked for it, still signs in with it.
    expect((await signIn(villager.phone, code, false, owner)).statusCode).toBe(200);
  });

  it('counts a wrong code against every live code of the number: five wrong tries end them all', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    await askCode(villager.phone);
    const first = lastCode(villager.phone);
    ctx.clock.advance(61_000);
    await askCode(villager.phone);
    const second = lastCode(villager.phone);
    const wrong = ['000000', '111111', '222222'].find((guess) => guess !== first && guess !== second) as string;
    for (let i = 0; i < 5; i++) expect((await signIn(villager.phone, wrong)).statusCode).toBe(401);
    expect((await signIn(villager.phone, first)).statusCode).toBe(401);
    expect((await signIn(villager.phone, second)).statusCode).toBe(401);
  });

  it('lets a stranger asking for a number hold its owner back at the stranger’s address only, alike for a number without an account', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const stranger = '10.67.0.1';
    const owner = '10.67.0.2';
    const shapes: { status: number; body: string }[][] = [];
    for (const phone of ['13700000002', villager.phone]) {
      const answers: { status: number; body: string }[] = [];
      const ask = async (address: string) => {
        const answer = await askCode(phone, address);
        answers.push({ status: answer.statusCode, body: answer.body });
      };
      await ask(stranger);
      // One a minute per number, from anywhere: the owner's phone is not flooded.
      await ask(owner);
      for (let i = 0; i < 4; i++) {
        ctx.clock.advance(61_000);
        await ask(stranger);
      }
      // Five an hour from the stranger's address: the sixth is refused there...
      ctx.clock.advance(61_000);
      await ask(stranger);
      // ...and the owner, elsewhere, still gets a code.
      await ask(owner);
      shapes.push(answers);
      if (phone !== villager.phone) ctx.clock.advance(60 * 60_000);
    }
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[1]?.map((answer) => answer.status)).toEqual([202, 429, 202, 202, 202, 202, 429, 202]);
    expect(JSON.parse(shapes[1]?.[1]?.body ?? '{}').error.code).toBe('sms_code_too_soon');
    expect(JSON.parse(shapes[1]?.[6]?.body ?? '{}').error.code).toBe('sms_code_too_many');
    expect(textsTo(villager.phone)).toHaveLength(6);
    // The owner signs in with the code sent at their request, or with any the stranger's sent.
    expect((await signIn(villager.phone, lastCode(villager.phone), false, owner)).statusCode).toBe(200);
    const reasons = (await auditOf('auth.sms_code')).filter((e) => e.outcome === 'denied').map((e) => e.details.reason);
    expect(reasons.filter((reason) => reason === 'number_address_limit')).toHaveLength(2);
  });

  it('sends one number at most ten codes a day from one address and forty from all', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const ask = (address: string) => askCode(villager.phone, address);
    // Ten from one address over the day (two an hour), then that address is refused.
    for (let i = 0; i < 10; i++) {
      expect((await ask('10.68.0.1')).statusCode).toBe(202);
      ctx.clock.advance(30 * 60_000);
    }
    const dayOver = await ask('10.68.0.1');
    expect(dayOver.statusCode).toBe(429);
    expect(dayOver.json().error.code).toBe('sms_code_too_many');
    // Thirty more from six other addresses make forty: then the number is refused everywhere for the day.
    for (let i = 0; i < 30; i++) {
      expect((await ask(`10.68.1.${i % 6}`)).statusCode).toBe(202);
      ctx.clock.advance(61_000);
    }
    const capped = await ask('10.68.2.1');
    expect(capped.statusCode).toBe(429);
    expect(capped.json().error.code).toBe('sms_code_too_many');
    expect(textsTo(villager.phone)).toHaveLength(40);
    // A day after the first, the number gets codes again.
    ctx.clock.advance(24 * 60 * 60_000);
    expect((await ask('10.68.2.1')).statusCode).toBe(202);
  });

  it('takes a hundred requests an hour from one carrier address across numbers, whatever the numbers', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    for (let i = 0; i < 100; i++) expect((await askCode(`1370000${String(1000 + i)}`, '10.9.9.9')).statusCode).toBe(202);
    const refused = await askCode(villager.phone, '10.9.9.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('sms_code_too_many');
    expect(textsTo(villager.phone)).toHaveLength(0);
    // Another address is not held back.
    expect((await askCode(villager.phone, '10.9.9.10')).statusCode).toBe(202);
    expect((await auditOf('auth.sms_code')).filter((e) => e.details.reason === 'address_limit')).toHaveLength(1);
  });

  it('counts requests sent at once one after another: one code per number, and no more than the address may ask', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const same = await Promise.all(Array.from({ length: 10 }, (_, i) => askCode(villager.phone, `10.69.0.${i + 1}`)));
    expect(same.filter((answer) => answer.statusCode === 202)).toHaveLength(1);
    expect(same.filter((answer) => answer.json().error?.code === 'sms_code_too_soon')).toHaveLength(9);
    expect(textsTo(villager.phone)).toHaveLength(1);

    const many = await Promise.all(Array.from({ length: 110 }, (_, i) => askCode(`1370001${String(1000 + i)}`, '10.69.1.1')));
    expect(many.filter((answer) => answer.statusCode === 202)).toHaveLength(100);
    expect(many.filter((answer) => answer.statusCode === 429)).toHaveLength(10);
    const stored = await ctx.deps.db
      .selectFrom('sms_login_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('ip', '=', '10.69.1.1')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(100);
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
