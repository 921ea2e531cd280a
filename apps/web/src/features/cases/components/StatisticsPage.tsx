// 酉诉即办 statistics for any region and period, computed by the server from the cases: the
// figures the county reports, by category and by department, as a table, a chart and a download.
import '../words.ts';
import type { Statistics } from '@cunzhi/contracts/cases';
import { Button, Space, Table } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { statisticsPath, useStatistics } from '../api/cases.ts';

const EChart = lazy(() => import('../../../components/EChart.tsx').then((m) => ({ default: m.EChart })));

type Row = Statistics['byCategory'][number];
const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);
/** Local midnight in Asia/Shanghai, as the ISO time the API takes. */
const midnight = (date: string) => `${date}T00:00:00+08:00`;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export default function StatisticsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => `${today().slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [regionId, setRegionId] = useState<string>();
  const params = { from: midnight(from), to: midnight(dayAfter(to)), regionId };
  const stats = useStatistics(params);

  const columns = [
    { title: t('cases.stats.group'), dataIndex: 'name', key: 'name' },
    ...(['received', 'answeredOnSpot', 'assigned', 'handled', 'replied', 'repliedOnTime', 'overdueOpen'] as const).map((key) => ({
      title: t(`cases.stats.${key}`),
      dataIndex: key,
      key,
      align: 'right' as const,
    })),
    ...(['onTimeReplyRate', 'completionRate', 'satisfactionRate'] as const).map((key) => ({
      title: t(`cases.stats.${key}`),
      dataIndex: key,
      key,
      align: 'right' as const,
      render: percent,
    })),
  ];
  const totalRow = stats.data && { ...stats.data.totals, key: 'total', name: t('cases.stats.total') };
  const option = useMemo(() => {
    const groups = stats.data?.byCategory ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 60 },
      xAxis: { type: 'category', data: groups.map((g) => g.name), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value' },
      series: (['received', 'handled', 'repliedOnTime'] as const).map((key) => ({
        name: t(`cases.stats.${key}`),
        type: 'bar',
        data: groups.map((g) => g[key]),
      })),
    };
  }, [stats.data, t]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('cases.stats.title')}>
        <Space wrap>
          <label>
            {t('cases.stats.from')} <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label>
            {t('cases.stats.to')} <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
          <div style={{ minWidth: 220 }}>
            <RegionPicker allowClear value={regionId} onChange={setRegionId} placeholder={t('cases.region')} />
          </div>
          <Button href={statisticsPath(params, 'csv')}>{t('cases.stats.exportCsv')}</Button>
          <Button href={statisticsPath(params, 'xlsx')}>{t('cases.stats.exportXlsx')}</Button>
        </Space>
        {totalRow && (
          <div className="figures">
            {(['received', 'answeredOnSpot', 'assigned', 'handled'] as const).map((key) => (
              <div key={key}>
                <strong>{totalRow[key]}</strong>
                <span>{t(`cases.stats.${key}`)}</span>
              </div>
            ))}
            <div>
              <strong data-testid="on-time-rate">{percent(totalRow.onTimeReplyRate)}</strong>
              <span>{t('cases.stats.onTimeReplyRate')}</span>
            </div>
          </div>
        )}
      </Panel>
      <Panel title={t('cases.stats.byCategory')}>
        <Suspense fallback={null}>{stats.data && <EChart option={option} />}</Suspense>
        <Table<Row & { key: string }>
          size="small"
          scroll={{ x: true }}
          pagination={false}
          loading={stats.isLoading}
          columns={columns}
          dataSource={[...(totalRow ? [totalRow] : []), ...(stats.data?.byCategory ?? []).map((g) => ({ ...g, key: `c-${g.key}` }))]}
        />
      </Panel>
      <Panel title={t('cases.stats.byDepartment')}>
        <Table<Row & { key: string }>
          size="small"
          scroll={{ x: true }}
          pagination={false}
          columns={columns}
          dataSource={(stats.data?.byDepartment ?? []).map((g) => ({ ...g, key: `d-${g.key}` }))}
        />
      </Panel>
    </Space>
  );
}
