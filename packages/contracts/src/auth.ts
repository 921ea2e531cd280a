import { type Static, Type } from 'typebox';
import { MobilePhone, Nullable, Timestamp } from './common.ts';
import { RoleAssignment } from './org.ts';

export const LoginInput = Type.Object(
  // Only people log in, by their mobile number; integration keys' accounts have names, not phones.
  { phone: MobilePhone, password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginInput>;

export const SessionInfo = Type.Object({
  user: Type.Object({
    id: Type.String(),
    phone: Type.String(),
    displayName: Type.String(),
    householdId: Nullable(Type.String()),
    assignments: Type.Array(RoleAssignment),
  }),
  permissions: Type.Array(Type.String()),
  csrfToken: Type.String(),
  idleTimeoutMinutes: Type.Integer(),
  /** Logins ask for an authenticator code. */
  totpEnabled: Type.Boolean(),
  /** A staff account that must use a second factor and has none: this session may only enrol. */
  totpEnrolmentRequired: Type.Boolean(),
  /** Signed in with a password an administrator set: this session may only change it. */
  passwordChangeRequired: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;

/** Who is signed in on this browser, if anyone: the web app's first question, answered 200 either way. */
export const CurrentSession = Type.Object({ session: Nullable(SessionInfo) });
export type CurrentSession = Static<typeof CurrentSession>;

export const PasswordChangeInput = Type.Object(
  { currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export type PasswordChangeInput = Static<typeof PasswordChangeInput>;

/** The answer to a right password when the account has a second factor: no session yet. */
export const LoginChallenge = Type.Object({
  secondFactor: Type.Literal('totp'),
  /** Sent back with the code; good for a few minutes. */
  pendingToken: Type.String(),
  expiresInSeconds: Type.Integer(),
});
export type LoginChallenge = Static<typeof LoginChallenge>;

/** A login's answer: the session, or the challenge for the second factor. */
export const LoginAnswer = Type.Union([SessionInfo, LoginChallenge]);

export const SecondFactorInput = Type.Object(
  {
    pendingToken: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type SecondFactorInput = Static<typeof SecondFactorInput>;

export const TotpEnrolment = Type.Object({
  /** base32, for typing into the app by hand. */
  secret: Type.String(),
  otpauthUri: Type.String(),
  /** The URI as a QR code, SVG made on the server. */
  qrSvg: Type.String(),
});
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const TotpCodeInput = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export type TotpCodeInput = Static<typeof TotpCodeInput>;

/** Shown once; only their hashes are kept. */
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;

export const TotpDisableInput = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 200 }), code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
export type TotpDisableInput = Static<typeof TotpDisableInput>;

/** DELETE /api/auth/totp/users/:id: an administrator takes a user's second factor away. */
export const TotpUserParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type TotpUserParams = Static<typeof TotpUserParams>;

/**
 * POST /api/auth/sms-code: a villager or family member asks for a six-digit sign-in code by text.
 * The answer is the same whether or not the number has an account that may use codes.
 */
export const SmsCodeRequest = Type.Object({ phone: MobilePhone }, { additionalProperties: false });
export type SmsCodeRequest = Static<typeof SmsCodeRequest>;

export const SmsCodeSent = Type.Object({
  /** How long a code, if one was sent, stays good. */
  expiresInSeconds: Type.Integer(),
  /** When this number may ask again. */
  resendAfterSeconds: Type.Integer(),
});
export type SmsCodeSent = Static<typeof SmsCodeSent>;

/** POST /api/auth/sms-code/login: signs in with the texted code; staySignedIn keeps this phone signed in for 30 days. */
export const SmsCodeLoginInput = Type.Object(
  { phone: MobilePhone, code: Type.String({ pattern: '^[0-9]{6}$' }), staySignedIn: Type.Boolean() },
  { additionalProperties: false },
);
export type SmsCodeLoginInput = Static<typeof SmsCodeLoginInput>;

/** How a session signed in; 'unknown' for sessions opened before this was kept. */
export const SIGN_IN_METHODS = ['password', 'password_totp', 'sms_code', 'unknown'] as const;
export const DEVICE_SYSTEMS = ['android', 'harmony', 'iphone', 'ipad', 'windows', 'mac', 'linux', 'other'] as const;
export const DEVICE_BROWSERS = ['wechat', 'edge', 'chrome', 'firefox', 'safari', 'other'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
export type DeviceSystem = (typeof DEVICE_SYSTEMS)[number];
export type DeviceBrowser = (typeof DEVICE_BROWSERS)[number];

/**
 * GET /api/auth/sessions: one of the signed-in person's own live sessions. `id` is an opaque handle
 * (not the session's token or its hash); the device is only its kind of system and browser, read
 * from the User-Agent kept with the session.
 */
export const SignedInSession = Type.Object({
  id: Type.String(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  signIn: Type.Unsafe<SignInMethod>(Type.Union(SIGN_IN_METHODS.map((m) => Type.Literal(m)))),
  system: Type.Unsafe<DeviceSystem>(Type.Union(DEVICE_SYSTEMS.map((s) => Type.Literal(s)))),
  browser: Type.Unsafe<DeviceBrowser>(Type.Union(DEVICE_BROWSERS.map((b) => Type.Literal(b)))),
  /** A code sign-in that stays signed in on its phone ends then, however idle; null for every other. */
  staysUntil: Nullable(Type.String()),
  /** The session this request came with. */
  current: Type.Boolean(),
});
export type SignedInSession = Static<typeof SignedInSession>;

export const SignedInSessions = Type.Object({ items: Type.Array(SignedInSession) });
export type SignedInSessions = Static<typeof SignedInSessions>;

/** DELETE /api/auth/sessions/:id: ends one of one's own sessions. */
export const SessionHandleParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', maxLength: 22 }) },
  { additionalProperties: false },
);
export type SessionHandleParams = Static<typeof SessionHandleParams>;

/** POST /api/auth/sessions/end-others: how many other sessions ended. */
export const SessionsEnded = Type.Object({ ended: Type.Integer({ minimum: 0 }) });
export type SessionsEnded = Static<typeof SessionsEnded>;
