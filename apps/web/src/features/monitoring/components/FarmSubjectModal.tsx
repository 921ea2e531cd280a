// A cadre attaches a farm camera to what it watches for a household: a plot or a flock, named as
// the household names it. The household is found by its head's name or its number.
import '../words.ts';
import type { Camera } from '@cunzhi/contracts/monitoring';
import { FARM_SUBJECT_KIND_LABELS, FARM_SUBJECT_KINDS, type FarmSubjectKind } from '@cunzhi/contracts/monitoring-findings';
import type { Household } from '@cunzhi/contracts/org';
import { useQuery } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../../lib/api-client.ts';

export function FarmSubjectModal({
  camera,
  pending,
  error,
  onSave,
  onClose,
}: {
  camera: Camera;
  pending: boolean;
  error: Error | null;
  onSave(input: { householdId: string; kind: FarmSubjectKind; label: string }): void;
  onClose(): void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [q, setQ] = useState('');
  const [householdId, setHouseholdId] = useState<string>();
  const [kind, setKind] = useState<FarmSubjectKind>('plot');
  const [label, setLabel] = useState('');
  const households = useQuery({
    queryKey: ['monitoring', 'farm-households', q],
    queryFn: () => api<{ items: Household[] }>(`/api/org/households${query({ q: q.trim() || undefined, limit: 20 })}`),
    enabled: q.trim().length > 0,
  });
  return (
    <Modal
      open
      title={`${t('monitoring.cameras.farmSubject')}：${camera.name}`}
      onCancel={onClose}
      onOk={() => householdId && label.trim() && onSave({ householdId, kind, label: label.trim() })}
      okButtonProps={{ disabled: !householdId || !label.trim() }}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('monitoring.cameras.household')} htmlFor="farm-household">
          <Select
            id="farm-household"
            showSearch
            filterOption={false}
            onSearch={setQ}
            value={householdId}
            onChange={setHouseholdId}
            placeholder={t('monitoring.cameras.householdHint')}
            notFoundContent={null}
            options={(households.data?.items ?? []).map((h) => ({ value: h.id, label: `${h.headName}（${h.number}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('monitoring.cameras.farmKind')}>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            options={FARM_SUBJECT_KINDS.map((k) => ({
              value: k,
              label: en ? FARM_SUBJECT_KIND_LABELS[k].en : FARM_SUBJECT_KIND_LABELS[k].zh,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('monitoring.cameras.farmLabel')} htmlFor="farm-label">
          <Input id="farm-label" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={60} />
        </Form.Item>
      </Form>
      {(!householdId || !label.trim()) && (
        <p className="disabled-why">{!householdId ? t('monitoring.cameras.whyNoHousehold') : t('monitoring.cameras.whyNoLabel')}</p>
      )}
      {error && <Alert type="error" showIcon message={error.message} />}
    </Modal>
  );
}
