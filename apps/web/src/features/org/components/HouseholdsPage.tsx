import { Button, Tag } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useHouseholds } from '../../../lib/households.ts';
import { can, useSession } from '../../../lib/session.ts';

// Loaded when used: most phones only search and open a household.
const HouseholdForm = lazy(() => import('./HouseholdForm.tsx').then((m) => ({ default: m.HouseholdForm })));
const RegionPicker = lazy(() => import('../../../components/RegionPicker.tsx').then((m) => ({ default: m.RegionPicker })));

export default function HouseholdsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const [q, setQ] = useState('');
  const [regionId, setRegionId] = useState<string>();
  const [draft, setDraft] = useState('');
  const [pickingRegion, setPickingRegion] = useState(false);
  const [creating, setCreating] = useState(false);
  const households = useHouseholds({ q: q || undefined, regionId });
  const items = households.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Panel
      title={t('nav.households')}
      extra={
        can(session, 'org.write') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('household.new')}
          </Button>
        )
      }
    >
      <form
        className="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(draft.trim());
        }}
      >
        <input
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={t('household.searchPlaceholder')}
          aria-label={t('common.search')}
        />
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
        {!pickingRegion && <Button onClick={() => setPickingRegion(true)}>{t('household.region')}</Button>}
      </form>
      {pickingRegion && (
        <Suspense fallback={null}>
          <div style={{ marginBottom: 12 }}>
            <RegionPicker value={regionId} onChange={setRegionId} allowClear placeholder={t('household.region')} />
          </div>
        </Suspense>
      )}
      <ItemList
        loading={households.isLoading}
        empty={t('common.noData')}
        items={items.map((h) => ({
          key: h.id,
          title: <Link to={`/households/${h.id}`}>{h.headName}</Link>,
          description: `${h.number} · ${h.regionName}`,
          extra: <Tag>{t('household.memberCount', { count: h.memberCount })}</Tag>,
        }))}
      />
      {households.hasNextPage && (
        <Button block onClick={() => households.fetchNextPage()} loading={households.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      {creating && (
        <Suspense fallback={null}>
          <HouseholdForm
            onClose={(saved) => {
              setCreating(false);
              if (saved) navigate(`/households/${saved.id}`);
            }}
          />
        </Suspense>
      )}
    </Panel>
  );
}
