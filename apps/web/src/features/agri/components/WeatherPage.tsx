// 天气与预报 on the extension worker's desk: the days' weather of a township (entered by hand or
// imported from a forecast feed, CSV or JSON in the format the README's "Weather feed" documents),
// with the conditions advice can follow (霜冻, 暴雨, 高温, 寒潮) as the server derived them.
import '../words.ts';
import '../agri.css';
import { DownOutlined } from '@ant-design/icons';
import { WEATHER_CONDITION_LABELS, WEATHER_CONDITIONS } from '@cunzhi/contracts/agri';
import type { WeatherEntry, WeatherInput } from '@cunzhi/contracts/agri-advice';
import { Button, Form, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { fieldErrorOf } from '../../../lib/field-errors.ts';
import { useWeather, weatherApi } from '../api/desk.ts';
import { todayInChina } from '../farm-input.ts';
import { labelOf } from '../labels.ts';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

type Message = { type: 'success' | 'error'; text: string };
type EntryForm = Omit<WeatherInput, 'regionId'>;

function AddEntry({ regionId, onDone }: { regionId: string | undefined; onDone(m: Message): void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<EntryForm>();
  const [sending, setSending] = useState(false);
  const submit = async (values: EntryForm) => {
    if (!regionId) return;
    setSending(true);
    try {
      const entry = await weatherApi.add({ ...values, regionId });
      onDone({ type: 'success', text: t('agri.weather.saved', { date: entry.date, conditions: entry.conditions.length }) });
      form.resetFields();
    } catch (error) {
      const onField = fieldErrorOf(error, i18n.language);
      if (onField) form.setFields([{ name: onField.field as keyof EntryForm, errors: [onField.message] }]);
      else onDone({ type: 'error', text: (error as Error).message });
    } finally {
      setSending(false);
    }
  };
  return (
    <Form<EntryForm> form={form} layout="inline" initialValues={{ date: todayInChina() }} onFinish={(v) => void submit(v)}>
      <Form.Item name="date" label={t('agri.weather.date')} rules={[{ required: true }]}>
        <input type="date" className="ant-input" aria-label={t('agri.weather.date')} />
      </Form.Item>
      <Form.Item name="minTempC" label={t('agri.weather.min')} rules={[{ required: true }]}>
        <InputNumber min={-60} max={60} controls={false} />
      </Form.Item>
      <Form.Item name="maxTempC" label={t('agri.weather.max')} rules={[{ required: true }]}>
        <InputNumber min={-60} max={60} controls={false} />
      </Form.Item>
      <Form.Item name="rainMm" label={t('agri.weather.rain')} rules={[{ required: true }]}>
        <InputNumber min={0} max={1000} controls={false} />
      </Form.Item>
      <Form.Item name="conditions" label={t('agri.weather.named')}>
        <Select
          mode="multiple"
          allowClear
          aria-label={t('agri.weather.named')}
          suffixIcon={<DownOutlined aria-hidden="true" />}
          style={{ minWidth: 160 }}
          options={WEATHER_CONDITIONS.map((c) => ({ value: c, label: labelOf(WEATHER_CONDITION_LABELS, c, i18n.language) }))}
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={sending} disabled={!regionId}>
          {t('agri.weather.add')}
        </Button>
      </Form.Item>
      {!regionId && <span className="muted">{t('agri.weather.chooseRegionFirst')}</span>}
    </Form>
  );
}

export default function WeatherPage() {
  const { t, i18n } = useTranslation();
  const [regionId, setRegionId] = useState<string>();
  const [message, setMessage] = useState<Message>();
  const today = todayInChina();
  const weather = useWeather({ regionId, from: addDays(today, -30), to: addDays(today, 15) });
  const importFeed = async (file: File) => {
    try {
      const result = await weatherApi.import(file);
      setMessage({ type: 'success', text: t('agri.weather.imported', { count: result.imported, conditions: result.conditions.length }) });
      await weather.refetch();
    } catch (error) {
      setMessage({ type: 'error', text: (error as Error).message });
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('nav.agriWeather')}>
        <Space wrap>
          <div style={{ minWidth: 240 }}>
            <RegionPicker
              allowClear
              value={regionId}
              onChange={setRegionId}
              selectableLevels={['county', 'township']}
              placeholder={t('agri.weather.region')}
            />
          </div>
        </Space>
        {message && (
          <Notice type={message.type} onClose={() => setMessage(undefined)} testId="weather-message">
            {message.text}
          </Notice>
        )}
        <h3>{t('agri.weather.enter')}</h3>
        <AddEntry
          regionId={regionId}
          onDone={(m) => {
            setMessage(m);
            void weather.refetch();
          }}
        />
        <h3>{t('agri.weather.import')}</h3>
        <p className="muted">{t('agri.weather.importHint')}</p>
        <FilePicker
          label={t('agri.weather.import')}
          kind="file"
          accept=".csv,.json,text/csv,application/json"
          resetAfterChoice
          onChoose={([f]) => f && void importFeed(f)}
        />
      </Panel>
      <Panel title={t('agri.weather.days')}>
        {weather.error && <Notice type="error">{(weather.error as Error).message}</Notice>}
        <Table<WeatherEntry>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          loading={weather.isLoading}
          dataSource={[...(weather.data?.items ?? [])].sort((a, b) => (a.date < b.date ? 1 : -1))}
          columns={[
            { title: t('agri.weather.date'), dataIndex: 'date' },
            { title: t('agri.weather.min'), dataIndex: 'minTempC', align: 'right' },
            { title: t('agri.weather.max'), dataIndex: 'maxTempC', align: 'right' },
            { title: t('agri.weather.rain'), dataIndex: 'rainMm', align: 'right' },
            {
              title: t('agri.weather.conditions'),
              key: 'conditions',
              render: (_, row) =>
                row.conditions.map((c) => (
                  <Tag key={c} color="orange">
                    {labelOf(WEATHER_CONDITION_LABELS, c, i18n.language)}
                  </Tag>
                )),
            },
            { title: t('agri.weather.source'), key: 'source', render: (_, row) => t(`agri.weather.sources.${row.source}`) },
          ]}
        />
      </Panel>
    </Space>
  );
}
