import type { Case, CaseCategory, CasePhoto as CasePhotoView } from '@cunzhi/contracts/cases';
import { toIso } from '../../platform/time.ts';
import type { Category } from './case-categories.repository.ts';
import type { CaseEvent } from './case-events.repository.ts';
import type { CasePhoto } from './case-photos.repository.ts';
import { OPEN_STATES } from './case-workflow.ts';
import type { CaseView } from './cases.service.ts';

/**
 * A case as the gate (visibleCase) let it through; the reporter's identity only where the view says
 * so. The region's name comes from org (cases.service.ts regionNamesOf), looked up once per answer.
 */
export const presentCase = ({ caseItem: c, showReporter }: CaseView, now: number, regionNames: ReadonlyMap<string, string>): Case => ({
  id: c.id,
  number: c.number,
  source: c.source,
  channel: c.channel,
  categoryId: c.categoryId,
  categoryName: c.categoryName,
  title: c.title,
  description: c.description,
  regionId: c.placement.regionId,
  regionName: regionNames.get(c.placement.regionId) ?? '',
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
});

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
