// The rural revitalisation office's desk and the village cadres': the monitored households of my
// places by status, category and the step they wait for, each opening to its file. It opens on the
// households still followed, the ones the figures count by category. On a phone (below 768 px) the
// filters stack and each household is a card (head, category, status, next step, open) instead of
// the wide table, whose later columns would sit off screen.
import '../words.ts';
import '../poverty.css';
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
import { Pagination, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useMediaQuery } from '../../../lib/use-media-query.ts';
import { type MonitoredItem, useMonitored } from '../api/poverty.ts';
import { STATUS_COLOURS, useLabel } from './poverty-labels.ts';

export default function PovertyDeskPage() {
  const { t } = useTranslation();
  const label = useLabel();
  // 'followed': the households being identified, monitored or removing the risk (the figures' categories).
  const [status, setStatus] = useState<MonitoredStatus | 'followed' | undefined>('followed');
  const [category, setCategory] = useState<PovertyCategory>();
  const [step, setStep] = useState<ProcedureStep>();
  const [page, setPage] = useState(1);
  const narrow = useMediaQuery('(max-width: 767px)');
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
      {narrow ? (
        <MonitoredCards items={list.data?.items ?? []} loading={list.isPending} page={page} onPage={setPage} />
      ) : (
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
      )}
    </main>
  );
}

const CARD_PAGE = 20;

/** The phone's list: one card per household with what the wide table's off-screen columns held. */
function MonitoredCards({
  items,
  loading,
  page,
  onPage,
}: {
  items: MonitoredItem[];
  loading: boolean;
  page: number;
  onPage(page: number): void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  if (loading) return null;
  if (items.length === 0) return <p>{t('poverty.desk.none')}</p>;
  const pages = Math.ceil(items.length / CARD_PAGE);
  const shown = Math.min(page, pages);
  return (
    <>
      <ul className="poverty-cards" data-testid="monitored-cards">
        {items.slice((shown - 1) * CARD_PAGE, shown * CARD_PAGE).map((m) => (
          <li key={m.id} className="poverty-card" data-testid="monitored-card">
            <h2>
              {m.headName} <span className="poverty-card-number">{m.householdNumber}</span>
            </h2>
            <dl>
              <dt>{t('poverty.desk.category')}</dt>
              <dd>{label(POVERTY_CATEGORY_LABELS, m.category)}</dd>
              <dt>{t('poverty.desk.status')}</dt>
              <dd>
                <Tag color={STATUS_COLOURS[m.status]}>{label(MONITORED_STATUS_LABELS, m.status)}</Tag>
              </dd>
              <dt>{t('poverty.desk.nextStep')}</dt>
              <dd>{label(PROCEDURE_STEP_LABELS, m.nextStep)}</dd>
            </dl>
            <Link className="poverty-card-open" to={`/poverty/monitored/${m.id}`} data-testid="monitored-link">
              {t('poverty.desk.open')}
            </Link>
          </li>
        ))}
      </ul>
      {pages > 1 && <Pagination simple current={shown} pageSize={CARD_PAGE} total={items.length} onChange={onPage} />}
    </>
  );
}
