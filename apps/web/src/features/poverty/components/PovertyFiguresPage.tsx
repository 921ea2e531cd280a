// The "common prosperity" figures of my place and the places below it (what the wall screen shows),
// the income trend, the XLSX export, and for the county admin the monitoring line and thresholds.
import '../words.ts';
import { MEASURE_KIND_LABELS, POVERTY_CATEGORIES, POVERTY_CATEGORY_LABELS } from '@cunzhi/contracts/poverty';
import type { PovertyFigures } from '@cunzhi/contracts/poverty-monitored';
import { useQueryClient } from '@tanstack/react-query';
import { Button, InputNumber, Space, Table } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { can, useSession } from '../../../lib/session.ts';
import { figuresXlsxHref, POVERTY_KEY, saveSettings, useFigures, useSettings } from '../api/poverty.ts';
import { useLabel } from './poverty-labels.ts';

const EChart = lazy(() => import('../../../components/EChart.tsx').then((m) => ({ default: m.EChart })));

type Row = PovertyFigures['region'];
type SettingKey = 'incomeLine' | 'expenseRatio' | 'expenseMinimum' | 'stableMonths' | 'visitIntervalDays' | 'noticeDays';
const SETTING_KEYS: SettingKey[] = ['incomeLine', 'expenseRatio', 'expenseMinimum', 'stableMonths', 'visitIntervalDays', 'noticeDays'];

function SettingsForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useSettings();
  const [draft, setDraft] = useState<Partial<Record<SettingKey, number>>>({});
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  if (!settings.data) return null;
  const value = (key: SettingKey) => draft[key] ?? settings.data[key];
  const save = async () => {
    try {
      const input = Object.fromEntries(SETTING_KEYS.map((k) => [k, value(k)])) as Record<SettingKey, number>;
      await saveSettings({ year: settings.data.year, ...input });
      setMessage({ type: 'success', text: t('poverty.file.saved') });
      void client.invalidateQueries({ queryKey: [POVERTY_KEY] });
    } catch (e) {
      setMessage({ type: 'error', text: (e as Error).message });
    }
  };
  return (
    <section>
      <h2>
        {t('poverty.figures.settings')} · {settings.data.year}
      </h2>
      <Space wrap>
        {SETTING_KEYS.map((key) => (
          <span key={key}>
            {t(`poverty.figures.${key}`)}{' '}
            <InputNumber controls={false} value={value(key)} onChange={(v) => setDraft({ ...draft, [key]: v ?? undefined })} />
          </span>
        ))}
        <Button type="primary" onClick={() => void save()}>
          {t('poverty.figures.saveSettings')}
        </Button>
      </Space>
      {message && <Notice type={message.type}>{message.text}</Notice>}
    </section>
  );
}

export default function PovertyFiguresPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { data: session } = useSession();
  const [regionId, setRegionId] = useState<string>();
  const figures = useFigures(regionId);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: (figures.data?.incomeTrend ?? []).map((p) => p.month) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', name: t('poverty.figures.trend'), data: (figures.data?.incomeTrend ?? []).map((p) => p.perCapita) }],
    }),
    [figures.data, t],
  );
  const rows: Row[] = figures.data ? [figures.data.region, ...figures.data.children] : [];
  return (
    <main className="desk-page" data-testid="poverty-figures">
      <h1>{t('poverty.figures.title')}</h1>
      {figures.error && <Notice type="error">{(figures.error as Error).message}</Notice>}
      <Space style={{ marginBottom: 12 }}>
        {regionId && <Button onClick={() => setRegionId(undefined)}>↑</Button>}
        <Button href={figuresXlsxHref(regionId)} download>
          {t('poverty.figures.export')}
        </Button>
      </Space>
      <Table<Row>
        rowKey="regionId"
        size="small"
        scroll={{ x: 'max-content' }}
        pagination={false}
        loading={figures.isPending}
        dataSource={rows}
        columns={[
          {
            title: t('poverty.figures.region'),
            render: (_, r) =>
              r.regionId === figures.data?.region.regionId ? (
                <strong>{r.name}</strong>
              ) : (
                <Button type="link" onClick={() => setRegionId(r.regionId)}>
                  {r.name}
                </Button>
              ),
          },
          ...POVERTY_CATEGORIES.map((c) => ({
            title: label(POVERTY_CATEGORY_LABELS, c),
            render: (_: unknown, r: Row) => r.byCategory[c] ?? 0,
          })),
          { title: t('poverty.figures.followed'), dataIndex: 'followed' },
          { title: t('poverty.figures.monitored'), dataIndex: 'monitored' },
          { title: t('poverty.figures.identifying'), dataIndex: 'identifying' },
          { title: t('poverty.figures.newThisMonth'), dataIndex: 'newThisMonth' },
          { title: t('poverty.figures.removed'), dataIndex: 'removed' },
          {
            title: t('poverty.figures.measures'),
            render: (_: unknown, r: Row) =>
              Object.entries(r.measuresByKind)
                .filter(([, n]) => n > 0)
                .map(([k, n]) => `${label(MEASURE_KIND_LABELS, k)} ${n}`)
                .join('，'),
          },
        ]}
      />
      <p className="muted" data-testid="figures-note">
        {t('poverty.figures.byCategoryNote')}
      </p>
      <h2>{t('poverty.figures.trend')}</h2>
      <Suspense fallback={null}>{figures.data && <EChart option={option} />}</Suspense>
      {can(session, 'poverty.configure') && <SettingsForm />}
    </main>
  );
}
