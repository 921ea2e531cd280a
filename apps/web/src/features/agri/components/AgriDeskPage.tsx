// 农户农场 on the desk: the households' farms in a place (for the township's extension worker, the
// cadres and grid workers of the place), found by the head's name or the household number. One
// opens in a side panel with its plots and flocks (the extension worker keeps them too), the
// advice it was sent, what was observed, and the history of changes. On a phone (below 768 px) each
// household is a card saying what it keeps (plots and area, flocks and head count), not a wide table.
import '../words.ts';
import '../agri.css';
import { CloseCircleFilled } from '@ant-design/icons';
import type { FarmSummary } from '@cunzhi/contracts/agri-farms';
import { Button, Drawer, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useMediaQuery } from '../../../lib/use-media-query.ts';
import { useFarm, useFarmAdvice, useFarms } from '../api/farm.ts';
import { cropName, mu, speciesName } from '../labels.ts';
import { AdviceReceived, FarmHistory, ObservationList } from './FarmRecords.tsx';
import { FarmSubjects } from './FarmSubjects.tsx';

function FarmDetail({ householdId }: { householdId: string }) {
  const { data: session } = useSession();
  const farm = useFarm(householdId);
  const advice = useFarmAdvice(householdId);
  if (farm.error) return <Notice type="error">{(farm.error as Error).message}</Notice>;
  if (!farm.isSuccess) return null;
  const editable = can(session, 'agri.farm');
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="farm-detail">
      <FarmSubjects farm={farm.data} householdId={householdId} kind="plot" own={false} editable={editable} />
      <FarmSubjects farm={farm.data} householdId={householdId} kind="flock" own={false} editable={editable} />
      <ObservationList householdId={householdId} />
      <AdviceReceived advice={advice.data?.items} />
      <FarmHistory householdId={householdId} farm={farm.data} />
    </Space>
  );
}

/** A household's farm on a phone: what it keeps, plots only if it has any, flocks only if it has any. */
function FarmCard({ farm, onOpen }: { farm: FarmSummary; onOpen(): void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <li className="agri-card" data-testid="farm-card">
      <h3>
        <Button type="link" className="agri-card-open" onClick={onOpen}>
          {farm.household.headName}
        </Button>{' '}
        <span className="muted">{farm.household.number}</span>
      </h3>
      {farm.plots > 0 && (
        <p data-testid="farm-card-plots">
          {t('agri.desk.plotsLine', { plots: farm.plots, area: mu(farm.areaMu, language) })}
          {farm.crops.length > 0 && `（${farm.crops.map((c) => cropName(c, language)).join('、')}）`}
        </p>
      )}
      {farm.flocks > 0 && (
        <p data-testid="farm-card-flocks">
          {t('agri.desk.flocksLine', { flocks: farm.flocks, heads: farm.heads })}
          {farm.species.length > 0 && `（${farm.species.map((s) => speciesName(s, language)).join('、')}）`}
        </p>
      )}
      {farm.plots === 0 && farm.flocks === 0 && <p>{t('agri.desk.nothingKept')}</p>}
      <p className="muted">
        {t('agri.desk.updated')}：{formatTime(farm.updatedAt)}
      </p>
    </li>
  );
}

export default function AgriDeskPage() {
  const { t, i18n } = useTranslation();
  const [regionId, setRegionId] = useState<string>();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<FarmSummary>();
  const farms = useFarms({ regionId, q: q.trim() || undefined });
  const rows = farms.data?.pages.flatMap((page) => page.items) ?? [];
  const language = i18n.language;
  const narrow = useMediaQuery('(max-width: 767px)');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('nav.agriDesk')}>
        <Space wrap>
          <div style={{ minWidth: 240, maxWidth: '100%' }}>
            <RegionPicker allowClear value={regionId} onChange={setRegionId} placeholder={t('agri.desk.region')} />
          </div>
          <Input.Search
            allowClear={{ clearIcon: <CloseCircleFilled aria-label={t('agri.desk.clear')} /> }}
            maxLength={40}
            placeholder={t('agri.desk.search')}
            aria-label={t('agri.desk.search')}
            enterButton={t('agri.desk.searchButton')}
            onSearch={setQ}
            style={{ width: 260, maxWidth: '100%' }}
          />
        </Space>
        {farms.error && <Notice type="error">{(farms.error as Error).message}</Notice>}
        {narrow ? (
          <ul className="agri-cards" data-testid="farm-cards">
            {rows.map((row) => (
              <FarmCard key={row.household.id} farm={row} onOpen={() => setOpen(row)} />
            ))}
          </ul>
        ) : (
          <Table<FarmSummary>
            size="small"
            rowKey={(row) => row.household.id}
            pagination={false}
            scroll={{ x: true }}
            loading={farms.isLoading}
            dataSource={rows}
            onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('household.number'), key: 'number', render: (_, row) => row.household.number },
              {
                title: t('household.headName'),
                key: 'head',
                render: (_, row) => (
                  <Button type="link" onClick={() => setOpen(row)}>
                    {row.household.headName}
                  </Button>
                ),
              },
              { title: t('agri.desk.plots'), dataIndex: 'plots', align: 'right' },
              { title: t('agri.desk.area'), key: 'area', align: 'right', render: (_, row) => mu(row.areaMu, language) },
              { title: t('agri.desk.crops'), key: 'crops', render: (_, row) => row.crops.map((c) => cropName(c, language)).join('、') },
              { title: t('agri.desk.flocks'), dataIndex: 'flocks', align: 'right' },
              { title: t('agri.desk.heads'), dataIndex: 'heads', align: 'right' },
              {
                title: t('agri.desk.species'),
                key: 'species',
                render: (_, row) => row.species.map((s) => speciesName(s, language)).join('、'),
              },
              { title: t('agri.desk.updated'), key: 'updated', render: (_, row) => formatTime(row.updatedAt) },
            ]}
          />
        )}
        {farms.hasNextPage && <Button onClick={() => void farms.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Panel>
      <Drawer
        open={open !== undefined}
        onClose={() => setOpen(undefined)}
        size="min(560px, 100vw)"
        title={open && t('agri.desk.farmOf', { name: open.household.headName, number: open.household.number })}
        destroyOnHidden
      >
        {open && <FarmDetail householdId={open.household.id} />}
      </Drawer>
    </Space>
  );
}
