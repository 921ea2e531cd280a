import { ROLE_LABELS } from '@cunzhi/contracts/roles';
import { Space, Tag } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../components/Panel.tsx';
import { useHouseholdCounts } from '../features/org/api/household-counts.ts';
import { can, useSession } from '../lib/session.ts';

const EChart = lazy(() => import('../components/EChart.tsx').then((m) => ({ default: m.EChart })));

function HouseholdsByVillage() {
  const { t } = useTranslation();
  const counts = useHouseholdCounts();
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: (counts.data ?? []).map((c) => c.regionName) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: (counts.data ?? []).map((c) => c.count), itemStyle: { color: '#1f6f43' } }],
    }),
    [counts.data],
  );
  if (!counts.data || counts.data.length < 2) return null;
  return (
    <Panel title={t('home.byVillage')}>
      <Suspense fallback={null}>
        <EChart option={option} />
      </Suspense>
    </Panel>
  );
}

export default function HomePage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  if (!session) return null;
  const language = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('home.welcome', { name: session.user.displayName })}>
        <span className="muted">{t('home.roles')}: </span>
        {session.user.assignments.map((a) => (
          <Tag key={a.id} color="green">{`${ROLE_LABELS[a.role][language]} · ${a.regionName}`}</Tag>
        ))}
      </Panel>
      {can(session, 'org.write') && <HouseholdsByVillage />}
    </Space>
  );
}
