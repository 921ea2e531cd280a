import { Button, Card, Flex, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { type PersonFilter, usePeople } from '../../../lib/people.ts';

export default function PeoplePage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PersonFilter>({});
  const [filter, setFilter] = useState<PersonFilter>({});
  const people = usePeople(filter);
  const items = people.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (key: keyof PersonFilter) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value || undefined });

  return (
    <Card title={t('nav.people')}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Input placeholder={t('person.namePlaceholder')} onChange={set('name')} style={{ flex: '1 1 140px' }} allowClear />
        <Input placeholder={t('person.phone')} onChange={set('phone')} inputMode="tel" style={{ flex: '1 1 140px' }} allowClear />
        <Input placeholder={t('person.idPlaceholder')} onChange={set('idNumber')} style={{ flex: '1 1 220px' }} allowClear maxLength={18} />
        <div style={{ flex: '1 1 180px' }}>
          <RegionPicker
            value={draft.regionId}
            onChange={(regionId) => setDraft({ ...draft, regionId })}
            allowClear
            placeholder={t('household.region')}
          />
        </div>
        <Button type="primary" onClick={() => setFilter(draft)}>
          {t('common.search')}
        </Button>
      </Flex>
      {people.error && <Typography.Text type="danger">{people.error.message}</Typography.Text>}
      <List
        loading={people.isLoading}
        dataSource={items}
        renderItem={(p) => (
          <List.Item key={p.id}>
            <List.Item.Meta
              title={p.householdId ? <Link to={`/households/${p.householdId}`}>{p.name}</Link> : p.name}
              description={
                <Space size={8} wrap>
                  <Typography.Text code>{p.idNumberMasked}</Typography.Text>
                  <span>{p.regionName}</span>
                  {p.phone && <span>{p.phone}</span>}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {people.hasNextPage && (
        <Button block onClick={() => people.fetchNextPage()} loading={people.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
