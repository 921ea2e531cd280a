// The county admin's settings for cases: categories (where each routes and its deadline in working
// hours) and the working calendar that deadlines count (hours, weekdays, holidays, make-up days).
import '../words.ts';
import type { CaseCategory, CategoryInput, Department as DepartmentSchema, WorkCalendar } from '@cunzhi/contracts/cases';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Select, Space, Table, TimePicker } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import { FormModal } from '../../../components/FormModal.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useCaseConfig, useSaveCalendar, useSaveCategory } from '../api/case-config.ts';

type Department = Static<typeof DepartmentSchema>;

function CategoryForm({ editing, departments, onClose }: { editing: CaseCategory | null; departments: Department[]; onClose(): void }) {
  const { t } = useTranslation();
  const save = useSaveCategory(editing, onClose);
  const [routeTo, setRouteTo] = useState(editing?.routeTo ?? 'grid');
  return (
    <FormModal<CategoryInput>
      title={t('cases.config.category')}
      pending={save.isPending}
      error={save.error}
      initialValues={editing ?? { routeTo: 'grid', deadlineHours: 24 }}
      onClose={onClose}
      onSubmit={(values) =>
        save.mutate({
          ...values,
          nameEn: values.nameEn || null,
          departmentId: values.routeTo === 'department' ? values.departmentId : null,
        })
      }
    >
      <Form.Item name="code" label={t('cases.config.code')} rules={[{ required: true, pattern: /^[a-z0-9-]+$/ }]}>
        <Input />
      </Form.Item>
      <Form.Item name="name" label={t('cases.config.name')} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('cases.config.nameEn')}>
        <Input />
      </Form.Item>
      <Form.Item name="routeTo" label={t('cases.config.routeTo')} rules={[{ required: true }]}>
        <Select
          onChange={setRouteTo}
          options={[
            { value: 'grid', label: t('cases.config.toGrid') },
            { value: 'department', label: t('cases.config.toDepartment') },
          ]}
        />
      </Form.Item>
      {routeTo === 'department' && (
        <Form.Item name="departmentId" label={t('cases.config.department')} rules={[{ required: true }]}>
          <Select options={departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
      )}
      <Form.Item name="deadlineHours" label={t('cases.config.deadlineHours')} rules={[{ required: true }]}>
        <InputNumber controls={false} min={1} max={2000} precision={0} />
      </Form.Item>
    </FormModal>
  );
}

function CalendarForm({ calendar }: { calendar: WorkCalendar }) {
  const { t } = useTranslation();
  const save = useSaveCalendar();
  const minutes = (m: number) => dayjs().startOf('day').add(m, 'minute');
  const lines = (text: string) =>
    text
      .split(/[\s,，]+/)
      .map((d) => d.trim())
      .filter(Boolean);
  return (
    <Form
      layout="vertical"
      initialValues={{
        hours: [minutes(calendar.dayStartMinute), minutes(calendar.dayEndMinute)],
        weekdays: calendar.weekdays,
        holidays: calendar.holidays.join('\n'),
        extraWorkdays: calendar.extraWorkdays.join('\n'),
      }}
      onFinish={(values: { hours: [dayjs.Dayjs, dayjs.Dayjs]; weekdays: number[]; holidays: string; extraWorkdays: string }) =>
        save.mutate({
          dayStartMinute: values.hours[0].hour() * 60 + values.hours[0].minute(),
          dayEndMinute: values.hours[1].hour() * 60 + values.hours[1].minute(),
          weekdays: values.weekdays,
          holidays: lines(values.holidays),
          extraWorkdays: lines(values.extraWorkdays),
        })
      }
    >
      <Form.Item name="hours" label={t('cases.config.hours')}>
        <TimePicker.RangePicker format="HH:mm" minuteStep={15} />
      </Form.Item>
      <Form.Item name="weekdays" label={t('cases.config.weekdays')}>
        <Checkbox.Group options={[1, 2, 3, 4, 5, 6, 0].map((d) => ({ value: d, label: t(`cases.config.day${d}`) }))} />
      </Form.Item>
      <Form.Item name="holidays" label={t('cases.config.holidays')}>
        <Input.TextArea rows={3} placeholder="2026-10-01" />
      </Form.Item>
      <Form.Item name="extraWorkdays" label={t('cases.config.extraWorkdays')}>
        <Input.TextArea rows={2} placeholder="2026-10-11" />
      </Form.Item>
      {save.error && <Alert type="error" showIcon message={save.error.message} />}
      {save.isSuccess && <Alert type="success" showIcon message={t('common.saved')} />}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

export default function CasesConfigPage() {
  const { t } = useTranslation();
  const { categories, departments, calendar } = useCaseConfig();
  const [editing, setEditing] = useState<CaseCategory | null | undefined>();
  const departmentName = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel
        title={t('cases.config.categories')}
        extra={
          <Button type="primary" onClick={() => setEditing(null)}>
            {t('common.create')}
          </Button>
        }
      >
        <Table<CaseCategory>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={categories.data?.items ?? []}
          columns={[
            { title: t('cases.config.name'), dataIndex: 'name' },
            { title: t('cases.config.code'), dataIndex: 'code' },
            {
              title: t('cases.config.routeTo'),
              key: 'route',
              render: (_: unknown, c) =>
                c.routeTo === 'grid'
                  ? t('cases.config.toGrid')
                  : (departmentName.get(c.departmentId ?? '') ?? t('cases.config.toDepartment')),
            },
            { title: t('cases.config.deadlineHours'), dataIndex: 'deadlineHours', align: 'right' },
            {
              title: '',
              key: 'edit',
              render: (_: unknown, c) => (
                <Button size="small" onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Panel>
      <Panel title={t('cases.config.calendar')}>{calendar.data && <CalendarForm calendar={calendar.data} />}</Panel>
      {editing !== undefined && (
        <CategoryForm editing={editing} departments={departments.data?.items ?? []} onClose={() => setEditing(undefined)} />
      )}
    </Space>
  );
}
