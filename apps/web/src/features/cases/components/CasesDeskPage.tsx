// The desk view of cases: my queue, my region's cases by deadline, exposure-board reports waiting
// for moderation, and the appeals centre's intake of calls and walk-ins.
import '../words.ts';
import type { Case, CaseInput } from '@cunzhi/contracts/cases';
import { Button, Form, Input, Segmented, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { FormModal } from '../../../components/FormModal.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useCategories, useCreateCase, usePendingModeration, useQueue } from '../api/cases.ts';
import { StateTag } from './case-bits.tsx';

type View = 'mine' | 'region' | 'moderation';

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
      <Form.Item name="reporterPhone" label={t('cases.intake.reporterPhone')} rules={[{ pattern: /^[0-9+\-() ]{5,20}$/ }]}>
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

const toItem = (c: Case, t: (key: string) => string) => ({
  key: c.id,
  title: <Link to={`/cases/${c.id}`}>{c.title}</Link>,
  description: (
    <span>
      {c.number} · {c.categoryName} · {c.regionName} · {t('cases.deadline')} {formatTime(c.deadlineAt)}{' '}
      {c.overdue && <Tag color="red">{t('cases.overdue')}</Tag>}
    </span>
  ),
  extra: <StateTag state={c.state} />,
});

export default function CasesDeskPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const supervises = can(session, 'cases.supervise');
  const [view, setView] = useState<View>('mine');
  const [intake, setIntake] = useState(false);
  const queue = useQueue(view === 'moderation' ? 'mine' : view);
  const pending = usePendingModeration(view === 'moderation');
  const items = view === 'moderation' ? (pending.data?.items ?? []) : (queue.data?.pages.flatMap((p) => p.items) ?? []);
  const views: View[] = supervises ? ['mine', 'region', 'moderation'] : ['mine', 'region'];
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
        <Segmented<View> value={view} onChange={setView} options={views.map((v) => ({ value: v, label: t(`cases.queue.${v}`) }))} />
        <ItemList loading={queue.isLoading || pending.isLoading} empty={t('cases.empty')} items={items.map((c) => toItem(c, t))} />
        {view !== 'moderation' && queue.hasNextPage && <Button onClick={() => void queue.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Space>
      {intake && <IntakeForm onClose={() => setIntake(false)} />}
    </Panel>
  );
}
