// A camera's privacy masks and watch area, drawn on its newest picture and saved together.
import '../words.ts';
import type { Camera } from '@cunzhi/contracts/monitoring';
import { Alert, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { snapshotImageUrl, useLatestSnapshot } from '../api/cameras.ts';
import { type Shape, ShapeDrawer } from './ShapeDrawer.tsx';

export function CameraAreasModal({
  camera,
  pending,
  error,
  onSave,
  onClose,
}: {
  camera: Camera;
  pending: boolean;
  error: Error | null;
  onSave(areas: { privacyMasks: Shape[]; watchArea: Shape | null }): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const latest = useLatestSnapshot(camera.id);
  const [masks, setMasks] = useState<Shape[]>(camera.privacyMasks);
  const [watch, setWatch] = useState<Shape[]>(camera.watchArea ? [camera.watchArea] : []);
  const image = latest.data ? snapshotImageUrl(latest.data.id, 'full') : null;
  return (
    <Modal
      open
      width={760}
      title={`${t('monitoring.cameras.masks')} / ${t('monitoring.cameras.watchArea')}：${camera.name}`}
      onCancel={onClose}
      onOk={() => onSave({ privacyMasks: masks, watchArea: watch[0] ?? null })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      destroyOnHidden
    >
      {!latest.isPending && (
        <>
          <h3>{t('monitoring.cameras.masks')}</h3>
          <p>{t('monitoring.cameras.masksHint')}</p>
          <ShapeDrawer imageUrl={image} shapes={masks} onChange={setMasks} label={t('monitoring.cameras.drawMask')} testId="mask-drawer" />
          <h3 style={{ marginTop: 16 }}>{t('monitoring.cameras.watchArea')}</h3>
          <p>{t('monitoring.cameras.watchAreaHint')}</p>
          <ShapeDrawer
            imageUrl={image}
            shapes={watch}
            onChange={setWatch}
            single
            label={t('monitoring.cameras.drawWatchArea')}
            testId="watch-drawer"
          />
        </>
      )}
      {error && <Alert type="error" showIcon message={error.message} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
