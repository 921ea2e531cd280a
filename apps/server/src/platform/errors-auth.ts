// Refusals of signing in and of what a session owes (modules/auth): a wrong password or code, the
// lockout, the texted code's limits, the second factor and the change of a password someone else
// chose. Kept apart from errors.ts's catalogue, which spreads them in.
export const AUTH_ERRORS = {
  // {lockWarning} is said only with a triesLeft parameter (the last tries before the lock).
  invalid_credentials: { status: 401, zh: '手机号或密码错误{lockWarning}', en: 'Wrong phone number or password{lockWarning}' },
  account_locked: {
    status: 423,
    zh: '密码错误次数过多，密码登录已锁定{minutes}分钟。村民和家属现在就可以用短信验证码登录；急用也可以找乡镇或县里的管理员解锁',
    en: 'Too many wrong passwords; password sign-in is locked for {minutes} minutes. Villagers and family members can sign in with a text-message code now; a township or county administrator can also unlock it sooner',
  },
  invalid_totp_code: { status: 401, zh: '验证码错误或已使用过', en: 'Wrong or already used code' },
  sms_code_invalid: {
    status: 401,
    zh: '验证码不对或已过期，请核对短信后重新输入；多次输错或已过期需重新获取',
    en: 'The code is wrong or has expired; check the text message and type it again. After several wrong tries, or once it expires, ask for a new one',
  },
  sms_code_too_soon: {
    status: 429,
    zh: '验证码已发送，请{seconds}秒后再重新获取',
    en: 'A code was just sent; you can ask again in {seconds} seconds',
  },
  sms_code_too_many: {
    status: 429,
    zh: '获取验证码太频繁，请{minutes}分钟后再试',
    en: 'Too many codes asked for; try again in {minutes} minutes',
  },
  login_challenge_expired: {
    status: 401,
    zh: '验证超时，请重新输入手机号和密码',
    en: 'Too slow; log in again with your phone and password',
  },
  totp_enrolment_required: {
    status: 403,
    zh: '请先绑定验证器应用（两步验证），才能使用其他功能',
    en: 'Set up your authenticator app (two-step verification) before doing anything else',
  },
  password_change_required: {
    status: 403,
    zh: '您的密码是管理员设置的，请先改成只有您自己知道的新密码，才能使用其他功能',
    en: 'Your password was set by an administrator; change it to one only you know before doing anything else',
  },
  password_unchanged: {
    status: 400,
    zh: '新密码不能和现在的密码一样',
    en: 'The new password must differ from the current one',
  },
  password_changed_meanwhile: {
    status: 409,
    zh: '密码刚刚被管理员重置或在别处修改过，这次修改没有生效，请重新登录',
    en: 'The password was just reset by an administrator or changed elsewhere; this change did not take effect. Please log in again',
  },
  totp_already_enabled: { status: 409, zh: '已启用两步验证', en: 'Two-step verification is already on' },
  totp_not_started: { status: 409, zh: '请先开始绑定验证器应用', en: 'Start setting up the authenticator app first' },
  totp_not_enabled: { status: 409, zh: '未启用两步验证', en: 'Two-step verification is not on' },
} satisfies Record<string, { status: number; zh: string; en: string }>;
