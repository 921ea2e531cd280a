// What a villager reads while getting the password wrong: the last two tries before the lock warn,
// the lock says that a texted code still signs them in (and it does), and a number without an
// account reads exactly the same words at every try, so the warning tells nobody which numbers
// are registered.
import { describe, expect, it } from 'vitest';
import { dialects, lastTextedCode, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, type Tree } from '../../../test/factories.ts';

describe.each(dialects)('the words of wrong passwords and the lock on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
  });

  const loginRequest = (phone: string, password: string, language = 'zh-CN', remoteAddress = '10.4.0.1') =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password },
      headers: { 'accept-language': language },
      remoteAddress,
    });

  it('warns on the last two tries, says how to sign in by text at the lock, the same for a number with no account', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const known: { status: number; error: { code: string; message: string } }[] = [];
    const unknown: typeof known = [];
    for (let i = 0; i < 5; i++) {
      const a = await loginRequest(villager.phone, 'Wrong12345');
      known.push({ status: a.statusCode, error: a.json().error });
      const b = await loginRequest('13312345670', 'Wrong12345');
      unknown.push({ status: b.statusCode, error: b.json().error });
    }
    expect(unknown).toEqual(known);
    expect(known.map((k) => k.status)).toEqual([401, 401, 401, 401, 423]);
    expect(known.slice(0, 4).map((k) => k.error.code)).toEqual(Array(4).fill('invalid_credentials'));
    expect(known[0]?.error.message).toBe('手机号或密码错误');
    expect(known[1]?.error.message).toBe('手机号或密码错误');
    expect(known[2]?.error.message).toBe('手机号或密码错误。再错2次，密码登录将锁定15分钟');
    expect(known[3]?.error.message).toBe('手机号或密码错误。再错1次，密码登录将锁定15分钟');
    expect(known[4]?.error.code).toBe('account_locked');
    expect(known[4]?.error.message).toContain('锁定15分钟');
    expect(known[4]?.error.message).toContain('用短信验证码登录');

    // The right password is refused while locked, with the same way out.
    const locked = await loginRequest(villager.phone, 'Wrong12345', 'en');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.message).toContain('text-message code');

    // And the way out works: a texted code signs the villager in during the lock.
    const asked = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sms-code',
      payload: { phone: villager.phone },
      remoteAddress: '10.4.0.1',
    });
    expect(asked.statusCode).toBe(202);
    const code = lastTextedCode(ctx.sms, villager.phone);
    const signedIn = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sms-code/login',
      payload: { phone: villager.phone, code, staySignedIn: false },
      remoteAddress: '10.4.0.1',
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.id).toBe(villager.id);
  });

  it('warns in English too, and counts each address on its own', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    for (let i = 0; i < 2; i++) await loginRequest(villager.phone, 'Wrong12345', 'en');
    const third = await loginRequest(villager.phone, 'Wrong12345', 'en');
    expect(third.json().error.message).toBe(
      'Wrong phone number or password. Wrong tries left before password sign-in locks for 15 minutes: 2',
    );
    // Another address has its own count: no warning there yet.
    const elsewhere = await loginRequest(villager.phone, 'Wrong12345', 'zh-CN', '10.4.9.9');
    expect(elsewhere.json().error.message).toBe('手机号或密码错误');
  });
});
