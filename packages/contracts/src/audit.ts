import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actorUserId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  action: Type.String(),
  outcome: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  regionId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  details: Type.Unknown(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    actorUserId: Type.Optional(Type.String({ maxLength: 40 })),
    action: Type.Optional(Type.String({ maxLength: 80, description: 'Exact action, or a prefix ending in a dot' })),
    targetId: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  }),
]);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = pageOf(AuditEntry);

/** Both ends required: an export is of a stated period, [from, to). */
export const AuditExportQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', maxLength: 40 }),
    to: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

/** The audit chain's head, to record outside the machine; `npm run audit:verify -- --expect-head <seq>:<chainHash>` checks the chain still reaches it. */
export const AuditHead = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  chainHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  /** `<seq>:<chainHash>`, as --expect-head takes it. */
  head: Type.String(),
});
export type AuditHead = Static<typeof AuditHead>;
