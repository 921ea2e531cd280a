// The identification procedure of a monitored household, and the same path to remove its risk:
// seven steps in order, each by its role, the notice's objection window kept, and removal only
// once income has stayed above the line long enough with the causes resolved. Pure rules; the
// service applies them under a version check.
import { type MonitoredStatus, PROCEDURE_STEPS, type ProcedureStep } from '@cunzhi/contracts/poverty';

/** How the caller stands to the household's place: its grid worker, its village, township or county office. */
export type OfficeKind = 'grid' | 'village' | 'township' | 'county';

export const STEP_ROLES: Record<ProcedureStep, OfficeKind[]> = {
  homeVisit: ['grid', 'village'],
  authorisation: ['grid', 'village'],
  // The township pulls the household's records from the departments (social security, civil affairs …).
  dataComparison: ['township', 'county'],
  villageReview: ['village'],
  publicNotice: ['village'],
  townshipReview: ['township'],
  countyApproval: ['county'],
};

/** Steps that decide and may therefore say no; the others only record that they were done. */
export const DECIDING_STEPS: ProcedureStep[] = ['villageReview', 'townshipReview', 'countyApproval'];

/** A step whose record is worthless without a paper: the household's signed authorisation. */
export const EVIDENCE_STEPS: ProcedureStep[] = ['authorisation'];

export type Procedure = { status: MonitoredStatus; doneSteps: number };

export type StepFacts = {
  now: number;
  noticeEndsAt: number | null;
  openObjections: number;
  evidenceCount: number;
};

export type StepProblem =
  | 'poverty_no_procedure'
  | 'poverty_step_out_of_order'
  | 'forbidden'
  | 'poverty_cannot_reject'
  | 'poverty_evidence_required'
  | 'poverty_notice_running'
  | 'poverty_objections_open';

/** The step a running procedure waits for, or null when none runs. */
export function nextStep(procedure: Procedure): ProcedureStep | null {
  if (procedure.status !== 'identifying' && procedure.status !== 'removing') return null;
  return PROCEDURE_STEPS[procedure.doneSteps] ?? null;
}

export function checkStep(
  procedure: Procedure,
  step: ProcedureStep,
  decision: 'approve' | 'reject',
  kinds: OfficeKind[],
  facts: StepFacts,
): StepProblem | null {
  const expected = nextStep(procedure);
  if (expected === null) return 'poverty_no_procedure';
  if (step !== expected) return 'poverty_step_out_of_order';
  if (!STEP_ROLES[step].some((kind) => kinds.includes(kind))) return 'forbidden';
  if (decision === 'reject' && !DECIDING_STEPS.includes(step)) return 'poverty_cannot_reject';
  if (decision === 'approve' && EVIDENCE_STEPS.includes(step) && facts.evidenceCount === 0) return 'poverty_evidence_required';
  if (step === 'townshipReview') {
    // The village had its say during the notice; the township decides after it, on every objection answered.
    if (facts.noticeEndsAt !== null && facts.now < facts.noticeEndsAt) return 'poverty_notice_running';
    if (facts.openObjections > 0) return 'poverty_objections_open';
  }
  return null;
}

/**
 * Where a step leaves the procedure. A rejection ends an identification (the household is not
 * included) and sends a removal back to monitoring; the county's approval ends either path.
 */
export function afterStep(procedure: Procedure, decision: 'approve' | 'reject'): Procedure {
  const removing = procedure.status === 'removing';
  if (decision === 'reject') return { status: removing ? 'monitored' : 'dismissed', doneSteps: 0 };
  const doneSteps = procedure.doneSteps + 1;
  if (doneSteps === PROCEDURE_STEPS.length) return { status: removing ? 'removed' : 'monitored', doneSteps: 0 };
  return { status: procedure.status, doneSteps };
}

/** The steps these offices may take now (what the desk offers as buttons). */
export function stepsFor(procedure: Procedure, kinds: OfficeKind[]): ProcedureStep[] {
  const step = nextStep(procedure);
  return step && STEP_ROLES[step].some((kind) => kinds.includes(kind)) ? [step] : [];
}

/** Objections are taken while the notice runs, and only then. */
export function noticeRunning(procedure: Procedure, noticeEndsAt: number | null, now: number): boolean {
  return nextStep(procedure) === 'townshipReview' && noticeEndsAt !== null && now < noticeEndsAt;
}

export type IncomeReading = { recordedAt: number; perCapitaLast12: number; labour: number; causesResolved: boolean };

export type RemovalProblem = 'poverty_not_monitored' | 'poverty_no_labour' | 'poverty_not_stable' | 'poverty_causes_open';

const MONTH_MS = 30 * 24 * 3_600_000;

/**
 * Whether a monitored household may start the removal path: it has labour (a household without
 * any stays monitored, its income rests on transfers), every record of the last `stableMonths`
 * months is above the line, one of them is that old (the stretch is really that long), and the
 * newest record shows the causes resolved.
 */
export function removalProblem(
  status: MonitoredStatus,
  readings: IncomeReading[],
  line: number,
  stableMonths: number,
  now: number,
  openMeasures: number,
): RemovalProblem | null {
  if (status !== 'monitored') return 'poverty_not_monitored';
  const newest = [...readings].sort((a, b) => b.recordedAt - a.recordedAt);
  const latest = newest[0];
  if (!latest) return 'poverty_not_stable';
  if (latest.labour === 0) return 'poverty_no_labour';
  const since = now - stableMonths * MONTH_MS;
  const inWindow = newest.filter((r) => r.recordedAt >= since);
  const before = newest.find((r) => r.recordedAt < since);
  // The stretch starts at the last record before the window: that one must be above the line too.
  if (!before || before.perCapitaLast12 < line || inWindow.some((r) => r.perCapitaLast12 < line)) return 'poverty_not_stable';
  if (!latest.causesResolved || openMeasures > 0) return 'poverty_causes_open';
  return null;
}
