import { idNumberProblem } from '@cunzhi/contracts/id-number';
import { type Person, RELATIONS } from '@cunzhi/contracts/org';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSavePerson } from '../api/people.ts';

const PROBLEM_TEXT = {
  format: { 'zh-CN': '身份证号应为18位（末位可为X）', en: 'An ID number has 18 characters (the last may be X)' },
  birth_date: { 'zh-CN': '身份证号中的出生日期无效', en: 'The birth date inside the number is not a real date' },
  check_digit: { 'zh-CN': '身份证号校验位不正确，请核对号码', en: 'The number fails its check digit; please check it' },
};

export function PersonForm(props: { householdId: string; person?: Person; open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const save = useSavePerson(props.person?.id);
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <Modal
      open={props.open}
      title={props.person ? t('common.edit') : t('person.new')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={props.person ? { ...props.person, idNumber: undefined } : { relation: 'child' }}
        onFinish={(values) => {
          const body = { ...values, idNumber: values.idNumber || undefined };
          if (!props.person) body.householdId = props.householdId;
          save.mutate(body, { onSuccess: props.onClose });
        }}
      >
        <Form.Item name="name" label={t('person.name')} rules={[{ required: true, max: 40 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="relation" label={t('person.relation')}>
          <Select options={RELATIONS.map((r) => ({ value: r, label: t(`person.relations.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('person.idNumber')}
          extra={props.person?.idNumberMasked ?? undefined}
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                const problem = value ? idNumberProblem(value) : null;
                if (problem) throw new Error(PROBLEM_TEXT[problem][language]);
              },
            },
          ]}
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('person.phone')}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        {save.error && <Alert type="error" showIcon message={save.error.message} />}
      </Form>
    </Modal>
  );
}
