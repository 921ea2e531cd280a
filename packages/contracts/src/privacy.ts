// PIPL (Personal Information Protection Law of the PRC): consents, data subject requests, legal holds
// and the record of processing activities, shared by server and web.
import { type Static, Type } from 'typebox';
import { Id } from './common.ts';

/** What a person may separately agree to and withdraw (PIPL arts. 14-15, 29): health data is sensitive (art. 28). */
export const CONSENT_PURPOSES = ['healthData', 'publicDisplay', 'familyAccess'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, { zh: string; en: string }> = {
  healthData: { zh: '健康信息（体征、告警）', en: 'Health data (vital signs, alarms)' },
  publicDisplay: { zh: '公开展示（积分排行、曝光台）', en: 'Public display (rankings, exposure board)' },
  familyAccess: { zh: '家属查看', en: 'Family access' },
};

/** Under this age a guardian consents (PIPL art. 31). */
export const GUARDIAN_CONSENT_UNDER_AGE = 14;

export const ConsentInput = Type.Object(
  {
    purpose: Type.Union([Type.Literal('healthData'), Type.Literal('publicDisplay'), Type.Literal('familyAccess')]),
    granted: Type.Boolean(),
    /** The guardian who consents for a child under 14 (a person record). */
    guardianPersonId: Type.Optional(Id),
    /** Staff recording a paper form: its reference. */
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ConsentInput = Static<typeof ConsentInput>;

export const ConsentState = Type.Object({
  purpose: Type.String(),
  state: Type.Union([Type.Literal('granted'), Type.Literal('withdrawn'), Type.Literal('none')]),
  at: Type.Union([Type.String(), Type.Null()]),
  byGuardian: Type.Boolean(),
});

export const PRIVACY_REQUEST_KINDS = ['export', 'correction', 'deletion'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
export const PRIVACY_REQUEST_STATES = ['submitted', 'accepted', 'refused', 'completed'] as const;
export type PrivacyRequestState = (typeof PRIVACY_REQUEST_STATES)[number];
export const PRIVACY_REQUEST_ACTIONS = ['accept', 'refuse', 'complete'] as const;

export const PrivacyRequestInput = Type.Object(
  {
    kind: Type.Union([Type.Literal('export'), Type.Literal('correction'), Type.Literal('deletion')]),
    details: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const PrivacyTransitionInput = Type.Object(
  {
    action: Type.Union([Type.Literal('accept'), Type.Literal('refuse'), Type.Literal('complete')]),
    answer: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const PrivacyRequest = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  kind: Type.String(),
  details: Type.String(),
  state: Type.String(),
  answer: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const HoldInput = Type.Object(
  { personId: Id, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const LEGAL_BASES = ['consent', 'statutoryDuty', 'contract', 'vitalInterests', 'publicInterest'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const ProcessingActivity = Type.Object({
  module: Type.String(),
  name: Type.String(),
  dataCategories: Type.Array(Type.String()),
  subjects: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  consentPurpose: Type.Union([Type.String(), Type.Null()]),
  sensitive: Type.Boolean(),
  retention: Type.String(),
  recipients: Type.Array(Type.String()),
});

// The rest of the endpoints' shapes, so that no route declares its own.
export const ConsentStateList = Type.Array(ConsentState);
/** Everything stored about a person, module by module: its shape is each module's own. */
export const PersonExport = Type.Object({}, { additionalProperties: true });
export const PrivacyRequestList = Type.Object({ items: Type.Array(PrivacyRequest) });
export const HoldCreated = Type.Object({ id: Type.String() });
export const ProcessingRecord = Type.Object({ activities: Type.Array(ProcessingActivity) });
