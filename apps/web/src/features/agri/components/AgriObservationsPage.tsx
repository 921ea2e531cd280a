// 田间记录 on the desk: what was observed on every farm of the extension worker's township (a
// cadre's village), newest observed day first: growth, pests and diseases, deaths, yields and
// sales, with their photos, found by kind, pest or disease and days. Cards, not a table, so that
// it reads on a 390 px phone as on the desk.
import '../words.ts';
import '../agri.css';
import { OBSERVATION_KIND_LABELS, OBSERVATION_KINDS, OBSERVATION_SOURCE_LABELS, PEST_LABELS, PESTS } from '@cunzhi/contracts/agri';
import { Button, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { cameraImageUrl, useFieldRecords } from '../api/farm.ts';
import { labelOf } from '../labels.ts';
import { Photos, useObservationLine } from './FarmRecords.tsx';

export default function AgriObservationsPage() {
  const { t, i18n } = useTranslation();
  const l = i18n.language;
  const [regionId, setRegionId] = useState<string>();
  const [kind, setKind] = useState<string>();
  const [pest, setPest] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const badRange = from !== '' && to !== '' && from > to;
  const records = useFieldRecords({ regionId, kind, pest, from: from || undefined, to: to || undefined });
  const line = useObservationLine();
  const items = badRange ? [] : (records.data?.pages.flatMap((page) => page.items) ?? []);
  return (
    <Panel title={t('nav.agriObservations')}>
      <Space wrap className="agri-filters">
        <div className="agri-filter">
          <RegionPicker allowClear value={regionId} onChange={setRegionId} placeholder={t('agri.desk.region')} />
        </div>
        <Select
          className="agri-filter"
          allowClear
          placeholder={t('agri.records.kind')}
          aria-label={t('agri.records.kind')}
          value={kind}
          onChange={setKind}
          options={OBSERVATION_KINDS.map((k) => ({ value: k, label: labelOf(OBSERVATION_KIND_LABELS, k, l) }))}
        />
        <Select
          className="agri-filter"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('agri.records.pest')}
          aria-label={t('agri.records.pest')}
          value={pest}
          onChange={setPest}
          options={PESTS.map((p) => ({ value: p, label: labelOf(PEST_LABELS, p, l) }))}
        />
        <label className="agri-date">
          {t('agri.records.from')}
          <input type="date" className="ant-input" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="agri-date">
          {t('agri.records.to')}
          <input type="date" className="ant-input" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </Space>
      {badRange && <Notice type="error">{t('agri.records.badRange')}</Notice>}
      {records.error && !badRange && <Notice type="error">{(records.error as Error).message}</Notice>}
      {records.isSuccess && items.length === 0 && !badRange && <p className="muted">{t('agri.records.none')}</p>}
      <ul className="agri-cards" data-testid="field-records">
        {items.map((o) => (
          <li key={o.id} className="agri-card">
            <h3>{t('agri.records.household', { name: o.headName, number: o.householdNumber })}</h3>
            <p>{line(o)}</p>
            {o.note && <p>{o.note}</p>}
            <Photos ids={o.photoIds} alt={o.subjectName} />
            {o.snapshotId && (
              <div className="agri-photos">
                <img src={cameraImageUrl(o.id)} alt={o.subjectName} loading="lazy" />
              </div>
            )}
            <p className="muted">
              {labelOf(OBSERVATION_SOURCE_LABELS, o.source, l)} · {o.byName}
            </p>
          </li>
        ))}
      </ul>
      {records.hasNextPage && !badRange && (
        <Button block onClick={() => void records.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Panel>
  );
}
