// Registering or changing a camera: place, position and direction, owner, purpose, retention, the
// public sign, how its pictures arrive, and its credentials (write-only: never shown back).
import '../words.ts';
import {
  CAMERA_PURPOSE_LABELS,
  CAMERA_PURPOSES,
  CAMERA_SOURCE_LABELS,
  CAMERA_SOURCES,
  type Camera,
  type CameraInput,
  type CameraPatch,
  type CameraPurpose,
  type CameraSource,
  PUBLIC_CAMERA_PURPOSES,
} from '@cunzhi/contracts/monitoring';
import { Checkbox, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/FormModal.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';

type Values = {
  regionId: string;
  name: string;
  latitude: number;
  longitude: number;
  directionDegrees: number;
  owner: string;
  purpose: CameraPurpose;
  publicSignRef?: string;
  retentionDays: number;
  source: CameraSource;
  snapshotUrl?: string;
  streamUrl?: string;
  onvifUrl?: string;
  pullEverySeconds?: number;
  username?: string;
  password?: string;
  allowBasicOverHttp?: boolean;
  forgetCredentials?: boolean;
  enabled: boolean;
};

const URL_OF: Partial<Record<CameraSource, 'snapshotUrl' | 'streamUrl' | 'onvifUrl'>> = {
  httpPull: 'snapshotUrl',
  rtsp: 'streamUrl',
  onvif: 'onvifUrl',
};

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

/** The request body: a new camera's whole input, or a change's fields, cleared ones as null. */
export function cameraBody(values: Values, camera?: Camera): CameraInput | CameraPatch {
  const url = URL_OF[values.source];
  const urls = {
    snapshotUrl: url === 'snapshotUrl' && !blank(values.snapshotUrl) ? values.snapshotUrl : undefined,
    streamUrl: url === 'streamUrl' && !blank(values.streamUrl) ? values.streamUrl : undefined,
    onvifUrl: url === 'onvifUrl' && !blank(values.onvifUrl) ? values.onvifUrl : undefined,
  };
  const credentials = !blank(values.username)
    ? {
        username: (values.username as string).trim(),
        password: values.password ?? '',
        ...(values.allowBasicOverHttp && { allowBasicOverHttp: true }),
      }
    : undefined;
  const common = {
    name: values.name.trim(),
    latitude: values.latitude,
    longitude: values.longitude,
    directionDegrees: values.directionDegrees,
    owner: values.owner.trim(),
    purpose: values.purpose,
    retentionDays: values.retentionDays,
    source: values.source,
    enabled: values.enabled,
  };
  if (!camera) {
    return {
      regionId: values.regionId,
      ...common,
      privacyMasks: [],
      ...(!blank(values.publicSignRef) && { publicSignRef: values.publicSignRef?.trim() }),
      ...Object.fromEntries(Object.entries(urls).filter(([, v]) => v !== undefined)),
      ...(url && values.pullEverySeconds && { pullEverySeconds: values.pullEverySeconds }),
      ...(credentials && { credentials }),
    } as CameraInput;
  }
  return {
    ...common,
    publicSignRef: blank(values.publicSignRef) ? null : (values.publicSignRef?.trim() as string),
    snapshotUrl: urls.snapshotUrl ?? null,
    streamUrl: urls.streamUrl ?? null,
    onvifUrl: urls.onvifUrl ?? null,
    pullEverySeconds: url ? (values.pullEverySeconds ?? null) : null,
    ...(credentials ? { credentials } : values.forgetCredentials ? { credentials: null } : {}),
  };
}

export function CameraFormModal({
  camera,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  camera?: Camera;
  pending: boolean;
  error: Error | null;
  onSubmit(body: CameraInput | CameraPatch): void;
  onClose(): void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [source, setSource] = useState<CameraSource>(camera?.source ?? 'push');
  const [purpose, setPurpose] = useState<CameraPurpose>(camera?.purpose ?? 'marketTown');
  const url = URL_OF[source];
  const initial: Partial<Values> = camera
    ? {
        regionId: camera.regionId,
        name: camera.name,
        latitude: camera.latitude,
        longitude: camera.longitude,
        directionDegrees: camera.directionDegrees,
        owner: camera.owner,
        purpose: camera.purpose,
        publicSignRef: camera.publicSignRef ?? undefined,
        retentionDays: camera.retentionDays,
        source: camera.source,
        snapshotUrl: camera.snapshotUrl ?? undefined,
        streamUrl: camera.streamUrl ?? undefined,
        onvifUrl: camera.onvifUrl ?? undefined,
        pullEverySeconds: camera.pullEverySeconds ?? undefined,
        enabled: camera.enabled,
      }
    : { purpose: 'marketTown', source: 'push', retentionDays: 30, directionDegrees: 0, enabled: true };
  return (
    <FormModal<Values>
      title={camera ? `${t('monitoring.cameras.edit')}：${camera.name}` : t('monitoring.cameras.register')}
      pending={pending}
      error={error}
      initialValues={initial}
      onSubmit={(values) => onSubmit(cameraBody(values, camera))}
      onClose={onClose}
    >
      {!camera && (
        <Form.Item name="regionId" label={t('monitoring.cameras.region')} rules={[{ required: true }]}>
          <RegionPicker />
        </Form.Item>
      )}
      <Form.Item name="name" label={t('monitoring.cameras.name')} rules={[{ required: true, max: 100 }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item label={t('monitoring.cameras.position')} required style={{ marginBottom: 0 }}>
        <div style={{ display: 'flex', gap: 8 }}>
          <Form.Item name="latitude" label={t('monitoring.cameras.latitude')} rules={[{ required: true }]}>
            <InputNumber controls={false} min={-90} max={90} step={0.0001} precision={6} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="longitude" label={t('monitoring.cameras.longitude')} rules={[{ required: true }]}>
            <InputNumber controls={false} min={-180} max={180} step={0.0001} precision={6} style={{ width: 150 }} />
          </Form.Item>
        </div>
      </Form.Item>
      <Form.Item name="directionDegrees" label={t('monitoring.cameras.direction')} rules={[{ required: true }]}>
        <InputNumber controls={false} min={0} max={359} precision={0} />
      </Form.Item>
      <Form.Item name="owner" label={t('monitoring.cameras.owner')} rules={[{ required: true, max: 100 }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="purpose" label={t('monitoring.cameras.purpose')} rules={[{ required: true }]}>
        <Select
          onChange={(v: CameraPurpose) => setPurpose(v)}
          options={CAMERA_PURPOSES.map((p) => ({ value: p, label: en ? CAMERA_PURPOSE_LABELS[p].en : CAMERA_PURPOSE_LABELS[p].zh }))}
        />
      </Form.Item>
      <Form.Item
        name="publicSignRef"
        label={t('monitoring.cameras.publicSign')}
        extra={t('monitoring.cameras.publicSignHint')}
        rules={[{ required: PUBLIC_CAMERA_PURPOSES.includes(purpose), max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="retentionDays" label={t('monitoring.cameras.retention')} rules={[{ required: true }]}>
        <InputNumber controls={false} min={1} max={365} precision={0} />
      </Form.Item>
      <Form.Item name="source" label={t('monitoring.cameras.source')} rules={[{ required: true }]}>
        <Select
          onChange={(v: CameraSource) => setSource(v)}
          options={CAMERA_SOURCES.map((s) => ({ value: s, label: en ? CAMERA_SOURCE_LABELS[s].en : CAMERA_SOURCE_LABELS[s].zh }))}
        />
      </Form.Item>
      {url && (
        <>
          <Form.Item name={url} label={t(`monitoring.cameras.${url}`)} rules={[{ required: true, min: 8, max: 2000 }]}>
            <Input maxLength={2000} placeholder={url === 'streamUrl' ? 'rtsp://' : 'http://'} />
          </Form.Item>
          <Form.Item name="pullEverySeconds" label={t('monitoring.cameras.pullEvery')} rules={[{ required: true }]}>
            <InputNumber controls={false} min={10} max={86_400} precision={0} />
          </Form.Item>
          <Form.Item name="username" label={t('monitoring.cameras.username')} extra={t('monitoring.cameras.credentialsHint')}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('monitoring.cameras.password')}>
            <Input.Password maxLength={200} autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="allowBasicOverHttp" valuePropName="checked" extra={t('monitoring.cameras.allowBasicOverHttpHint')}>
            <Checkbox>{t('monitoring.cameras.allowBasicOverHttp')}</Checkbox>
          </Form.Item>
          {camera?.hasCredentials && (
            <Form.Item name="forgetCredentials" valuePropName="checked" extra={t('monitoring.cameras.credentialsKept')}>
              <Checkbox>{t('monitoring.cameras.forgetCredentials')}</Checkbox>
            </Form.Item>
          )}
        </>
      )}
      <Form.Item name="enabled" label={t('monitoring.cameras.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}
