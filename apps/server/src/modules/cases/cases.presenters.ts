import type { Case, CaseCategory, CasePhoto as CasePhotoView, CaseSummary } from '@cunzhi/contracts/cases';
import { toIso } from '../../platform/time.ts';
import type { Category } from './case-categories.repository.ts';
import type { CaseEvent } from './case-events.repository.ts';
import type { CasePhoto } from './case-photos.repository.ts';
import type { CaseSummaryRecord } from './case-queue.repository.ts';
import { type ActorKind, CASE_ACTIONS, type CaseAction, type CaseState, checkTransition, OPEN_STATES } from './case-workflow.ts';
import type { CaseView } from './cases.service.ts';

/** The names an answer shows beside its cases, looked up once per answer (case-answers.ts). */
export type CaseNames = {
  regions: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
};

const ACTION_NAMES = Object.keys(CASE_ACTIONS) as CaseAction[];
const actionsByStanding = new Map<string, readonly CaseAction[]>();

/**
 * What the viewer may do to the case now, by the rules the transitions apply (case-workflow.ts).
 * It depends only on the state and how the viewer stands to the case (at most 7 × 8 of them), so
 * each answer is worked out once per process and shared by every row of every list.
 */
export const allowedActionsOf = ({ caseItem, kinds }: { caseItem: { state: CaseState }; kinds: readonly ActorKind[] }): CaseAction[] => {
  const key = `${caseItem.state}|${kinds.join(',')}`;
  let actions = actionsByStanding.get(key);
  if (!actions) {
    actions = Object.freeze(ACTION_NAMES.filter((action) => checkTransition(action, caseItem.state, [...kinds]) === null));
    actionsByStanding.set(key, actions);
  }
  return actions as CaseAction[];
};

const handlerNameOf = (c: { assigneeUserId: string | null; assigneeDepartmentId: string | null }, names: CaseNames) =>
  c.assigneeUserId
    ? (names.users.get(c.assigneeUserId) ?? null)
    : c.assigneeDepartmentId
      ? (names.departments.get(c.assigneeDepartmentId) ?? null)
      : null;

/** A case as a list shows it (contracts CaseSummary); the whole case is presentCase. */
export const presentSummary = (view: CaseView<CaseSummaryRecord>, now: number, names: CaseNames): CaseSummary => {
  const c = view.caseItem;
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    categoryName: c.categoryName,
    regionName: names.regions.get(c.placement.regionId) ?? '',
    state: c.state,
    deadlineAt: toIso(c.deadlineAt),
    overdue: OPEN_STATES.includes(c.state) && now > c.deadlineAt,
    createdAt: toIso(c.createdAt),
    handlerName: handlerNameOf(c, names),
    allowedActions: allowedActionsOf(view),
  };
};

/**
 * A case as the gate (visibleCase) let it through; the reporter's identity only where the view says
 * so. The region's and the handler's names come from org, looked up once per answer.
 */
export const presentCase = (view: CaseView, now: number, names: CaseNames): Case => {
  const { caseItem: c, showReporter } = view;
  return {
    id: c.id,
    number: c.number,
    source: c.source,
    channel: c.channel,
    categoryId: c.categoryId,
    categoryName: c.categoryName,
    title: c.title,
    description: c.description,
    regionId: c.placement.regionId,
    regionName: names.regions.get(c.placement.regionId) ?? '',
    latitude: c.latitude,
    longitude: c.longitude,
    anonymous: c.anonymous,
    reporterName: showReporter ? c.reporterName : null,
    reporterPhone: showReporter ? c.reporterPhone : null,
    state: c.state,
    assigneeUserId: c.assigneeUserId,
    assigneeDepartmentId: c.assigneeDepartmentId,
    escalationLevel: c.escalationLevel,
    returnCount: c.returnCount,
    deadlineAt: toIso(c.deadlineAt),
    overdue: OPEN_STATES.includes(c.state) && now > c.deadlineAt,
    rating: c.rating,
    mergedIntoId: c.mergedIntoId,
    meTooCount: c.meTooCount,
    version: c.version,
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
    publicState: c.publicState,
    handlerName: handlerNameOf(c, names),
    allowedActions: allowedActionsOf(view),
  };
};

export const presentPhoto = (p: CasePhoto): CasePhotoView => ({
  id: p.id,
  stage: p.stage,
  width: p.width,
  height: p.height,
  bytes: p.bytes,
  createdAt: toIso(p.createdAt),
  url: `/api/cases/${p.caseId}/photos/${p.id}`,
  thumbUrl: `/api/cases/${p.caseId}/photos/${p.id}?variant=thumb`,
  published: p.publicKey !== null,
});

export const presentEvent = (e: CaseEvent) => ({ ...e, at: toIso(e.at) });

export const presentCategory = (c: Category): CaseCategory => ({
  id: c.id,
  code: c.code,
  name: c.name,
  nameEn: c.nameEn,
  routeTo: c.routeTo,
  departmentId: c.departmentId,
  deadlineHours: c.deadlineHours,
});
