// The fields a finding, a camera's detection status and a farm subject show.
import type { DetectionStatus, FarmSubject, Finding } from '@cunzhi/contracts/monitoring-findings';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { CameraRecord } from './monitoring-cameras.repository.ts';
import type * as detection from './monitoring-detection.repository.ts';
import type { FarmSubjectRecord } from './monitoring-farm.repository.ts';
import type { FindingView } from './monitoring-findings.service.ts';

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const box = (b: { x: number; y: number; width: number; height: number }) => ({
  x: round(b.x),
  y: round(b.y),
  width: round(b.width),
  height: round(b.height),
});

export function presentFinding(f: FindingView): Finding {
  return {
    id: f.id,
    cameraId: f.cameraId,
    cameraName: f.cameraName,
    regionId: f.placement.regionId,
    state: f.state,
    caseId: f.caseId,
    caseNumber: f.caseNumber,
    afterSnapshotId: f.afterSnapshotId,
    afterCapturedAt: toIso(f.afterCapturedAt),
    snapshotIds: f.snapshotIds,
    changedFraction: round(f.changedFraction),
    score: round(f.score),
    boxes: f.boxes.map(box),
    createdAt: toIso(f.createdAt),
    confirmedAt: toIsoOrNull(f.confirmedAt),
    confirmedByName: f.confirmedByName,
    resolvedAt: toIsoOrNull(f.resolvedAt),
    resolvedByName: f.resolvedByName,
    note: f.note,
  };
}

export function presentDetectionStatus(s: {
  camera: CameraRecord;
  state: detection.DetectionState;
  baseline: detection.BaselineRecord | undefined;
  queued: number;
  defaults: { snapshots: number; minAreaFraction: number };
}): DetectionStatus {
  return {
    cameraId: s.camera.id,
    enabled: s.state.enabled,
    snapshotsToConfirm: s.state.snapshotsToConfirm,
    minAreaFraction: s.state.minAreaFraction,
    defaults: { snapshotsToConfirm: s.defaults.snapshots, minAreaFraction: s.defaults.minAreaFraction },
    baseline: s.baseline
      ? {
          id: s.baseline.id,
          snapshotId: s.baseline.snapshotId,
          capturedAt: toIso(s.baseline.capturedAt),
          reason: s.baseline.reason,
          acceptedAt: toIso(s.baseline.createdAt),
        }
      : null,
    tracking: (s.state.tracker?.changes ?? []).map((c) => ({
      box: box(c.box),
      areaFraction: round(c.areaFraction),
      streak: c.streak,
      reported: c.reported,
    })),
    lastSnapshotAt: toIsoOrNull(s.state.lastCapturedAt),
    queued: s.queued,
  };
}

export function presentFarmSubject(s: FarmSubjectRecord & { cameraName: string }): FarmSubject {
  return {
    cameraId: s.cameraId,
    cameraName: s.cameraName,
    householdId: s.householdId,
    kind: s.kind,
    label: s.label,
    agriSubjectId: s.agriSubjectId,
    createdAt: toIso(s.createdAt),
  };
}
