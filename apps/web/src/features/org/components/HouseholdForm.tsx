import type { Household } from '@cunzhi/contracts/org';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSaveHousehold } from '../api/households.ts';
import { RegionPicker } from './RegionPicker.tsx';

export function HouseholdForm({ household, open, onClose }: { household?: Household; open: boolean; onClose(saved?: Household): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const save = useSaveHousehold(household?.id);
  return (
    <Modal
      open={open}
      title={household ? t('common.edit') : t('household.new')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={household ?? {}}
        onFinish={(values) => save.mutate(values, { onSuccess: (saved) => onClose(saved) })}
      >
        <Form.Item name="headName" label={t('household.headName')} rules={[{ required: true, max: 40 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="regionId" label={t('household.region')} rules={[{ required: true }]}>
          <RegionPicker selectableLevels={['village', 'villagerGroup']} placeholder={t('household.chooseRegion')} />
        </Form.Item>
        <Form.Item name="number" label={t('household.number')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="address" label={t('household.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('household.phone')}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        {save.error && <Alert type="error" showIcon message={save.error.message} />}
      </Form>
    </Modal>
  );
}
