// Notices: the household traits an audience is chosen by, and the shapes of notices and receipts.
import { type Static, Type } from 'typebox';
import { Id, Nullable } from './common.ts';

export const NOTICE_TRAITS = [
  'hasElder',
  'monitoredForPoverty',
  'keepsChickens',
  'keepsPigs',
  'growsTea',
  'hasStudent',
  'hasDisabledMember',
] as const;

export const Notice = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  urgent: Type.Boolean(),
  audience: Type.Object({
    regionIds: Type.Array(Id),
    gridIds: Type.Array(Id),
    traits: Type.Array(Type.String()),
    personIds: Type.Array(Id),
  }),
  attachments: Type.Array(Type.Object({ id: Id, name: Type.String(), contentType: Type.String() })),
  state: Type.String(),
  scheduledAt: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  recipients: Type.Integer(),
  createdAt: Type.String(),
});
export type Notice = Static<typeof Notice>;

export const Inbox = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(Type.Object({ id: Id, title: Type.String(), urgent: Type.Boolean(), sentAt: Type.String(), read: Type.Boolean() })),
});
export type Inbox = Static<typeof Inbox>;

export const Receipts = Type.Object({
  people: Type.Integer(),
  read: Type.Integer(),
  households: Type.Array(
    Type.Object({
      householdId: Type.String(),
      headName: Type.String(),
      members: Type.Integer(),
      read: Type.Integer(),
      firstReadAt: Nullable(Type.String()),
    }),
  ),
});
export type Receipts = Static<typeof Receipts>;
