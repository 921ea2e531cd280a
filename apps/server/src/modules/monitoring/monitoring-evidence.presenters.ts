// The fields an evidence request shows: never the package's place on disk.
import type { EvidenceCamera, EvidenceRequest } from '@cunzhi/contracts/monitoring-evidence';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { EvidenceCameraRecord, EvidenceRequestRecord } from './monitoring-evidence.repository.ts';

export type RequestLabels = { cameras: Map<string, string>; regions: Map<string, string> };

export function presentEvidenceRequest(request: EvidenceRequestRecord, labels: RequestLabels): EvidenceRequest {
  const pkg = request.package;
  return {
    id: request.id,
    camera: { id: request.cameraId, name: labels.cameras.get(request.cameraId) ?? '' },
    regionId: request.placement.regionId,
    regionName: labels.regions.get(request.placement.regionId) ?? '',
    caseNumber: request.caseNumber,
    reason: request.reason,
    from: toIso(request.from),
    to: toIso(request.to),
    status: request.status,
    requestedBy: { userId: request.requestedBy, name: request.requestedByName },
    requestedAt: toIso(request.requestedAt),
    decidedBy: request.decidedBy ? { userId: request.decidedBy, name: request.decidedByName ?? '' } : null,
    decidedAt: toIsoOrNull(request.decidedAt),
    decisionReason: request.decisionReason,
    imageCount: request.imageCount,
    packageState: pkg?.state ?? null,
    packageBytes: pkg?.bytes ?? null,
    packageSha256: pkg?.sha256 ?? null,
    manifestSha256: pkg?.manifestSha256 ?? null,
    packagedAt: toIsoOrNull(pkg?.packagedAt ?? null),
  };
}

export function presentEvidenceCamera(camera: EvidenceCameraRecord, regions: Map<string, string>): EvidenceCamera {
  return {
    id: camera.id,
    name: camera.name,
    regionId: camera.placement.regionId,
    regionName: regions.get(camera.placement.regionId) ?? '',
    purpose: camera.purpose,
  };
}
