import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';

export const Notification = Type.Object({
  id: Id,
  topic: Type.String(),
  subjectType: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  message: Type.String({ description: "In the reader's language" }),
  createdAt: Timestamp,
  readAt: Nullable(Type.String()),
});
export type Notification = Static<typeof Notification>;

export const NotificationQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});
export type NotificationQuery = Static<typeof NotificationQuery>;

export const NotificationPage = Type.Object({
  items: Type.Array(Notification),
  nextCursor: Nullable(Type.String()),
  unread: Type.Integer(),
  unreadNotices: Type.Integer({
    description:
      "Of the unread, the messages that announce a notice (topic notices.notice): the notices inbox counts those, so the home's 消息 tile leaves them out and each unread notice is counted once, on 通知",
  }),
});
export type NotificationPage = Static<typeof NotificationPage>;
