// 产业数据: the figures of the wall screen's "industrial prosperity" section for a village,
// township or the county and a year: farms, plots by crop and flocks by kind, advice given and
// read, questions answered, yields and sales by month, and the same per place one level down;
// all of it as an XLSX download. Aggregates only: no household is named.
import '../words.ts';
import '../agri.css';
import type { AgriFigures } from '@cunzhi/contracts/agri-questions';
import { Button, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { figuresXlsxUrl, useFigures } from '../api/desk.ts';
import { todayInChina } from '../farm-input.ts';
import { cropName, mu, speciesName } from '../labels.ts';

const yuan = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

function Figure({ value, label, testId }: { value: number | string; label: string; testId?: string }) {
  return (
    <div>
      <strong data-testid={testId}>{value}</strong>
      <span>{label}</span>
    </div>
  );
}

function Tables({ figures }: { figures: AgriFigures }) {
  const { t, i18n } = useTranslation();
  const l = i18n.language;
  return (
    <>
      <Panel title={t('agri.figures.plotsByCrop')}>
        <Table
          size="small"
          rowKey="crop"
          pagination={false}
          dataSource={figures.plotsByCrop}
          columns={[
            { title: t('agri.desk.crops'), key: 'crop', render: (_, r) => cropName(r.crop, l) },
            { title: t('agri.desk.plots'), dataIndex: 'plots', align: 'right' },
            { title: t('agri.figures.households'), dataIndex: 'households', align: 'right' },
            { title: t('agri.desk.area'), key: 'area', align: 'right', render: (_, r) => mu(r.areaMu, l) },
          ]}
        />
      </Panel>
      <Panel title={t('agri.figures.flocksBySpecies')}>
        <Table
          size="small"
          rowKey="species"
          pagination={false}
          dataSource={figures.flocksBySpecies}
          columns={[
            { title: t('agri.desk.species'), key: 'species', render: (_, r) => speciesName(r.species, l) },
            { title: t('agri.desk.flocks'), dataIndex: 'flocks', align: 'right' },
            { title: t('agri.figures.households'), dataIndex: 'households', align: 'right' },
            { title: t('agri.desk.heads'), dataIndex: 'heads', align: 'right' },
          ]}
        />
      </Panel>
      <Panel title={t('agri.figures.byMonth')}>
        <Table
          size="small"
          rowKey="month"
          pagination={false}
          scroll={{ x: true }}
          dataSource={figures.byMonth}
          columns={[
            { title: t('agri.figures.month'), key: 'month', render: (_, r) => t('agri.advice.month', { month: r.month }) },
            { title: t('agri.figures.yieldKg'), dataIndex: 'yieldKg', align: 'right' },
            { title: t('agri.figures.soldKg'), dataIndex: 'soldKg', align: 'right' },
            { title: t('agri.figures.salesYuan'), key: 'sales', align: 'right', render: (_, r) => yuan(r.salesYuan) },
            { title: t('agri.figures.deaths'), dataIndex: 'deaths', align: 'right' },
          ]}
        />
      </Panel>
      <Panel title={t('agri.figures.byPlace')}>
        <Table
          size="small"
          rowKey="regionId"
          pagination={false}
          scroll={{ x: true }}
          dataSource={figures.byPlace}
          columns={[
            { title: t('agri.figures.place'), dataIndex: 'name' },
            { title: t('agri.figures.farms'), dataIndex: 'farms', align: 'right' },
            { title: t('agri.desk.area'), key: 'area', align: 'right', render: (_, r) => mu(r.areaMu, l) },
            { title: t('agri.desk.heads'), dataIndex: 'heads', align: 'right' },
            { title: t('agri.figures.householdsAdvised'), dataIndex: 'householdsAdvised', align: 'right' },
            { title: t('agri.figures.questionsAnswered'), dataIndex: 'questionsAnswered', align: 'right' },
            { title: t('agri.figures.salesYuan'), key: 'sales', align: 'right', render: (_, r) => yuan(r.salesYuan) },
          ]}
        />
      </Panel>
    </>
  );
}

export default function AgriFiguresPage() {
  const { t } = useTranslation();
  const thisYear = Number(todayInChina().slice(0, 4));
  const [regionId, setRegionId] = useState<string>();
  const [year, setYear] = useState(thisYear);
  const figures = useFigures({ regionId, year });
  const data = figures.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={data ? t('agri.figures.titleOf', { place: data.regionName, year: data.year }) : t('nav.agriFigures')}>
        <Space wrap>
          <div style={{ minWidth: 240 }}>
            <RegionPicker allowClear value={regionId} onChange={setRegionId} placeholder={t('agri.desk.region')} />
          </div>
          <Select
            aria-label={t('agri.figures.year')}
            value={year}
            onChange={setYear}
            options={[0, 1, 2, 3].map((back) => ({
              value: thisYear - back,
              label: t('agri.figures.yearValue', { year: thisYear - back }),
            }))}
          />
          <Button href={figuresXlsxUrl({ regionId, year })} download data-testid="figures-xlsx">
            {t('agri.figures.xlsx')}
          </Button>
        </Space>
        {figures.error && <Notice type="error">{(figures.error as Error).message}</Notice>}
        {data && (
          <div className="figures">
            <Figure value={data.farms} label={t('agri.figures.farms')} testId="figures-farms" />
            <Figure value={data.advice.households} label={t('agri.figures.householdsAdvised')} testId="figures-advised" />
            <Figure value={data.advice.read} label={t('agri.figures.adviceRead')} />
            <Figure value={data.questions.answered} label={t('agri.figures.questionsAnswered')} />
            <Figure value={data.questions.overdue} label={t('agri.figures.questionsOverdue')} />
          </div>
        )}
      </Panel>
      {data && <Tables figures={data} />}
    </Space>
  );
}
