// The life of a service application: which action may move it from which state, in whose hands,
// and what each move writes. Pure rules; applications.service.ts applies them under a version
// check, inside one transaction with the history event, the audit row and the applicant's message.

import { APPLICATION_STATES, type APPLICATION_ACTIONS as CONTRACT_ACTIONS } from '@cunzhi/contracts/services';

export { APPLICATION_STATES };
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export type ApplicationAction = (typeof CONTRACT_ACTIONS)[number];

/** Still with the department: counted in its queue and watched for the promised time. */
export const OPEN_STATES: ApplicationState[] = ['submitted', 'accepted', 'moreMaterials'];
/** Accepted but undecided: the promised time runs, so these can become overdue. */
export const RUNNING_STATES: ApplicationState[] = ['accepted', 'moreMaterials'];

/**
 * Who may act: the department the item belongs to, the applicant's side (their household, or the
 * hall agent who applied for them), or a service-hall agent of the applicant's township.
 */
export type ApplicationActor = 'department' | 'applicant' | 'hall';

type Rule = { from: ApplicationState[]; to: ApplicationState | 'back'; by: ApplicationActor[] };

// The department decides; the applicant's side resubmits; the department or the hall hands over.
export const APPLICATION_ACTIONS = {
  accept: { from: ['submitted'], to: 'accepted', by: ['department'] },
  // Asked once, with everything that is missing (the service checks the "once").
  askMaterials: { from: ['submitted', 'accepted'], to: 'moreMaterials', by: ['department'] },
  // Back to where it was before the department asked: submitted, or accepted with its deadline.
  resubmit: { from: ['moreMaterials'], to: 'back', by: ['applicant'] },
  approve: { from: ['accepted'], to: 'approved', by: ['department'] },
  refuse: { from: ['submitted', 'accepted', 'moreMaterials'], to: 'refused', by: ['department'] },
  deliver: { from: ['approved'], to: 'delivered', by: ['department', 'hall'] },
} as const satisfies Record<ApplicationAction, Rule>;

export type TransitionProblem = 'forbidden' | 'invalid_transition';

/**
 * A delivery asked for again (a second tap, a retry after a lost answer) is already done: the
 * application is answered as it stands, with nothing written twice.
 */
export function alreadyDone(action: ApplicationAction, state: ApplicationState): boolean {
  return action === 'deliver' && state === 'delivered';
}

/** Who may act is asked before whether the state allows it: a stranger learns nothing of the state. */
export function checkTransition(action: ApplicationAction, state: ApplicationState, actors: ApplicationActor[]): TransitionProblem | null {
  const rule: Rule = APPLICATION_ACTIONS[action];
  if (!rule.by.some((actor) => actors.includes(actor))) return 'forbidden';
  if (!rule.from.includes(state)) return 'invalid_transition';
  return null;
}

export type InputProblem = 'reason_required' | 'tracking_number_required';

/** A refusal says why; a mailed delivery carries its tracking number. */
export function checkInput(
  action: ApplicationAction,
  input: { note: string | null; trackingNumber: string | null },
  delivery: 'collect' | 'mail',
): InputProblem | null {
  if (action === 'refuse' && !input.note) return 'reason_required';
  if (action === 'deliver' && delivery === 'mail' && !input.trackingNumber) return 'tracking_number_required';
  return null;
}

/** What a transition changes on the application, besides its state and version. */
export type ApplicationChanges = {
  acceptedAt?: number;
  dueAt?: number;
  decidedAt?: number;
  deliveredAt?: number;
  reason?: string;
  missing?: string[];
  trackingNumber?: string | null;
  certificateNumber?: string;
  deliveredBy?: { userId: string; name: string };
};

export type TransitionWrites = {
  to: ApplicationState;
  changes: ApplicationChanges;
  /** The note of the history event, and the tail of the message the applicant gets. */
  note: string | null;
};

export type TransitionFacts = {
  now: number;
  /** Null until the department accepted: resubmitting then returns to submitted. */
  acceptedAt: number | null;
  delivery: 'collect' | 'mail';
  note: string | null;
  trackingNumber: string | null;
  /** accept: the promised time, counted in working time from now. */
  dueAt?: number;
  /** askMaterials: everything missing, the item's and those the department named. */
  missing?: string[];
  /** approve: the certificate's number, drawn in the same transaction. */
  certificateNumber?: string;
  /** deliver: who hands it over or mails it. */
  actor?: { userId: string; name: string };
};

export function transitionWrites(action: ApplicationAction, facts: TransitionFacts): TransitionWrites {
  const { now, note } = facts;
  switch (action) {
    case 'accept':
      return { to: 'accepted', changes: { acceptedAt: now, dueAt: facts.dueAt ?? now }, note };
    case 'askMaterials': {
      const missing = facts.missing ?? [];
      return { to: 'moreMaterials', changes: { missing }, note: `${missing.join('、')}${note ? `（${note}）` : ''}` };
    }
    case 'resubmit':
      return { to: facts.acceptedAt === null ? 'submitted' : 'accepted', changes: {}, note };
    case 'approve':
      return {
        to: 'approved',
        changes: { decidedAt: now, ...(facts.certificateNumber && { certificateNumber: facts.certificateNumber }) },
        note,
      };
    case 'refuse':
      return { to: 'refused', changes: { decidedAt: now, reason: note ?? '' }, note };
    case 'deliver':
      return {
        to: 'delivered',
        changes: { deliveredAt: now, trackingNumber: facts.trackingNumber, ...(facts.actor && { deliveredBy: facts.actor }) },
        note: facts.delivery === 'mail' ? `邮寄单号 ${facts.trackingNumber}` : note,
      };
  }
}

/**
 * The materials still owed. Before the department asked (`askedAt` undefined): the item's required
 * ones without any upload. After it asked: those it asked for without an upload since it asked.
 */
export function stillMissing(
  uploads: { material: string; createdAt: number }[],
  required: string[],
  asked: { names: string[]; at: number } | undefined,
): string[] {
  const since = asked?.at ?? 0;
  const uploaded = new Set(uploads.filter((u) => u.createdAt >= since).map((u) => u.material));
  return (asked ? asked.names : required).filter((name) => !uploaded.has(name));
}

/** The department's list when it asks: what is still missing and what it names besides, once each. */
export function materialsToAsk(missing: string[], named: string[] | undefined): string[] {
  return [...new Set([...missing, ...(named ?? []).map((m) => m.trim()).filter(Boolean)])];
}
