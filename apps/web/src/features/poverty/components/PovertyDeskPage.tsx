// The rural revitalisation office's desk and the village cadres': the monitored households of my
// places by status, category and the step they wait for, each opening to its file. It opens on the
// households still followed, the ones the figures count by category. On a 390 px phone the filters
// stack and the table scrolls inside its own box, never the page.
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
import { Select, Table, Tag } from 'antd';
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
  // 'followed': the households being identified, monitored or removing the risk (the figures' categories).
  const [status, setStatus] = useState<MonitoredStatus | 'followed' | undefined>('followed');
  const [category, setCategory] = useState<PovertyCategory>();
  const [step, setStep] = useState<ProcedureStep>();
  const list = useMonitored({ ...(status === 'followed' ? { followed: true } : { status }), category, step });
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
      <div className="desk-filters">
        <div className="desk-filter-field">
          <span>{t('poverty.desk.status')}</span>
          <Select
            className="desk-filter"
            aria-label={t('poverty.desk.status')}
            value={status ?? ''}
            options={[{ value: 'followed', label: t('poverty.desk.followed') }, ...options(MONITORED_STATUSES, MONITORED_STATUS_LABELS)]}
            onChange={(v) => setStatus((v || undefined) as MonitoredStatus | 'followed' | undefined)}
            data-testid="filter-status"
          />
        </div>
        <div className="desk-filter-field">
          <span>{t('poverty.desk.category')}</span>
          <Select
            className="desk-filter"
            aria-label={t('poverty.desk.category')}
            value={category ?? ''}
            options={options(POVERTY_CATEGORIES, POVERTY_CATEGORY_LABELS)}
            onChange={(v) => setCategory((v || undefined) as PovertyCategory | undefined)}
          />
        </div>
        <div className="desk-filter-field">
          <span>{t('poverty.desk.step')}</span>
          <Select
            className="desk-filter"
            aria-label={t('poverty.desk.step')}
            value={step ?? ''}
            options={options(PROCEDURE_STEPS, PROCEDURE_STEP_LABELS)}
            onChange={(v) => setStep((v || undefined) as ProcedureStep | undefined)}
          />
        </div>
      </div>
      {list.error && <Notice type="error">{(list.error as Error).message}</Notice>}
      <Table<MonitoredItem>
        rowKey="id"
        scroll={{ x: 'max-content' }}
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
