// Findings of change detection in my places (a structure that went up in a camera's watch area):
// open ones first, each opening to its pictures and the cadre's decision.
import '../words.ts';
import { FINDING_STATE_LABELS, FINDING_STATES, type Finding, type FindingState } from '@cunzhi/contracts/monitoring-findings';
import { Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useFindings } from '../api/findings.ts';

export const STATE_COLOURS: Record<FindingState, string> = { open: 'red', confirmed: 'orange', sceneAccepted: 'green' };

export default function FindingsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [state, setState] = useState<FindingState | 'all'>('open');
  const findings = useFindings(state === 'all' ? undefined : state);
  return (
    <main>
      <h1>{t('monitoring.findings.title')}</h1>
      <Segmented
        value={state}
        onChange={(v) => setState(v as FindingState | 'all')}
        options={[
          ...FINDING_STATES.map((s) => ({ value: s, label: en ? FINDING_STATE_LABELS[s].en : FINDING_STATE_LABELS[s].zh })),
          { value: 'all', label: t('monitoring.findings.all') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {findings.error && <Notice type="error">{(findings.error as Error).message}</Notice>}
      <Table<Finding>
        rowKey="id"
        loading={findings.isPending}
        dataSource={findings.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('monitoring.findings.none') }}
        columns={[
          { title: t('monitoring.findings.when'), key: 'when', render: (_, f) => formatTime(f.createdAt) },
          { title: t('monitoring.findings.camera'), dataIndex: 'cameraName' },
          { title: t('monitoring.findings.changed'), key: 'changed', render: (_, f) => `${Math.round(f.changedFraction * 100)}%` },
          {
            title: t('monitoring.findings.state'),
            key: 'state',
            render: (_, f) => (
              <Tag color={STATE_COLOURS[f.state]}>{en ? FINDING_STATE_LABELS[f.state].en : FINDING_STATE_LABELS[f.state].zh}</Tag>
            ),
          },
          {
            title: t('monitoring.findings.case'),
            key: 'case',
            render: (_, f) => (f.caseId ? <Link to={`/cases/${f.caseId}`}>{f.caseNumber ?? f.caseId.slice(0, 8)}</Link> : '—'),
          },
          { title: '', key: 'open', render: (_, f) => <Link to={`/cameras/findings/${f.id}`}>{t('monitoring.findings.open')}</Link> },
        ]}
      />
    </main>
  );
}
