import { type Static, Type } from 'typebox';
import { MobilePhone, Nullable } from './common.ts';
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
});
export type SessionInfo = Static<typeof SessionInfo>;

export const PasswordChangeInput = Type.Object(
  { currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export type PasswordChangeInput = Static<typeof PasswordChangeInput>;
