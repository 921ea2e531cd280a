// The rural revitalisation office's desk and the village cadres': the monitored households of my
// places by status, category and the step they wait for, each opening to its file.
import '../words.ts';
import {
  FLAG_SOURCE_LABELS,
  type FlagSource,
  MONITORED_STATUS_LABELS,
  MONITORED_STATUSES,
  type MonitoredStatus,
  POVERTY_CATEGORIES,
  POVERTY_CATEGORY_LABELS,
  type PovertyCategory,
  PROCEDURE_STEP_LABELS,
  PROCEDURE_STEPS,
  type ProcedureStep,
} from '@cunzhi/contracts/poverty';
import { Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { type MonitoredItem, useMonitored } from '../api/poverty.ts';
import { STATUS_COLOURS, useLabel } from './poverty-labels.ts';

export default function PovertyDeskPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const [status, setStatus] = useState<MonitoredStatus>();
  const [category, setCategory] = useState<PovertyCategory>();
  const [step, setStep] = useState<ProcedureStep>();
  const list = useMonitored({ status, category, step });
  const options = (values: readonly string[], labels: Record<string, { zh: string; en: string }>) => [
    { value: '', label: t('poverty.desk.all') },
    ...values.map((v) => ({ value: v, label: label(labels, v) })),
  ];
  return (
    <main className="desk-page" data-testid="poverty-desk">
      <h1>{t('poverty.desk.title')}</h1>
      <p>
        <Link to="/poverty/figures">{t('poverty.desk.figures')}</Link>
      </p>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>
          {t('poverty.desk.status')}{' '}
          <Select
            style={{ minWidth: 140 }}
            value={status ?? ''}
            options={options(MONITORED_STATUSES, MONITORED_STATUS_LABELS)}
            onChange={(v) => setStatus((v || undefined) as MonitoredStatus | undefined)}
            data-testid="filter-status"
          />
        </span>
        <span>
          {t('poverty.desk.category')}{' '}
          <Select
            style={{ minWidth: 160 }}
            value={category ?? ''}
            options={options(POVERTY_CATEGORIES, POVERTY_CATEGORY_LABELS)}
            onChange={(v) => setCategory((v || undefined) as PovertyCategory | undefined)}
          />
        </span>
        <span>
          {t('poverty.desk.step')}{' '}
          <Select
            style={{ minWidth: 160 }}
            value={step ?? ''}
            options={options(PROCEDURE_STEPS, PROCEDURE_STEP_LABELS)}
            onChange={(v) => setStep((v || undefined) as ProcedureStep | undefined)}
          />
        </span>
      </Space>
      {list.error && <Notice type="error">{(list.error as Error).message}</Notice>}
      <Table<MonitoredItem>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: t('poverty.desk.none') }}
        columns={[
          {
            title: t('poverty.desk.household'),
            render: (_, m) => (
              <Link to={`/poverty/monitored/${m.id}`} data-testid="monitored-link">
                {m.headName}
              </Link>
            ),
          },
          { title: t('poverty.desk.number'), dataIndex: 'householdNumber' },
          { title: t('poverty.desk.category'), render: (_, m) => label(POVERTY_CATEGORY_LABELS, m.category) },
          {
            title: t('poverty.desk.status'),
            render: (_, m) => <Tag color={STATUS_COLOURS[m.status]}>{label(MONITORED_STATUS_LABELS, m.status)}</Tag>,
          },
          { title: t('poverty.desk.nextStep'), render: (_, m) => label(PROCEDURE_STEP_LABELS, m.nextStep) },
          { title: t('poverty.desk.source'), render: (_, m) => label(FLAG_SOURCE_LABELS, m.source as FlagSource) },
          { title: t('poverty.desk.flaggedAt'), render: (_, m) => formatTime(m.flaggedAt) },
        ]}
      />
    </main>
  );
}
