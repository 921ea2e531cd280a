// The department's desk: its open applications, due first, each taken through acceptance, one
// request for everything missing, decision and delivery; the catalogue's figures, export and import.
import '../words.ts';
import type { Application, TransitionInput } from '@cunzhi/contracts/services';
import { SERVICE_TAGS } from '@cunzhi/contracts/services-lists';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { can, useSession } from '../../../lib/session.ts';
import {
  importCatalogue,
  SERVICES_KEY,
  transitionApplication,
  useApplication,
  useApplications,
  useCatalogueStatistics,
  useServiceStatistics,
} from '../api/services.ts';

/** `onDone`: says what a step did, above the queue (an approved application leaves the queue). */
function ApplicationActions({ application, onDone }: { application: Application; onDone(text: string): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useApplication(application.id);
  const [note, setNote] = useState('');
  const [extra, setExtra] = useState('');
  const [message, setMessage] = useState<string>();
  const act = async (action: TransitionInput['action'], input: Omit<TransitionInput, 'action'> = {}) => {
    try {
      const updated = await transitionApplication(application.id, { action, ...input }, newId());
      setMessage(undefined);
      if (action === 'approve')
        onDone(
          `${application.itemName} · ${application.applicantName}：${t('services.approved', { number: updated.certificateNumber ?? '' })}`,
        );
      await client.invalidateQueries({ queryKey: [SERVICES_KEY] });
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <div data-testid="application-actions">
      <p>
        {(detail.data?.materials ?? []).map((m) => (
          <a
            key={m.id}
            href={`/api/services/applications/${application.id}/materials/${m.id}`}
            target="_blank"
            rel="noreferrer"
            style={{ marginRight: 12 }}
          >
            {m.material}
          </a>
        ))}
      </p>
      <Space wrap>
        {application.state === 'submitted' && (
          <Button type="primary" onClick={() => void act('accept')}>
            {t('services.actions.accept')}
          </Button>
        )}
        {(application.state === 'submitted' || application.state === 'accepted') && (
          <Space.Compact>
            <Input placeholder={t('services.extraMissing')} value={extra} onChange={(e) => setExtra(e.target.value)} />
            <Button
              onClick={() =>
                void act('askMaterials', {
                  missing: extra
                    .split(/[,，、]/)
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            >
              {t('services.actions.askMaterials')}
            </Button>
          </Space.Compact>
        )}
        {application.state === 'accepted' && (
          <Popconfirm
            title={t('services.confirmApprove', { item: application.itemName, name: application.applicantName })}
            okText={t('services.confirm')}
            cancelText={t('services.cancel')}
            onConfirm={() => act('approve')}
          >
            <Button type="primary">{t('services.actions.approve')}</Button>
          </Popconfirm>
        )}
        {['submitted', 'accepted', 'moreMaterials'].includes(application.state) && (
          <Space.Compact>
            <Input placeholder={t('services.reason')} value={note} onChange={(e) => setNote(e.target.value)} />
            <Button danger disabled={!note.trim()} onClick={() => void act('refuse', { note })}>
              {t('services.actions.refuse')}
            </Button>
          </Space.Compact>
        )}
      </Space>
      {message && <Notice type="error">{message}</Notice>}
    </div>
  );
}

/**
 * 送达: an approved application handed over (at the window or the postal outlet) or mailed, with
 * the tracking number. Confirmed first, since the applicant is told; a second tap changes nothing.
 */
function DeliverRow({ application }: { application: Application }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [tracking, setTracking] = useState('');
  const [message, setMessage] = useState<string>();
  const mail = application.delivery === 'mail';
  const deliver = async () => {
    if (mail && !tracking.trim()) {
      setMessage(t('services.trackingRequired'));
      return;
    }
    try {
      await transitionApplication(application.id, { action: 'deliver', ...(mail && { trackingNumber: tracking.trim() }) }, newId());
      setMessage(undefined);
      await client.invalidateQueries({ queryKey: [SERVICES_KEY] });
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const confirm = mail
    ? t('services.confirmDeliverMail', { item: application.itemName, name: application.applicantName, tracking: tracking.trim() })
    : t('services.confirmDeliverCollect', { item: application.itemName, name: application.applicantName });
  return (
    <div data-testid="deliver-row">
      <Space wrap>
        {mail && (
          <Input
            aria-label={t('services.tracking')}
            placeholder={t('services.tracking')}
            value={tracking}
            maxLength={40}
            onChange={(e) => setTracking(e.target.value)}
          />
        )}
        <Popconfirm title={confirm} okText={t('services.confirm')} cancelText={t('services.cancel')} onConfirm={() => deliver()}>
          <Button type="primary">{mail ? t('services.deliverMail') : t('services.deliverCollect')}</Button>
        </Popconfirm>
        <a href={`/api/services/applications/${application.id}/certificate.pdf`} target="_blank" rel="noreferrer">
          {t('services.certificate')}
        </a>
      </Space>
      {message && <Notice type="error">{message}</Notice>}
    </div>
  );
}

/** The department's approved applications, waiting to be handed over or mailed. */
function DeliveryPanel() {
  const { t } = useTranslation();
  const approved = useApplications('queue', 'approved');
  return (
    <Panel title={t('services.toDeliver')}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        data-testid="to-deliver"
        dataSource={approved.data?.items ?? []}
        columns={[
          { title: t('services.item'), dataIndex: 'itemName' },
          { title: t('services.applicant'), dataIndex: 'applicantName' },
          { title: t('services.certificateNumber'), dataIndex: 'certificateNumber', render: (n: string | null) => n ?? '—' },
          {
            title: t('services.delivery'),
            dataIndex: 'delivery',
            render: (d: string, row) => `${t(`services.deliveryWays.${d}`)}${d === 'mail' && row.address ? ` · ${row.address}` : ''}`,
          },
          { title: '', key: 'deliver', render: (_: unknown, row) => <DeliverRow application={row} /> },
        ]}
      />
    </Panel>
  );
}

function CataloguePanel() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const stats = useCatalogueStatistics();
  const [result, setResult] = useState<string>();
  const [imported, setImported] = useState<string>();
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const excel = file.name.toLowerCase().endsWith('.xlsx');
    try {
      const done = await importCatalogue(
        new Blob([await file.arrayBuffer()], {
          type: excel ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
        }),
      );
      setResult(t('services.imported', done));
    } catch (e) {
      setResult((e as Error).message);
    }
  };
  return (
    <Panel
      title={t('services.catalogue')}
      extra={
        <Space>
          <a className="link-button" href="/api/services/catalogue.csv">
            CSV
          </a>
          <a className="link-button" href="/api/services/catalogue.xlsx">
            Excel
          </a>
        </Space>
      }
    >
      <div className="figures" data-testid="catalogue-figures">
        <div>
          <strong>{stats.data?.total ?? '—'}</strong>
          <span>{t('services.items')}</span>
        </div>
        {SERVICE_TAGS.map((tag) => (
          <div key={tag}>
            <strong>{stats.data?.byTag[tag] ?? '—'}</strong>
            <span>{t(`services.tags.${tag}`)}</span>
          </div>
        ))}
        <div>
          <strong>{stats.data ? `${Math.round(stats.data.fullyOnlineShare * 100)}%` : '—'}</strong>
          <span>{t('services.onlineShare')}</span>
        </div>
      </div>
      {can(session, 'services.catalogue') && (
        <FilePicker
          label={t('services.import')}
          caption={t('services.import')}
          kind="file"
          accept=".csv,.xlsx"
          chosen={imported ? [imported] : []}
          resetAfterChoice
          onChoose={([file]) => {
            setImported(file?.name);
            void importFile(file);
          }}
        />
      )}
      {result && <Notice type="info">{result}</Notice>}
    </Panel>
  );
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** The last 30 days: applications, on-time rate, average days, online and nearby shares, by township and item. */
function StatisticsPanel() {
  const { t } = useTranslation();
  const stats = useServiceStatistics(30);
  const total = stats.data?.total;
  return (
    <Panel title={t('services.statistics')}>
      <div className="figures" data-testid="service-figures">
        <div>
          <strong>{total?.applications ?? '—'}</strong>
          <span>{t('services.applications')}</span>
        </div>
        <div>
          <strong>{total ? percent(total.onTimeRate) : '—'}</strong>
          <span>{t('services.onTimeRate')}</span>
        </div>
        <div>
          <strong>{total?.averageDays ?? '—'}</strong>
          <span>{t('services.averageDays')}</span>
        </div>
        <div>
          <strong>{total ? percent(total.onlineShare) : '—'}</strong>
          <span>{t('services.onlineApplications')}</span>
        </div>
        <div>
          <strong>{total ? percent(total.nearbyShare) : '—'}</strong>
          <span>{t('services.nearbyApplications')}</span>
        </div>
      </div>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={[...(stats.data?.byTownship ?? [])]}
        columns={[
          { title: t('services.township'), dataIndex: 'name' },
          { title: t('services.applications'), dataIndex: 'applications' },
          { title: t('services.onTimeRate'), dataIndex: 'onTimeRate', render: percent },
          { title: t('services.averageDays'), dataIndex: 'averageDays', render: (d: number | null) => d ?? '—' },
        ]}
      />
    </Panel>
  );
}

export default function ServicesDeskPage() {
  const { t } = useTranslation();
  const queue = useApplications('queue');
  const [open, setOpen] = useState<string>();
  const [done, setDone] = useState<string>();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('services.queue')}>
        {done && (
          <Notice type="success" onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        )}
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={queue.data?.items ?? []}
          expandable={{
            expandedRowKeys: open ? [open] : [],
            onExpand: (expanded, row) => setOpen(expanded ? row.id : undefined),
            expandedRowRender: (row) => <ApplicationActions application={row} onDone={setDone} />,
          }}
          columns={[
            { title: t('services.item'), dataIndex: 'itemName' },
            { title: t('services.applicant'), dataIndex: 'applicantName' },
            { title: t('services.channel'), dataIndex: 'channel', render: (c: string) => t(`services.channels.${c}`) },
            {
              title: t('services.state'),
              dataIndex: 'state',
              render: (s: string, row) => (
                <Chip colour={row.overdue ? 'red' : 'blue'}>
                  {t(`services.states.${s}`)}
                  {row.overdue ? ` · ${t('services.overdue')}` : ''}
                </Chip>
              ),
            },
            { title: t('services.due'), dataIndex: 'dueAt', render: (d: string | null) => (d ? formatTime(d) : '—') },
          ]}
        />
      </Panel>
      <DeliveryPanel />
      <StatisticsPanel />
      <CataloguePanel />
    </Space>
  );
}
