// The points keeper's desk (积分管理): claims to review with their photos, goods to hand over,
// stock and restocking, points for everyone at a village event, deductions, and the report.
import '../words.ts';
import type { Goods, PointsClaim } from '@cunzhi/contracts/points';
import { Alert, Button, Input, InputNumber, Popconfirm, Result, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useHouseholds } from '../../../lib/households.ts';
import { useSession } from '../../../lib/session.ts';
import { pointsApi, useClaims, useGoods, usePointsAction, useRedemptions, useRules } from '../api/points.ts';

function ClaimPhotos({ claim }: { claim: PointsClaim }) {
  const [photos, setPhotos] = useState<{ id: string; url: string; thumbUrl: string }[]>();
  if (claim.photoCount === 0) return null;
  if (!photos) {
    void pointsApi.claimWithPhotos(claim.id).then((r) => setPhotos(r.photos));
    return null;
  }
  return (
    <div className="photo-grid">
      {photos.map((p) => (
        <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
          <img src={p.thumbUrl} alt="" loading="lazy" />
        </a>
      ))}
    </div>
  );
}

function Claims() {
  const { t } = useTranslation();
  const submitted = useClaims({ state: 'submitted' });
  const review = usePointsAction(({ id, ...input }: Parameters<typeof pointsApi.review>[1] & { id: string }) =>
    pointsApi.review(id, input),
  );
  const [reasons, setReasons] = useState<Record<string, string>>({});
  return (
    <Panel title={t('points.keeper.claims')}>
      {review.error && <Alert type="error" showIcon message={review.error.message} />}
      <ItemList
        empty={t('common.noData')}
        items={(submitted.data?.items ?? []).map((c) => ({
          key: c.id,
          title: `${t('points.keeper.household', { name: c.headName })} · ${c.ruleItem} +${c.points}`,
          description: (
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <span>{[formatTime(c.createdAt), c.note].filter(Boolean).join(' · ')}</span>
              <ClaimPhotos claim={c} />
              <Input
                size="small"
                placeholder={t('points.keeper.reason')}
                aria-label={t('points.keeper.reason')}
                value={reasons[c.id] ?? ''}
                onChange={(e) => setReasons((r) => ({ ...r, [c.id]: e.target.value }))}
              />
              <Space wrap>
                <Button size="small" type="primary" onClick={() => review.mutate({ id: c.id, decision: 'approve' })}>
                  {t('points.keeper.approve')}
                </Button>
                <Button
                  size="small"
                  disabled={!reasons[c.id]}
                  onClick={() => review.mutate({ id: c.id, decision: 'askMore', reason: reasons[c.id] })}
                >
                  {t('points.keeper.askMore')}
                </Button>
                <Button
                  size="small"
                  danger
                  disabled={!reasons[c.id]}
                  onClick={() => review.mutate({ id: c.id, decision: 'reject', reason: reasons[c.id] })}
                >
                  {t('points.keeper.reject')}
                </Button>
              </Space>
            </Space>
          ),
        }))}
      />
    </Panel>
  );
}

function HandOver() {
  const { t } = useTranslation();
  const pending = useRedemptions({ state: 'pending' });
  const collect = usePointsAction((id: string) => pointsApi.collect(id));
  const [handed, setHanded] = useState<string>();
  return (
    <Panel title={t('points.keeper.handOver')}>
      {collect.error && <Alert type="error" showIcon message={collect.error.message} />}
      {handed && <Alert type="success" showIcon closable message={handed} onClose={() => setHanded(undefined)} />}
      <ItemList
        empty={t('common.noData')}
        items={(pending.data?.items ?? []).map((r) => ({
          key: r.id,
          title: `${t('points.keeper.household', { name: r.headName })} · ${r.goodsName} × ${r.quantity}`,
          description: `${r.points} ${t('points.unit')} · ${formatTime(r.createdAt)}`,
          // The button says what it does; what it did reads 已发放 (the state) once done.
          extra: (
            <Popconfirm
              title={t('points.keeper.confirmHandOver', { goods: `${r.goodsName} × ${r.quantity}`, household: r.headName })}
              okText={t('points.keeper.markCollected')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                collect.mutateAsync(r.id).then(
                  () => setHanded(t('points.keeper.handedOver', { goods: `${r.goodsName} × ${r.quantity}`, household: r.headName })),
                  // A refusal is shown by collect.error above the list.
                  () => undefined,
                )
              }
            >
              <Button type="primary">{t('points.keeper.markCollected')}</Button>
            </Popconfirm>
          ),
        }))}
      />
    </Panel>
  );
}

function Stock({ villageId }: { villageId: string }) {
  const { t } = useTranslation();
  const goods = useGoods(villageId);
  const restock = usePointsAction(({ item, quantity }: { item: Goods; quantity: number }) => pointsApi.restock(villageId, item, quantity));
  const photo = usePointsAction(({ item, file }: { item: Goods; file: File }) => pointsApi.goodsPhoto(villageId, item, file));
  const [amounts, setAmounts] = useState<Record<string, number | undefined>>({});
  return (
    <Panel
      title={t('points.keeper.stock')}
      extra={
        <Button size="small" href={`/api/points/villages/${villageId}/report?from=200001&to=299912&format=xlsx`}>
          {t('points.keeper.report')}
        </Button>
      }
    >
      {(restock.error || photo.error) && <Alert type="error" showIcon message={(restock.error ?? photo.error)?.message} />}
      <Table<Goods>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={goods.data?.items ?? []}
        columns={[
          {
            title: t('points.shop'),
            dataIndex: 'name',
            render: (name: string, g) => (
              <span className="goods-title">
                {g.photoUrl && <img src={g.photoUrl} alt="" loading="lazy" />}
                {name} {g.available <= g.reorderLevel && <Tag color="red">{t('points.keeper.reorder')}</Tag>}
                <label className="link-button">
                  {t('points.keeper.photo')}
                  <input
                    type="file"
                    accept="image/*"
                    className="sr-only"
                    onChange={(e) => e.target.files?.[0] && photo.mutate({ item: g, file: e.target.files[0] })}
                  />
                </label>
              </span>
            ),
          },
          { title: t('points.unit'), dataIndex: 'price', align: 'right' },
          { title: t('points.left'), dataIndex: 'available', align: 'right' },
          { title: t('points.pending'), dataIndex: 'pending', align: 'right' },
          {
            title: t('points.keeper.restock'),
            key: 'restock',
            render: (_: unknown, g) => (
              <Space.Compact>
                <InputNumber
                  controls={false}
                  size="small"
                  // Whole pieces only: the server takes an integer quantity and refuses 2.5.
                  min={1}
                  max={100_000}
                  precision={0}
                  aria-label={`${t('points.keeper.restock')} ${g.name}`}
                  value={amounts[g.id]}
                  onChange={(v) => setAmounts((a) => ({ ...a, [g.id]: v === null ? undefined : Math.trunc(Number(v)) }))}
                />
                <Button
                  size="small"
                  disabled={!amounts[g.id]}
                  onClick={() => restock.mutate({ item: g, quantity: amounts[g.id] as number })}
                >
                  {t('points.keeper.restock')}
                </Button>
              </Space.Compact>
            ),
          },
        ]}
      />
    </Panel>
  );
}

function GrantAndDeduct({ villageId }: { villageId: string }) {
  const { t } = useTranslation();
  const rules = useRules(villageId);
  const households = useHouseholds({ regionId: villageId });
  const options = (households.data?.pages.flatMap((p) => p.items) ?? []).map((h) => ({ value: h.id, label: `${h.number} ${h.headName}` }));
  const [ruleId, setRuleId] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const grant = usePointsAction(() => pointsApi.grant({ ruleId: ruleId as string, householdIds: chosen }));
  const deduct = usePointsAction(() => pointsApi.deduct({ ruleId: ruleId as string, householdId: chosen[0] as string, reason }));
  const rule = rules.data?.items.find((r) => r.id === ruleId);
  return (
    <Panel title={`${t('points.keeper.grant')} / ${t('points.keeper.deduct')}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <span className="muted">{t('points.keeper.grantHint')}</span>
        <Select
          style={{ width: '100%' }}
          placeholder={t('points.chooseRule')}
          value={ruleId}
          onChange={setRuleId}
          options={(rules.data?.items ?? [])
            .filter((r) => r.active)
            .map((r) => ({ value: r.id, label: `${r.item} ${r.points > 0 ? '+' : ''}${r.points}` }))}
        />
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          placeholder={t('points.keeper.households')}
          value={chosen}
          onChange={setChosen}
          options={options}
          optionFilterProp="label"
        />
        {rule && rule.points < 0 && (
          <Input placeholder={t('points.keeper.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
        {rule && rule.points > 0 && (
          <Button type="primary" disabled={chosen.length === 0} loading={grant.isPending} onClick={() => grant.mutate(undefined)}>
            {t('points.keeper.grant')}
          </Button>
        )}
        {rule && rule.points < 0 && (
          <Button
            danger
            disabled={chosen.length !== 1 || !reason.trim()}
            loading={deduct.isPending}
            onClick={() => deduct.mutate(undefined)}
          >
            {t('points.keeper.deduct')}
          </Button>
        )}
        {(grant.isSuccess || deduct.isSuccess) && <Alert type="success" showIcon message={t('points.keeper.done')} />}
        {(grant.error || deduct.error) && <Alert type="error" showIcon message={(grant.error ?? deduct.error)?.message} />}
      </Space>
    </Panel>
  );
}

export default function KeeperPage() {
  const { data: session } = useSession();
  const village = session?.user.assignments.find(
    (a) => (a.role === 'pointsKeeper' || a.role === 'villageCadre') && a.regionLevel === 'village',
  );
  const { t } = useTranslation();
  // Anyone else who opens the address is told whose page this is, not shown a blank page.
  if (!village) return <Result status="info" title={t('points.keeper.notYours')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Claims />
      <HandOver />
      <GrantAndDeduct villageId={village.regionId} />
      <Stock villageId={village.regionId} />
    </Space>
  );
}
