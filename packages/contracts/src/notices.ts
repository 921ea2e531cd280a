// Notices: the household traits an audience is chosen by, and the request and response shapes of
// every notices endpoint (writing, the inbox, receipts, village loudspeakers).
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
export type NoticeTrait = (typeof NOTICE_TRAITS)[number];

// anyOf the literals, as the API has always validated it; Unsafe only names its static type (a union
// over a mapped array would type as never).
const Trait = Type.Unsafe<NoticeTrait>(Type.Union(NOTICE_TRAITS.map((t) => Type.Literal(t))));

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
    /** Households chosen by the server (agri's advice to the farms it concerns), counted. */
    households: Type.Integer(),
    /** What those households were chosen by: agri's crops and animals (ADVICE_SUBJECTS). */
    subjects: Type.Array(Type.String()),
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

export const NoticeList = Type.Object({ items: Type.Array(Notice) });
export type NoticeList = Static<typeof NoticeList>;

const DateTime = Type.String({ format: 'date-time', maxLength: 40 });

/** Who a notice is for; no places, grids or people named means the author's own place. */
export const NoticeAudience = Type.Object(
  {
    regionIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
    gridIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
    traits: Type.Optional(Type.Array(Trait, { maxItems: 10 })),
    personIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type NoticeAudience = Static<typeof NoticeAudience>;

/** How many an audience reaches now, before anything is sent. */
export const AudienceSize = Type.Object({ people: Type.Integer(), households: Type.Integer() });
export type AudienceSize = Static<typeof AudienceSize>;

export const NoticeInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    body: Type.String({ minLength: 1, maxLength: 5000 }),
    urgent: Type.Boolean(),
    expiresAt: Type.Optional(DateTime),
    audience: NoticeAudience,
    send: Type.Optional(Type.Boolean()),
    scheduledAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type NoticeInput = Static<typeof NoticeInput>;

export const NoticeTransition = Type.Object(
  {
    action: Type.Union([Type.Literal('send'), Type.Literal('schedule'), Type.Literal('cancel')]),
    scheduledAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type NoticeTransition = Static<typeof NoticeTransition>;

export const NoticeFileParams = Type.Object({ id: Id, fileId: Id });
export const AttachmentName = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

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

export const LoudspeakerInput = Type.Object(
  { villageId: Id, name: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
export type LoudspeakerInput = Static<typeof LoudspeakerInput>;

/** The key is shown once, at registration. */
export const LoudspeakerKey = Type.Object({ id: Id, key: Type.String() });
export type LoudspeakerKey = Static<typeof LoudspeakerKey>;

export const Broadcasts = Type.Object({ items: Type.Array(Type.Object({ id: Id, kind: Type.String(), text: Type.String() })) });
export type Broadcasts = Static<typeof Broadcasts>;
