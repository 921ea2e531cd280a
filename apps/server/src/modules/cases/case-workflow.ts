// One workflow for every matter someone must handle: which action may move a case from which
// state, and in whose hands. Pure rules; the service applies them with a version check.

import { CASE_STATES } from '@cunzhi/contracts/cases';

export { CASE_STATES };
export type CaseState = (typeof CASE_STATES)[number];

/** Must match the partial queue indexes of the cases migration, term for term. */
export const OPEN_STATES: CaseState[] = ['received', 'assigned', 'accepted', 'handled'];

/** Who may take an action: the case's handler, a supervisor over its region, or its reporter. */
export type ActorKind = 'handler' | 'supervisor' | 'reporter';

type Rule = { from: CaseState[]; to: CaseState | 'same'; by: ActorKind[] };

export const CASE_ACTIONS = {
  answerOnSpot: { from: ['received'], to: 'answeredOnSpot', by: ['supervisor'] },
  assign: { from: ['received'], to: 'assigned', by: ['supervisor'] },
  accept: { from: ['assigned'], to: 'accepted', by: ['handler'] },
  checkIn: { from: ['accepted'], to: 'same', by: ['handler'] },
  recordMediation: { from: ['accepted'], to: 'same', by: ['handler'] },
  handle: { from: ['accepted'], to: 'handled', by: ['handler'] },
  returnForRework: { from: ['handled'], to: 'accepted', by: ['supervisor'] },
  reply: { from: ['handled'], to: 'replied', by: ['handler', 'supervisor'] },
  // The reporter rates in the app; for a caller, the centre records the rating of its callback.
  rate: { from: ['replied', 'answeredOnSpot'], to: 'closed', by: ['reporter', 'supervisor'] },
  object: { from: ['replied', 'closed'], to: 'assigned', by: ['reporter'] },
  close: { from: ['replied', 'answeredOnSpot'], to: 'closed', by: ['supervisor'] },
  reopen: { from: ['closed', 'replied', 'answeredOnSpot'], to: 'assigned', by: ['supervisor'] },
  transfer: { from: ['assigned', 'accepted'], to: 'assigned', by: ['handler', 'supervisor'] },
  reroute: { from: ['received', 'assigned', 'accepted'], to: 'assigned', by: ['handler', 'supervisor'] },
  merge: { from: ['received', 'assigned', 'accepted'], to: 'closed', by: ['handler', 'supervisor'] },
} as const satisfies Record<string, Rule>;

export type CaseAction = keyof typeof CASE_ACTIONS;

/** A rating this low reopens the case: the reporter is not satisfied. */
export const REOPENING_RATING = 2;
/** Sent back this many times, a case rises one level: grid → village → township → county. */
export const RETURNS_BEFORE_ESCALATION = 3;

export type TransitionProblem = 'invalid_transition' | 'not_allowed';

export function checkTransition(action: CaseAction, state: CaseState, actorKinds: ActorKind[]): TransitionProblem | null {
  const rule: Rule = CASE_ACTIONS[action];
  if (!rule.from.includes(state)) return 'invalid_transition';
  if (!rule.by.some((kind) => actorKinds.includes(kind))) return 'not_allowed';
  return null;
}

/** Where the action leaves the case; a low rating sends it back to its handler instead of closing it. */
export function nextState(action: CaseAction, state: CaseState, rating?: number): CaseState {
  if (action === 'rate' && rating !== undefined && rating <= REOPENING_RATING) return 'assigned';
  const to = CASE_ACTIONS[action].to;
  return to === 'same' ? state : to;
}

export const ESCALATION_LEVELS = ['grid', 'village', 'township', 'county'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export function escalate(level: EscalationLevel): EscalationLevel {
  const index = ESCALATION_LEVELS.indexOf(level);
  return ESCALATION_LEVELS[Math.min(index + 1, ESCALATION_LEVELS.length - 1)] as EscalationLevel;
}
