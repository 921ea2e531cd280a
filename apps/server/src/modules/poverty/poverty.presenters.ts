// What the API shows of monitoring records: times as ISO strings; who flagged and the county's
// placement stay on the server.
import { type MonitoredStatus, SELF_REPORT_REASONS } from '@cunzhi/contracts/poverty';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { EvidenceRecord, MonitoredRecord, ObjectionRecord, StepEventRecord } from './poverty.repository.ts';
import type { EconomicsRow } from './poverty-economics.service.ts';
import type { MeasureRecord, VisitRecord } from './poverty-help.repository.ts';
import type { Task } from './poverty-help.service.ts';
import { nextStep } from './poverty-workflow.ts';

export const presentMonitored = (m: MonitoredRecord) => ({
  id: m.id,
  householdId: m.householdId,
  householdNumber: m.householdNumber,
  headName: m.headName,
  regionId: m.placement.regionId,
  villageId: m.placement.villageId,
  townshipId: m.placement.townshipId,
  category: m.category,
  status: m.status as MonitoredStatus,
  nextStep: nextStep(m),
  source: m.source,
  reasons: m.reasons,
  noticeEndsAt: toIsoOrNull(m.noticeEndsAt),
  nextVisitDueAt: toIsoOrNull(m.nextVisitDueAt),
  flaggedAt: toIso(m.flaggedAt),
  removedAt: toIsoOrNull(m.removedAt),
  version: m.version,
});

export const presentEconomics = (e: EconomicsRow) => ({
  id: e.id,
  householdId: e.householdId,
  year: e.year,
  members: e.members,
  labour: e.labour,
  formerlyPoor: e.formerlyPoor,
  income: e.income,
  incomeYear: e.incomeYear,
  incomeLast12: e.incomeLast12,
  perCapitaYear: e.perCapitaYear,
  perCapitaLast12: e.perCapitaLast12,
  expenses: e.expenses,
  assurances: e.assurances,
  seriousIllness: e.seriousIllness,
  disaster: e.disaster,
  note: e.note,
  source: e.source,
  recordedBy: e.recordedBy,
  recordedAt: toIso(e.recordedAt),
});

export const presentStep = (e: StepEventRecord, evidence: EvidenceRecord[]) => ({
  id: e.id,
  phase: e.phase,
  step: e.step,
  decision: e.decision,
  actorName: e.actorName,
  actorRole: e.actorRole,
  note: e.note,
  evidenceIds: evidence.filter((x) => x.stepEventId === e.id).map((x) => x.id),
  at: toIso(e.at),
});

export const presentEvidence = (e: EvidenceRecord) => ({
  id: e.id,
  contentType: e.contentType,
  uploadedAt: toIso(e.uploadedAt),
  stepEventId: e.stepEventId,
});

export const presentMeasure = (m: MeasureRecord) => ({
  id: m.id,
  kind: m.kind,
  description: m.description,
  responsible: m.responsible,
  dueDate: m.dueDate,
  done: m.doneAt !== null,
  doneAt: toIsoOrNull(m.doneAt),
  createdAt: toIso(m.createdAt),
});

export const presentVisit = (v: VisitRecord) => ({
  id: v.id,
  note: v.note,
  visitorName: v.visitorName,
  measuresDone: v.measuresDone,
  at: toIso(v.at),
});

export const presentObjection = (o: ObjectionRecord) => ({
  id: o.id,
  text: o.text,
  resolved: o.resolvedAt !== null,
  upheld: o.upheld,
  resolution: o.resolution,
  at: toIso(o.raisedAt),
});

export const presentTask = (t: Task) => ({ ...t, dueAt: toIsoOrNull(t.dueAt) });

export const presentSelfReport = (m: MonitoredRecord) => ({
  monitoredId: m.id,
  status: m.status,
  nextStep: nextStep(m),
  reportedAt: toIso(m.flaggedAt),
  reasons: SELF_REPORT_REASONS.filter((r) => m.reasons.includes(r)),
});
