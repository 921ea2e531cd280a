// The desk view of cases: my queue, my region's cases by deadline, exposure-board reports waiting
// for moderation, and the appeals centre's intake of calls and walk-ins. The queues can be searched
// by words and narrowed by state, category, village or group and date (done by the server; a
// narrowed list is newest first).
import '../words.ts';
import { CASE_STATES, type CaseInput, type CaseSummary } from '@cunzhi/contracts/cases';
import { Button, DatePicker, Flex, Form, Input, Segmented, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { FormModal } from '../../../components/FormModal.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { type QueueFilters, useCategories, useCreateCase, usePendingModeration, useQueue } from '../api/cases.ts';
import { StateTag } from './case-bits.tsx';

type View = 'mine' | 'region' | 'moderation';

// The tab the person chose last in this browser tab: coming back from a case opens it again.
const VIEW_KEY = 'cunzhi.casesView';
const rememberedView = (views: View[]): View | undefined => {
  const stored = sessionStorage.getItem(VIEW_KEY) as View | null;
  return stored && views.includes(stored) ? stored : undefined;
};

/**
 * The tab to open on when none was chosen: the first with work in it, never an empty 我的待办 while
 * the region or the moderation queue has items; undefined while the first pages load.
 */
function useFirstViewWithWork(views: View[], deciding: boolean): View | undefined {
  const mine = useQueue('mine', {}, { enabled: deciding });
  const region = useQueue('region', {}, { enabled: deciding });
  const supervises = views.includes('moderation');
  const moderation = usePendingModeration(deciding && supervises);
  if (!deciding || mine.isLoading || region.isLoading || moderation.isLoading) return undefined;
  const counts: Record<View, number> = {
    mine: mine.data?.pages[0]?.items.length ?? 0,
    region: region.data?.pages[0]?.items.length ?? 0,
    moderation: moderation.data?.items.length ?? 0,
  };
  return views.find((v) => counts[v] > 0) ?? 'mine';
}

function IntakeForm({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const create = useCreateCase();
  const navigate = useNavigate();
  return (
    <FormModal<CaseInput>
      title={t('cases.intake.title')}
      pending={create.isPending}
      error={create.error}
      initialValues={{ channel: 'phone' }}
      onClose={onClose}
      onSubmit={(values) => create.mutate({ ...values, source: 'appeal' }, { onSuccess: (created) => navigate(`/cases/${created.id}`) })}
    >
      <Form.Item name="channel" label={t('cases.intake.channel')} rules={[{ required: true }]}>
        <Select options={(['phone', 'walkIn'] as const).map((c) => ({ value: c, label: t(`cases.channels.${c}`) }))} />
      </Form.Item>
      <Form.Item name="reporterName" label={t('cases.intake.reporterName')}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        name="reporterPhone"
        label={t('cases.intake.reporterPhone')}
        rules={[{ pattern: /^(?=(?:[^0-9]*[0-9]){5})[0-9+\-() ]{5,20}$/ }]}
      >
        <Input inputMode="tel" />
      </Form.Item>
      <Form.Item name="categoryId" label={t('cases.category')} rules={[{ required: true }]}>
        <Select options={categories.data?.items.map((c) => ({ value: c.id, label: c.name }))} />
      </Form.Item>
      <Form.Item name="regionId" label={t('cases.intake.region')} rules={[{ required: true }]}>
        <RegionPicker selectableLevels={['village', 'villagerGroup']} />
      </Form.Item>
      <Form.Item name="title" label={t('cases.intake.titleField')} rules={[{ required: true, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('cases.intake.description')} rules={[{ required: true, max: 4000 }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
    </FormModal>
  );
}

/** A row of a queue; the moderation queue's whole cases show the same fields. */
const toItem = (c: CaseSummary, t: (key: string) => string) => ({
  key: c.id,
  title: <Link to={`/cases/${c.id}`}>{c.title}</Link>,
  description: (
    <span>
      {c.number} · {c.categoryName} · {c.regionName} · {c.handlerName ?? t('cases.noHandler')} · {t('cases.deadline')}{' '}
      {formatTime(c.deadlineAt)} {c.overdue && <Tag color="red">{t('cases.overdue')}</Tag>}
    </span>
  ),
  extra: <StateTag state={c.state} />,
});

/** Words are sent once the person stops typing, not at every key. */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Filters({ value, onChange }: { value: QueueFilters; onChange(next: QueueFilters): void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const [text, setText] = useState(value.q ?? '');
  const settledText = useSettled(text.trim());
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the settled words start a search
  useEffect(() => {
    if ((value.q ?? '') !== settledText) onChange({ ...value, q: settledText || undefined });
  }, [settledText]);
  const filtered = Object.values(value).some((v) => v !== undefined);
  return (
    <Flex wrap gap="small" role="search">
      <Input.Search
        aria-label={t('cases.search.text')}
        placeholder={t('cases.search.hint')}
        maxLength={40}
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={(words) => onChange({ ...value, q: words.trim() || undefined })}
        style={{ flex: '2 1 220px' }}
      />
      <Select
        aria-label={t('cases.search.state')}
        placeholder={t('cases.search.state')}
        allowClear
        value={value.state}
        onChange={(state?: string) => onChange({ ...value, state })}
        options={CASE_STATES.map((state) => ({ value: state, label: t(`cases.states.${state}`) }))}
        style={{ flex: '1 1 140px' }}
      />
      <Select
        aria-label={t('cases.search.category')}
        placeholder={t('cases.search.category')}
        allowClear
        value={value.categoryId}
        onChange={(categoryId?: string) => onChange({ ...value, categoryId })}
        options={categories.data?.items.map((c) => ({ value: c.id, label: c.name }))}
        style={{ flex: '1 1 140px' }}
      />
      <div style={{ flex: '1 1 180px' }}>
        <RegionPicker
          placeholder={t('cases.search.region')}
          allowClear
          value={value.regionId}
          onChange={(regionId) => onChange({ ...value, regionId })}
        />
      </div>
      <DatePicker.RangePicker
        aria-label={t('cases.search.dates')}
        value={value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null}
        onChange={(range) => {
          const [from, to] = (range ?? []) as (Dayjs | null)[];
          onChange({ ...value, from: from?.startOf('day').toISOString(), to: to?.endOf('day').toISOString() });
        }}
      />
      {filtered && (
        <Button
          onClick={() => {
            setText('');
            onChange({});
          }}
        >
          {t('cases.search.clear')}
        </Button>
      )}
    </Flex>
  );
}

export default function CasesDeskPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const supervises = can(session, 'cases.supervise');
  const views: View[] = supervises ? ['mine', 'region', 'moderation'] : ['mine', 'region'];
  const [chosen, setChosen] = useState<View | undefined>(() => rememberedView(views));
  const firstWithWork = useFirstViewWithWork(views, chosen === undefined);
  // Once found, the tab stays put: a case arriving later does not switch it under the reader.
  useEffect(() => {
    if (firstWithWork) setChosen((current) => current ?? firstWithWork);
  }, [firstWithWork]);
  const choose = (next: View) => {
    sessionStorage.setItem(VIEW_KEY, next);
    setChosen(next);
  };
  const deciding = chosen === undefined;
  const view = chosen ?? 'mine';
  const [intake, setIntake] = useState(false);
  const [filters, setFilters] = useState<QueueFilters>({});
  const queue = useQueue(view === 'moderation' ? 'mine' : view, filters, { enabled: !deciding });
  const pending = usePendingModeration(view === 'moderation');
  const items = deciding ? [] : view === 'moderation' ? (pending.data?.items ?? []) : (queue.data?.pages.flatMap((p) => p.items) ?? []);
  return (
    <Panel
      title={t('cases.nav.desk')}
      extra={
        supervises && (
          <Button type="primary" onClick={() => setIntake(true)}>
            {t('cases.intake.title')}
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {/* Large: each tab is 52 px tall (the default's 44 is under a 48 px tap target). */}
        <Segmented<View>
          size="large"
          value={view}
          onChange={choose}
          options={views.map((v) => ({ value: v, label: t(`cases.queue.${v}`) }))}
        />
        {view !== 'moderation' && <Filters value={filters} onChange={setFilters} />}
        <ItemList
          loading={deciding || queue.isLoading || pending.isLoading}
          empty={t('cases.empty')}
          items={items.map((c) => toItem(c, t))}
        />
        {view !== 'moderation' && queue.hasNextPage && <Button onClick={() => void queue.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Space>
      {intake && <IntakeForm onClose={() => setIntake(false)} />}
    </Panel>
  );
}
