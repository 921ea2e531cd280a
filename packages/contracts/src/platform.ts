import { type Static, Type } from 'typebox';

/** What the login page may know before anyone signs in. */
export const PlatformInfo = Type.Object({
  demo: Type.Boolean({
    description: 'The server runs the demo county with published passwords (never in production); the login page says so loudly',
  }),
});
export type PlatformInfo = Static<typeof PlatformInfo>;
