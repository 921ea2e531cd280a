// The fields a camera or a snapshot shows: never the sealed credentials nor the push key's hash.
import type { Camera, Snapshot } from '@cunzhi/contracts/monitoring';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { CameraRecord } from './monitoring-cameras.repository.ts';
import type { SnapshotRecord } from './monitoring-snapshots.repository.ts';

export function presentCamera(camera: CameraRecord): Camera {
  return {
    id: camera.id,
    name: camera.name,
    regionId: camera.placement.regionId,
    latitude: camera.latitude,
    longitude: camera.longitude,
    directionDegrees: camera.directionDegrees,
    owner: camera.owner,
    purpose: camera.purpose,
    publicSignRef: camera.publicSignRef,
    retentionDays: camera.retentionDays,
    privacyMasks: camera.privacyMasks,
    watchArea: camera.watchArea,
    source: camera.source,
    snapshotUrl: camera.snapshotUrl,
    streamUrl: camera.streamUrl,
    onvifUrl: camera.onvifUrl,
    hasCredentials: camera.credentialsSealed !== null,
    hasPushKey: camera.pushKeyHash !== null,
    pullEverySeconds: camera.pullEverySeconds,
    lastPullAt: toIsoOrNull(camera.lastPullAt),
    lastPullError: camera.lastPullError,
    enabled: camera.enabled,
    createdAt: toIso(camera.createdAt),
    updatedAt: toIso(camera.updatedAt),
  };
}

export function presentSnapshot(snapshot: SnapshotRecord): Snapshot {
  return {
    id: snapshot.id,
    cameraId: snapshot.cameraId,
    source: snapshot.source,
    capturedAt: toIso(snapshot.capturedAt),
    receivedAt: toIso(snapshot.receivedAt),
    width: snapshot.width,
    height: snapshot.height,
    bytes: snapshot.bytes,
    sha256: snapshot.sha256,
    held: snapshot.held,
  };
}

export function presentLiveCamera(item: { camera: CameraRecord; latest: SnapshotRecord | null }) {
  const { camera } = item;
  return {
    camera: {
      id: camera.id,
      name: camera.name,
      regionId: camera.placement.regionId,
      latitude: camera.latitude,
      longitude: camera.longitude,
      directionDegrees: camera.directionDegrees,
      purpose: camera.purpose,
      enabled: camera.enabled,
      lastPullError: camera.lastPullError,
    },
    latest: item.latest && presentSnapshot(item.latest),
  };
}
