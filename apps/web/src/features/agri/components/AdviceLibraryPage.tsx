// 农技建议库 on the extension worker's desk: the rules that decide which advice reaches which
// households (by crop or animal, growth stage, month, solar term and weather), each with its text,
// pictures and the days it holds; today's solar term (computed by the server, never typed in);
// who a rule would reach today; pushing now; and how many households each rule advised per period.
// On a phone (below 768 px) each rule is a card whose text and actions open under it, nothing cut off.
import '../words.ts';
import '../agri.css';
import {
  ADVICE_SUBJECTS,
  CROP_LABELS,
  GROWTH_STAGE_LABELS,
  GROWTH_STAGES,
  SOLAR_TERM_LABELS,
  SOLAR_TERMS,
  SPECIES_LABELS,
  WEATHER_CONDITION_LABELS,
  WEATHER_CONDITIONS,
} from '@cunzhi/contracts/agri';
import type { AdviceRule, AdviceRuleInput } from '@cunzhi/contracts/agri-advice';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { FormModal } from '../../../components/FormModal.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { PhotoRefused, shrinkPhoto } from '../../../lib/shrink-photo.ts';
import { useMediaQuery } from '../../../lib/use-media-query.ts';
import { adviceApi, useAdviceDeliveries, useAdvicePreview, useAdviceRules, useToday } from '../api/desk.ts';
import { AGRI_KEY } from '../api/farm.ts';
import { labelOf } from '../labels.ts';
import { Photos } from './FarmRecords.tsx';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

function useOptions() {
  const { t, i18n } = useTranslation();
  const l = i18n.language;
  const subjectLabel = (s: string) => labelOf({ ...CROP_LABELS, ...SPECIES_LABELS }, s, l);
  return {
    subjectLabel,
    subjects: ADVICE_SUBJECTS.map((s) => ({ value: s, label: subjectLabel(s) })),
    stages: GROWTH_STAGES.map((s) => ({ value: s, label: labelOf(GROWTH_STAGE_LABELS, s, l) })),
    months: MONTHS.map((m) => ({ value: m, label: t('agri.advice.month', { month: m }) })),
    terms: SOLAR_TERMS.map((s) => ({ value: s, label: labelOf(SOLAR_TERM_LABELS, s, l) })),
    weather: WEATHER_CONDITIONS.map((w) => ({ value: w, label: labelOf(WEATHER_CONDITION_LABELS, w, l) })),
  };
}

function RuleForm({ editing, onClose }: { editing: AdviceRule | null; onClose(saved?: string): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const options = useOptions();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const save = async (values: AdviceRuleInput) => {
    setPending(true);
    setError(null);
    try {
      const body = { growthStages: [], months: [], solarTerms: [], weather: [], ...values };
      if (editing) await adviceApi.change(editing.id, body);
      else await adviceApi.create(body);
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
      onClose(values.title);
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };
  return (
    <FormModal<AdviceRuleInput>
      title={editing ? t('agri.advice.editRule') : t('agri.advice.newRule')}
      pending={pending}
      error={error}
      initialValues={editing ?? { validDays: 15, active: true }}
      onClose={() => onClose()}
      onSubmit={(values) => void save(values)}
    >
      <Form.Item name="title" label={t('agri.advice.ruleTitle')} rules={[{ required: true, max: 80 }]}>
        <Input placeholder={t('agri.advice.ruleTitleExample')} />
      </Form.Item>
      <Form.Item name="body" label={t('agri.advice.body')} rules={[{ required: true, max: 4000 }]}>
        <Input.TextArea rows={5} />
      </Form.Item>
      <Form.Item name="subjects" label={t('agri.advice.subjects')} rules={[{ required: true, type: 'array', min: 1 }]}>
        <Select mode="multiple" options={options.subjects} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="growthStages" label={t('agri.advice.stages')} extra={t('agri.advice.anyIfEmpty')}>
        <Select mode="multiple" allowClear options={options.stages} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="months" label={t('agri.advice.months')} extra={t('agri.advice.anyIfEmpty')}>
        <Select mode="multiple" allowClear options={options.months} />
      </Form.Item>
      <Form.Item name="solarTerms" label={t('agri.advice.terms')} extra={t('agri.advice.anyIfEmpty')}>
        <Select mode="multiple" allowClear options={options.terms} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="weather" label={t('agri.advice.weather')} extra={t('agri.advice.weatherHint')}>
        <Select mode="multiple" allowClear options={options.weather} />
      </Form.Item>
      <Form.Item name="validDays" label={t('agri.advice.validDays')} extra={t('agri.advice.validDaysHint')} rules={[{ required: true }]}>
        <InputNumber controls={false} min={1} max={120} precision={0} />
      </Form.Item>
      <Form.Item name="active" label={t('agri.advice.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

/** What a rule would do today: whether it applies and how many households it would reach; push it now. */
function RuleActions({ rule, onMessage }: { rule: AdviceRule; onMessage(m: { type: 'success' | 'error'; text: string }): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [asked, setAsked] = useState(false);
  const preview = useAdvicePreview(asked ? rule.id : undefined);
  const run = async () => {
    try {
      const result = await adviceApi.run({ ruleId: rule.id });
      onMessage({ type: 'success', text: t('agri.advice.ran', { households: result.households, notices: result.notices }) });
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
    } catch (e) {
      onMessage({ type: 'error', text: (e as Error).message });
    }
  };
  const addPicture = async (file: File) => {
    try {
      await adviceApi.addPicture(rule.id, await shrinkPhoto(file));
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
    } catch (e) {
      onMessage({ type: 'error', text: e instanceof PhotoRefused ? t(`agri.photoRefused.${e.problem}`) : (e as Error).message });
    }
  };
  return (
    <Space direction="vertical">
      <Space wrap>
        <Button onClick={() => setAsked(true)}>{t('agri.advice.preview')}</Button>
        <Button type="primary" disabled={!rule.active} onClick={() => void run()}>
          {t('agri.advice.runNow')}
        </Button>
      </Space>
      {!rule.active && <span className="muted">{t('agri.advice.inactiveCannotRun')}</span>}
      {preview.data && (
        <span data-testid="advice-preview">
          {preview.data.appliesToday
            ? t('agri.advice.appliesToday', { count: preview.data.households })
            : t('agri.advice.notToday', { count: preview.data.households })}
        </span>
      )}
      <FilePicker
        label={t('agri.advice.addPicture')}
        kind="photo"
        accept="image/*"
        resetAfterChoice
        onChoose={([f]) => f && void addPicture(f)}
      />
    </Space>
  );
}

/** A rule on a phone: title, whom and when it advises, its state; its text and actions open under it. */
function RuleCard({
  rule,
  onEdit,
  onMessage,
}: {
  rule: AdviceRule;
  onEdit(): void;
  onMessage(m: { type: 'success' | 'error'; text: string }): void;
}) {
  const { t, i18n } = useTranslation();
  const options = useOptions();
  const [open, setOpen] = useState(false);
  const l = i18n.language;
  const when = [
    ...rule.growthStages.map((s) => labelOf(GROWTH_STAGE_LABELS, s, l)),
    ...rule.months.map((m) => t('agri.advice.month', { month: m })),
    ...rule.solarTerms.map((s) => labelOf(SOLAR_TERM_LABELS, s, l)),
    ...rule.weather.map((w) => labelOf(WEATHER_CONDITION_LABELS, w, l)),
  ];
  return (
    <li className="agri-card agri-rule-card" data-testid="advice-rule-card">
      <h3>{rule.title}</h3>
      <p>
        {t('agri.advice.subjects')}：{rule.subjects.map((s) => options.subjectLabel(s)).join('、')}
      </p>
      {when.length > 0 && (
        <p>
          {t('agri.advice.when')}：{when.join('、')}
        </p>
      )}
      <p>
        {t('agri.advice.validDays')}：{rule.validDays} · {rule.regionName} ·{' '}
        {rule.active ? <Tag color="green">{t('agri.advice.on')}</Tag> : <Tag>{t('agri.advice.off')}</Tag>}
      </p>
      <div className="agri-actions">
        <Button
          aria-expanded={open}
          aria-label={t(open ? 'agri.collapse' : 'agri.expand', { title: rule.title })}
          onClick={() => setOpen(!open)}
        >
          {t(open ? 'agri.advice.closeRule' : 'agri.advice.openRule')}
        </Button>
        <Button onClick={onEdit}>{t('common.edit')}</Button>
      </div>
      {open && (
        <div className="agri-rule-open">
          <p className="agri-advice-text">{rule.body}</p>
          <Photos ids={rule.pictureIds} alt={rule.title} />
          <RuleActions rule={rule} onMessage={onMessage} />
        </div>
      )}
    </li>
  );
}

function Deliveries() {
  const { t } = useTranslation();
  const deliveries = useAdviceDeliveries({});
  const rows = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Panel title={t('agri.advice.deliveries')}>
      <Table
        size="small"
        rowKey={(row) => `${row.ruleId}-${row.periodStart}`}
        pagination={false}
        scroll={{ x: true }}
        dataSource={rows}
        columns={[
          { title: t('agri.advice.ruleTitle'), dataIndex: 'title' },
          { title: t('agri.advice.period'), key: 'period', render: (_, row) => `${row.periodStart} ~ ${row.periodEnd}` },
          { title: t('agri.advice.households'), dataIndex: 'households', align: 'right' },
          { title: t('agri.advice.read'), dataIndex: 'read', align: 'right' },
        ]}
      />
      {deliveries.hasNextPage && <Button onClick={() => void deliveries.fetchNextPage()}>{t('common.loadMore')}</Button>}
    </Panel>
  );
}

export default function AdviceLibraryPage() {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const options = useOptions();
  const [subject, setSubject] = useState<string>();
  const rules = useAdviceRules(subject);
  const [editing, setEditing] = useState<AdviceRule | null>();
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  const rows = rules.data?.pages.flatMap((page) => page.items) ?? [];
  const narrow = useMediaQuery('(max-width: 767px)');
  const l = i18n.language;
  const tags = (values: (string | number)[], label: (v: string | number) => string) =>
    values.map((v) => <Tag key={String(v)}>{label(v)}</Tag>);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('nav.agriAdvice')}>
        {today.data && (
          <p data-testid="solar-term">
            {t('agri.advice.today', {
              date: today.data.date,
              term: labelOf(SOLAR_TERM_LABELS, today.data.solarTerm.term, l),
              next: labelOf(SOLAR_TERM_LABELS, today.data.nextSolarTerm.term, l),
              nextDate: today.data.nextSolarTerm.date,
            })}
          </p>
        )}
        <Space wrap>
          <Button type="primary" onClick={() => setEditing(null)}>
            {t('agri.advice.newRule')}
          </Button>
          <Select
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('agri.advice.bySubject')}
            aria-label={t('agri.advice.bySubject')}
            options={options.subjects}
            value={subject}
            onChange={setSubject}
          />
        </Space>
        {message && (
          <Notice type={message.type} onClose={() => setMessage(undefined)}>
            {message.text}
          </Notice>
        )}
        {narrow ? (
          <ul className="agri-cards" data-testid="advice-rule-cards">
            {rows.map((rule) => (
              <RuleCard key={rule.id} rule={rule} onEdit={() => setEditing(rule)} onMessage={setMessage} />
            ))}
          </ul>
        ) : (
          <Table<AdviceRule>
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: true }}
            loading={rules.isLoading}
            dataSource={rows}
            expandable={{
              // A full-size target with a Chinese name (antd's own is a 17 px square named in English).
              expandIcon: ({ expanded, onExpand, record }) => (
                <Button
                  className="agri-expand"
                  aria-expanded={expanded}
                  aria-label={t(expanded ? 'agri.collapse' : 'agri.expand', { title: record.title })}
                  onClick={(e) => onExpand(record, e)}
                >
                  <span aria-hidden="true">{expanded ? '−' : '+'}</span>
                </Button>
              ),
              expandedRowRender: (rule) => (
                <div>
                  <p className="agri-advice-text">{rule.body}</p>
                  <Photos ids={rule.pictureIds} alt={rule.title} />
                  <RuleActions rule={rule} onMessage={setMessage} />
                </div>
              ),
            }}
            columns={[
              { title: t('agri.advice.ruleTitle'), dataIndex: 'title' },
              {
                title: t('agri.advice.subjects'),
                key: 'subjects',
                render: (_, r) => tags(r.subjects, (s) => options.subjectLabel(String(s))),
              },
              {
                title: t('agri.advice.when'),
                key: 'when',
                render: (_, r) => (
                  <>
                    {tags(r.growthStages, (s) => labelOf(GROWTH_STAGE_LABELS, String(s), l))}
                    {tags(r.months, (m) => t('agri.advice.month', { month: m }))}
                    {tags(r.solarTerms, (s) => labelOf(SOLAR_TERM_LABELS, String(s), l))}
                    {tags(r.weather, (w) => labelOf(WEATHER_CONDITION_LABELS, String(w), l))}
                  </>
                ),
              },
              { title: t('agri.advice.validDays'), dataIndex: 'validDays', align: 'right' },
              { title: t('agri.advice.place'), dataIndex: 'regionName' },
              {
                title: t('agri.advice.active'),
                key: 'active',
                render: (_, r) => (r.active ? <Tag color="green">{t('agri.advice.on')}</Tag> : <Tag>{t('agri.advice.off')}</Tag>),
              },
              { title: '', key: 'edit', render: (_, r) => <Button onClick={() => setEditing(r)}>{t('common.edit')}</Button> },
            ]}
          />
        )}
        {rules.hasNextPage && <Button onClick={() => void rules.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Panel>
      <Deliveries />
      {editing !== undefined && (
        <RuleForm
          editing={editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) setMessage({ type: 'success', text: t('agri.advice.saved', { title: saved }) });
          }}
        />
      )}
    </Space>
  );
}
