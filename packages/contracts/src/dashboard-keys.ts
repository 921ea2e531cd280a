// Screen keys (dashboard module): one per wall screen, issued by the county, a township or a village
// for its own place, stored hashed, revocable at once. A key reads only the screen of its region
// and the places under it, nothing else.
import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';
import { ScreenRegion } from './dashboard.ts';

/** The cookie the screen session sets (HttpOnly, SameSite=Strict, Path=/api). */
export const SCREEN_COOKIE = 'cz_screen';
/** The Authorization scheme of a screen key: `Authorization: ScreenKey <key>`. */
export const SCREEN_KEY_SCHEME = 'ScreenKey';

export const ScreenKeyInput = Type.Object(
  {
    regionId: Id,
    /** What the screen is, for the list: 坪坝村村委会大厅. */
    name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type ScreenKeyInput = Static<typeof ScreenKeyInput>;

export const ScreenKeySummary = Type.Object({
  id: Id,
  name: Type.String(),
  region: ScreenRegion,
  createdAt: Timestamp,
  /** Who issued it (their display name); null for the demo's keys, issued by no one. */
  issuedBy: Nullable(Type.String()),
  /** The last time the key read the screen (at most a minute out of date). */
  lastUsedAt: Nullable(Type.String()),
  /** When it was revoked: the list keeps a revoked key for 30 days. */
  revokedAt: Nullable(Type.String()),
});
export type ScreenKeySummary = Static<typeof ScreenKeySummary>;

/** POST /api/screen/keys: the key itself is shown this once and never again. */
export const IssuedScreenKey = Type.Object({ ...ScreenKeySummary.properties, key: Type.String() });
export type IssuedScreenKey = Static<typeof IssuedScreenKey>;

export const ScreenKeyQuery = Type.Object({ regionId: Type.Optional(Id) }, { additionalProperties: false });
/** GET /api/screen/keys: the live keys, and those revoked in the last 30 days (revokedAt set). */
export const ScreenKeyList = Type.Object({ items: Type.Array(ScreenKeySummary) });
export type ScreenKeyList = Static<typeof ScreenKeyList>;
export const ScreenKeyParams = Type.Object({ id: Id }, { additionalProperties: false });

/** POST /api/screen/session: a wall browser presents its key once and gets the screen cookie. */
export const ScreenSessionInput = Type.Object({ key: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type ScreenSessionInput = Static<typeof ScreenSessionInput>;
export const ScreenSession = Type.Object({ region: ScreenRegion, keyName: Type.String() });
export type ScreenSession = Static<typeof ScreenSession>;
