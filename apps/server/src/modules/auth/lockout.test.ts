// The account lockout holds however the attempts arrive, and one address cannot go through the
// accounts one after another: OWASP ASVS 4.0.3 V2.2.1 (anti-automation: "no more than 100 failed
// attempts per hour is possible on a single account", soft lockout, rate limiting).
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { recordLoginSuccess } from './credentials.repository.ts';

describe.each(dialects)('account lockout under concurrency on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { LOGIN_FAILURES_PER_ADDRESS: '1000' },
  );

  const loginRequest = (phone: string, password: string, remoteAddress = '10.0.0.1') =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password }, remoteAddress });

  it('counts eight wrong passwords sent at once as eight: the account locks and the right password is refused', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const answers = await Promise.all(Array.from({ length: 8 }, () => loginRequest(user.phone, 'Wrong12345')));
    const codes = answers.map((a) => a.json().error.code);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(4);
    expect(codes.filter((c) => c === 'account_locked')).toHaveLength(4);

    const right = await loginRequest(user.phone, PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('account_locked');
    expect(right.cookies.find((c) => c.name === 'cz_session')).toBeUndefined();

    // The lock is the usual one: 15 minutes from the fifth failure, then the right password works.
    ctx.clock.advance(15 * 60_000 + 1_000);
    expect((await loginRequest(user.phone, PASSWORD)).statusCode).toBe(200);
  });

  it('does not open a session for a right password checked while the account was being locked', async () => {
    // The password check takes a while; wrong passwords sent with the right one may lock the
    // account meanwhile. The success is recorded only if the account is still unlocked then.
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    await Promise.all(Array.from({ length: 5 }, () => loginRequest(user.phone, 'Wrong12345')));
    const now = ctx.deps.now();
    expect(await recordLoginSuccess(ctx.deps.db, user.id, now)).toBe(false);
    const row = await ctx.deps.db.selectFrom('credentials').select('locked_until').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.locked_until).toBe(now + 15 * 60_000);
  });

  it('keeps counting in the database: wrong passwords from many addresses at once lock the account too', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => loginRequest(user.phone, 'Wrong12345', `10.1.0.${i + 1}`)));
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(4);
    expect((await loginRequest(user.phone, PASSWORD, '10.1.1.1')).statusCode).toBe(423);
    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'auth.login')
      .where('target_id', '=', user.id)
      .where('outcome', '=', 'denied')
      .execute();
    const reasons = audit.map((row) => JSON.parse(row.details ?? '{}').reason);
    expect(reasons.filter((r) => r === 'wrong_password_locked')).toHaveLength(1);
  });
});

describe.each(dialects)('failed logins per client address on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { LOGIN_FAILURES_PER_ADDRESS: '6' },
  );

  const loginRequest = (phone: string, password: string, remoteAddress: string, language = 'zh-CN') =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password },
      remoteAddress,
      headers: { 'accept-language': language },
    });

  it('refuses an address with 429 once it has failed the limit across accounts, and audits it once', async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, () => buildUser(ctx.deps, { role: 'villager', region: tree.villageA })));
    const attacker = '10.2.0.1';
    // Two wrong passwords on each of three accounts: no account is locked, but the address is done.
    for (const account of accounts.slice(0, 3)) {
      for (let i = 0; i < 2; i++) expect((await loginRequest(account.phone, 'Wrong12345', attacker)).statusCode).toBe(401);
    }
    const refused = await loginRequest((accounts[3] as { phone: string }).phone, PASSWORD, attacker, 'en');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_failed_logins');
    expect(refused.json().error.message).toBe('Too many failed logins from this network; try again in 15 minutes');
    expect(refused.cookies.find((c) => c.name === 'cz_session')).toBeUndefined();

    // Everyone else, and the accounts themselves from elsewhere, are untouched.
    expect((await loginRequest((accounts[3] as { phone: string }).phone, PASSWORD, '10.2.0.2')).statusCode).toBe(200);
    expect((await loginRequest((accounts[0] as { phone: string }).phone, PASSWORD, '10.2.0.2')).statusCode).toBe(200);

    const blocked = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['ip', 'outcome', 'details'])
      .where('action', '=', 'auth.address_blocked')
      .where('ip', '=', attacker)
      .execute();
    expect(blocked).toHaveLength(1);
    expect(blocked[0]?.outcome).toBe('denied');
    expect(JSON.parse(blocked[0]?.details ?? '{}')).toEqual({ failedLogins: 6, windowMinutes: 15 });

    // The window is 15 minutes from the failures.
    ctx.clock.advance(15 * 60_000 + 1_000);
    expect((await loginRequest((accounts[3] as { phone: string }).phone, PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('holds the limit against attempts sent all at once: no more than the limit are even checked', async () => {
    const accounts = await Promise.all(Array.from({ length: 20 }, () => buildUser(ctx.deps, { role: 'villager', region: tree.villageA })));
    const attacker = '10.3.0.1';
    const answers = await Promise.all(accounts.map((account) => loginRequest(account.phone, 'Wrong12345', attacker)));
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(6);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(14);
    const denied = await ctx.deps.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'auth.login')
      .where('ip', '=', attacker)
      .executeTakeFirstOrThrow();
    expect(Number(denied.n)).toBe(6);
  });

  it('counts wrong current passwords on the password form against the address, with logins', async () => {
    const [first, second, third] = await Promise.all(
      Array.from({ length: 3 }, () => buildUser(ctx.deps, { role: 'villager', region: tree.villageA })),
    );
    const attacker = '10.5.0.1';
    const session = await login(ctx.app, (first as { phone: string }).phone, PASSWORD);
    const change = (currentPassword: string) =>
      session.request({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword, newPassword: 'NewPass2026x' },
        remoteAddress: attacker,
      });
    for (let i = 0; i < 3; i++) expect((await change('Wrong12345')).statusCode).toBe(401);
    for (let i = 0; i < 3; i++)
      expect((await loginRequest((second as { phone: string }).phone, 'Wrong12345', attacker)).statusCode).toBe(401);
    expect((await loginRequest((third as { phone: string }).phone, PASSWORD, attacker)).statusCode).toBe(429);
    const refused = await change(PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_failed_logins');
  });

  it('does not count successful logins against the address', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    for (let i = 0; i < 10; i++) expect((await loginRequest(user.phone, PASSWORD, '10.4.0.1')).statusCode).toBe(200);
  });
});

describe.each(dialects)('the password change form and the lockout on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { LOGIN_FAILURES_PER_ADDRESS: '1000' },
  );

  const stateOf = (id: string) =>
    ctx.deps.db
      .selectFrom('credentials')
      .select(['password_hash', 'failed_logins', 'locked_until'])
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();

  it('counts wrong current passwords sent at once toward the lock: five lock it, and then the right one is refused', async () => {
    // The probe sent 30 wrong current passwords (30 x 401, nothing counted), then the right one (204).
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const before = await stateOf(user.id);
    const change = (currentPassword: string) => session.post('/api/auth/password', { currentPassword, newPassword: 'NewPass2026x' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => change('Wrong12345')));
    const codes = answers.map((a) => a.json().error.code);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(4);
    expect(codes.filter((c) => c === 'account_locked')).toHaveLength(4);
    expect(answers.filter((a) => a.statusCode === 423)).toHaveLength(4);

    const right = await change(PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('account_locked');
    expect((await stateOf(user.id)).password_hash).toBe(before.password_hash);
    // The same lock a login meets.
    expect((await loginRequest(user.phone, PASSWORD)).statusCode).toBe(423);

    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'auth.password_changed')
      .where('target_id', '=', user.id)
      .where('outcome', '=', 'denied')
      .execute();
    const reasons = audit.map((row) => JSON.parse(row.details ?? '{}').reason);
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(4);
    expect(reasons.filter((r) => r === 'wrong_password_locked')).toHaveLength(1);
    expect(reasons).toContain('locked');
    expect(audit.every((row) => row.actor_user_id === user.id)).toBe(true);

    ctx.clock.advance(15 * 60_000 + 1_000);
    expect((await change(PASSWORD)).statusCode).toBe(204);
  });

  it('a right current password clears nothing it should not, and a wrong one counts like a wrong login', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    for (let i = 0; i < 2; i++)
      expect((await session.post('/api/auth/password', { currentPassword: 'Wrong12345', newPassword: 'NewPass2026x' })).statusCode).toBe(
        401,
      );
    expect((await stateOf(user.id)).failed_logins).toBe(2);
    for (let i = 0; i < 3; i++) expect((await loginRequest(user.phone, 'Wrong12345')).statusCode).toBe(i < 2 ? 401 : 423);
  });

  const loginRequest = (phone: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password }, remoteAddress: '10.9.0.1' });
});
