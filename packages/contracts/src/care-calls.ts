// Family calls and a look at home (care): WebRTC between a family member's phone and the elder's
// home device, signalled through the platform, on the wire.
import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';

export const CALL_KINDS = ['call', 'look'] as const;
export type CallKind = (typeof CALL_KINDS)[number];
export const CALL_STATES = ['ringing', 'active', 'ended', 'missed', 'declined'] as const;
export type CallState = (typeof CALL_STATES)[number];
/** Who started it: the elder's home device, a linked family member, or the elder's caretaker. */
export const CALL_DIRECTIONS = ['home', 'family', 'caretaker'] as const;

export const StartCallInput = Type.Object(
  {
    kind: Type.Union([Type.Literal('call'), Type.Literal('look')]),
    /** From a family member's phone: the elder whose home is called. */
    elderPersonId: Type.Optional(Id),
    /** From the home device: the family member or caretaker called. */
    userId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type StartCallInput = Static<typeof StartCallInput>;

export const Call = Type.Object({
  id: Id,
  elderPersonId: Id,
  elderName: Type.String(),
  kind: Type.Union([Type.Literal('call'), Type.Literal('look')]),
  direction: Type.Union([Type.Literal('home'), Type.Literal('family'), Type.Literal('caretaker')]),
  userId: Id,
  userName: Type.String(),
  state: Type.Union([
    Type.Literal('ringing'),
    Type.Literal('active'),
    Type.Literal('ended'),
    Type.Literal('missed'),
    Type.Literal('declined'),
  ]),
  autoAnswered: Type.Boolean(),
  startedAt: Timestamp,
  answeredAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
});
export type Call = Static<typeof Call>;

export const CallList = Type.Object({ items: Type.Array(Call) });
export type CallList = Static<typeof CallList>;

export const CallHistoryQuery = Type.Object({ elderPersonId: Type.Optional(Id) }, { additionalProperties: false });

export const EndCallInput = Type.Object(
  { reason: Type.Optional(Type.Union([Type.Literal('hangup'), Type.Literal('declined'), Type.Literal('failed')])) },
  { additionalProperties: false },
);

export const IceCandidate = Type.Object(
  {
    candidate: Type.String({ maxLength: 1000 }),
    sdpMid: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    sdpMLineIndex: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 64 }))),
  },
  { additionalProperties: false },
);

/** What one side sends the other: the offer and answer, ICE candidates, and video dropped or back on a weak network. */
export const SignalInput = Type.Object(
  {
    type: Type.Union([Type.Literal('offer'), Type.Literal('answer'), Type.Literal('candidate'), Type.Literal('video')]),
    sdp: Type.Optional(Type.String({ maxLength: 30_000 })),
    candidate: Type.Optional(IceCandidate),
    videoOn: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SignalInput = Static<typeof SignalInput>;

export const IceServer = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
export const IceConfig = Type.Object({ iceServers: Type.Array(IceServer), expiresAt: Nullable(Type.String()) });
export type IceConfig = Static<typeof IceConfig>;

/** What the family phone page shows before calling: the elder, whether a look is allowed, whether the home device is on. */
export const CallTarget = Type.Object({ elderPersonId: Id, name: Type.String(), lookAllowed: Type.Boolean(), homeOnline: Type.Boolean() });
export type CallTarget = Static<typeof CallTarget>;

export const PairingCode = Type.Object({ code: Type.String(), expiresAt: Timestamp });
export type PairingCode = Static<typeof PairingCode>;

export const PairInput = Type.Object({ code: Type.String({ pattern: '^[0-9]{8}$', maxLength: 8 }) }, { additionalProperties: false });
export const PairedDevice = Type.Object({ deviceId: Id, key: Type.String(), elderName: Type.String() });
export type PairedDevice = Static<typeof PairedDevice>;

export const HomeContact = Type.Object({
  userId: Id,
  name: Type.String(),
  relation: Type.Union([Type.Literal('family'), Type.Literal('caretaker')]),
  autoAnswer: Type.Boolean(),
});
export type HomeContact = Static<typeof HomeContact>;

/** The home device's page: whose home it is, whom it calls, and the elder's settings. */
export const HomeView = Type.Object({
  elderPersonId: Id,
  elderName: Type.String(),
  contacts: Type.Array(HomeContact),
  lookConsent: Type.Boolean(),
});
export type HomeView = Static<typeof HomeView>;

export const HomeSettingsInput = Type.Object(
  { autoAnswerUserIds: Type.Array(Id, { maxItems: 50 }), lookConsent: Type.Boolean() },
  { additionalProperties: false },
);
export type HomeSettingsInput = Static<typeof HomeSettingsInput>;

/** Events on the call stream (GET /api/care/calls/stream), by their SSE event name. */
export type CallStreamEvents = {
  /** autoAnswer: a look (the standing consent answers it), or a family member the elder answers without a press. */
  ring: { call: Call; autoAnswer: boolean };
  answered: { callId: string };
  signal: { callId: string } & SignalInput;
  ended: { callId: string; state: CallState; reason: string | null };
  settings: { lookConsent: boolean };
  /** To each linked family member's stream when the elder gives or withdraws the standing consent to a look. */
  consent: { elderPersonId: string; lookAllowed: boolean };
  /** To each linked family member's stream when the elder's home device comes on (its call stream opens) or goes off. */
  presence: { elderPersonId: string; homeOnline: boolean };
  /** To the stream of whoever issued a pairing code, once a home device has paired with it: the code is used up. */
  paired: { elderPersonId: string };
};
