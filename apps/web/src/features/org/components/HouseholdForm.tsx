import { type Household, HouseholdInput } from '@cunzhi/contracts/org';
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/FormModal.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { useSaveHousehold } from '../api/households.ts';

export function HouseholdForm({ household, onClose }: { household?: Household; onClose(saved?: Household): void }) {
  const { t } = useTranslation();
  const save = useSaveHousehold(household?.id);
  return (
    <FormModal<HouseholdInput>
      title={household ? t('common.edit') : t('household.new')}
      pending={save.isPending}
      error={save.error}
      initialValues={household ?? {}}
      editing={Boolean(household)}
      contract={HouseholdInput}
      onSubmit={(values) => save.mutate(values, { onSuccess: (saved) => onClose(saved) })}
      onClose={() => onClose()}
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
    </FormModal>
  );
}
