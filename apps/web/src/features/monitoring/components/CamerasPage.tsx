// The cadre's cameras (monitoring.manage): the cameras of my places by region; register and change
// one, draw its privacy masks and watch area on its newest picture, replace its push key (shown
// once), enable or disable it.
import '../words.ts';
import '../monitoring.css';
import { CAMERA_PURPOSE_LABELS, CAMERA_SOURCE_LABELS, type Camera, type CameraInput, type CameraPatch } from '@cunzhi/contracts/monitoring';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { useRegionNames } from '../../../lib/region-shapes.ts';
import { can, useSession } from '../../../lib/session.ts';
import { changeCamera, MONITORING_KEY, registerCamera, rotatePushKey, useCameras } from '../api/cameras.ts';
import { setFarmSubject } from '../api/farm.ts';
import { CameraAreasModal } from './CameraAreasModal.tsx';
import { CameraFormModal } from './CameraFormModal.tsx';
import { FarmSubjectModal } from './FarmSubjectModal.tsx';
import { PushKeyModal } from './PushKeyModal.tsx';

type Dialog =
  | { kind: 'form'; camera?: Camera }
  | { kind: 'areas'; camera: Camera }
  | { kind: 'farm'; camera: Camera }
  | { kind: 'key'; cameraId: string; pushKey: string };

export default function CamerasPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const client = useQueryClient();
  const { data: session } = useSession();
  const [regionId, setRegionId] = useState<string>();
  const cameras = useCameras(regionId);
  const items = cameras.data?.items ?? [];
  const names = useRegionNames(items.map((c) => c.regionId));
  const [dialog, setDialog] = useState<Dialog>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [message, setMessage] = useState<string>();
  const manage = can(session, 'monitoring.manage');

  const run = async (work: () => Promise<Dialog | undefined>, done: string) => {
    setPending(true);
    setError(null);
    try {
      const next = await work();
      setDialog(next);
      setMessage(done);
      await client.invalidateQueries({ queryKey: [MONITORING_KEY] });
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };
  const save = (work: () => Promise<unknown>) =>
    run(async () => {
      await work();
      return undefined;
    }, t('monitoring.cameras.saved'));
  const open = (next: Dialog) => {
    setError(null);
    setDialog(next);
  };
  const sorted = [...items].sort(
    (a, b) => (names.get(a.regionId) ?? '').localeCompare(names.get(b.regionId) ?? '', 'zh') || a.name.localeCompare(b.name, 'zh'),
  );

  return (
    <main>
      <h1>{t('monitoring.cameras.title')}</h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <div style={{ width: 280 }}>
          <RegionPicker value={regionId} onChange={setRegionId} allowClear placeholder={t('monitoring.cameras.allRegions')} />
        </div>
        {manage && (
          <Button type="primary" onClick={() => open({ kind: 'form' })}>
            {t('monitoring.cameras.register')}
          </Button>
        )}
      </Space>
      {message && (
        <Notice type="success" onClose={() => setMessage(undefined)} testId="cameras-message">
          {message}
        </Notice>
      )}
      <Table<Camera>
        rowKey="id"
        loading={cameras.isPending}
        dataSource={sorted}
        pagination={false}
        locale={{ emptyText: t('monitoring.cameras.none') }}
        columns={[
          { title: t('monitoring.cameras.region'), key: 'region', render: (_, c) => names.get(c.regionId) ?? '…' },
          { title: t('monitoring.cameras.name'), dataIndex: 'name' },
          {
            title: t('monitoring.cameras.purpose'),
            key: 'purpose',
            render: (_, c) => (en ? CAMERA_PURPOSE_LABELS[c.purpose].en : CAMERA_PURPOSE_LABELS[c.purpose].zh),
          },
          {
            title: t('monitoring.cameras.source'),
            key: 'source',
            render: (_, c) => (
              <>
                {en ? CAMERA_SOURCE_LABELS[c.source].en : CAMERA_SOURCE_LABELS[c.source].zh}
                {c.lastPullError && (
                  <div>
                    <Tag color="red">{t('monitoring.cameras.lastPullError', { code: c.lastPullError })}</Tag>
                  </div>
                )}
              </>
            ),
          },
          {
            title: t('monitoring.cameras.retention'),
            key: 'retention',
            render: (_, c) => t('monitoring.cameras.retentionDays', { count: c.retentionDays }),
          },
          {
            title: `${t('monitoring.cameras.masks')} / ${t('monitoring.cameras.watchArea')}`,
            key: 'areas',
            render: (_, c) => (
              <>
                {t('monitoring.cameras.masksCount', { count: c.privacyMasks.length })}
                {' · '}
                {c.watchArea ? t('monitoring.cameras.watchAreaSet') : t('monitoring.cameras.watchAreaNone')}
              </>
            ),
          },
          {
            title: t('monitoring.cameras.state'),
            key: 'state',
            render: (_, c) =>
              c.enabled ? <Tag color="green">{t('monitoring.cameras.enabled')}</Tag> : <Tag>{t('monitoring.cameras.disabled')}</Tag>,
          },
          {
            title: '',
            key: 'actions',
            render: (_, c) => (
              <Space wrap size={4}>
                {manage && (
                  <>
                    <Button
                      size="small"
                      onClick={() => open({ kind: 'form', camera: c })}
                      aria-label={`${t('monitoring.cameras.edit')} ${c.name}`}
                    >
                      {t('monitoring.cameras.edit')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => open({ kind: 'areas', camera: c })}
                      aria-label={`${t('monitoring.cameras.masks')} ${c.name}`}
                    >
                      {t('monitoring.cameras.masks')}
                    </Button>
                    <Popconfirm
                      title={t('monitoring.cameras.confirmRotate')}
                      onConfirm={() =>
                        run(
                          async () => ({ kind: 'key', cameraId: c.id, pushKey: (await rotatePushKey(c.id)).pushKey }),
                          t('monitoring.cameras.saved'),
                        )
                      }
                    >
                      <Button size="small">{t('monitoring.cameras.rotateKey')}</Button>
                    </Popconfirm>
                    {c.enabled ? (
                      <Popconfirm
                        title={t('monitoring.cameras.confirmDisable')}
                        onConfirm={() => save(() => changeCamera(c.id, { enabled: false }))}
                      >
                        <Button size="small" danger>
                          {t('monitoring.cameras.disable')}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Button size="small" onClick={() => save(() => changeCamera(c.id, { enabled: true }))}>
                        {t('monitoring.cameras.enable')}
                      </Button>
                    )}
                  </>
                )}
                {manage && c.purpose === 'farm' && (
                  <Button size="small" onClick={() => open({ kind: 'farm', camera: c })}>
                    {t('monitoring.cameras.farmSubject')}
                  </Button>
                )}
                {c.purpose === 'farm' && <Link to={`/m/farm/${c.id}`}>{t('monitoring.cameras.timeLapse')}</Link>}
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'form' && (
        <CameraFormModal
          camera={dialog.camera}
          pending={pending}
          error={error}
          onClose={() => setDialog(undefined)}
          onSubmit={(body) =>
            dialog.camera
              ? save(() => changeCamera((dialog.camera as Camera).id, body as CameraPatch))
              : run(async () => {
                  const made = await registerCamera(body as CameraInput);
                  return made.pushKey ? { kind: 'key', cameraId: made.camera.id, pushKey: made.pushKey } : undefined;
                }, t('monitoring.cameras.registered'))
          }
        />
      )}
      {dialog?.kind === 'areas' && (
        <CameraAreasModal
          camera={dialog.camera}
          pending={pending}
          error={error}
          onClose={() => setDialog(undefined)}
          onSave={(areas) => save(() => changeCamera(dialog.camera.id, areas))}
        />
      )}
      {dialog?.kind === 'farm' && (
        <FarmSubjectModal
          camera={dialog.camera}
          pending={pending}
          error={error}
          onClose={() => setDialog(undefined)}
          onSave={(input) => save(() => setFarmSubject(dialog.camera.id, input))}
        />
      )}
      {dialog?.kind === 'key' && <PushKeyModal cameraId={dialog.cameraId} pushKey={dialog.pushKey} onClose={() => setDialog(undefined)} />}
    </main>
  );
}
