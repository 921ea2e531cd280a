// What the API shows of an application: times as ISO strings, and nothing of its placement,
// department or agent, which only the server's access rules use.
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { UploadedMaterial } from './application-materials.service.ts';
import type { Application, ApplicationEvent } from './applications.repository.ts';

export const presentApplication = (a: Application) => ({
  id: a.id,
  itemId: a.itemId,
  itemName: a.itemName,
  applicantPersonId: a.applicantPersonId,
  applicantName: a.applicantName,
  channel: a.channel,
  state: a.state,
  missing: a.missing,
  delivery: a.delivery,
  address: a.address,
  trackingNumber: a.trackingNumber,
  reason: a.reason,
  createdAt: toIso(a.createdAt),
  acceptedAt: toIsoOrNull(a.acceptedAt),
  dueAt: toIsoOrNull(a.dueAt),
  decidedAt: toIsoOrNull(a.decidedAt),
  deliveredAt: toIsoOrNull(a.deliveredAt),
  deliveredBy: a.deliveredBy,
  certificateNumber: a.certificateNumber,
  overdue: a.overdue,
});

export const presentMaterial = (m: UploadedMaterial) => ({ ...m, createdAt: toIso(m.createdAt) });

export const presentEvent = (e: ApplicationEvent) => ({ action: e.action, from: e.from, to: e.to, note: e.note, at: toIso(e.at) });
