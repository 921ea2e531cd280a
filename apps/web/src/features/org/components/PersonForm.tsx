import { idNumberProblem } from '@cunzhi/contracts/id-number';
import { type Person, PersonInput, RELATIONS } from '@cunzhi/contracts/org';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/FormModal.tsx';
import { useSavePerson } from '../api/people.ts';

const PROBLEM_TEXT = {
  format: { 'zh-CN': '身份证号应为18位（末位可为X）', en: 'An ID number has 18 characters (the last may be X)' },
  birth_date: { 'zh-CN': '身份证号中的出生日期无效', en: 'The birth date inside the number is not a real date' },
  check_digit: { 'zh-CN': '身份证号校验位不正确，请核对号码', en: 'The number fails its check digit; please check it' },
};

export function PersonForm(props: { householdId: string; person?: Person; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const save = useSavePerson(props.person?.id);
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <FormModal<PersonInput>
      title={props.person ? t('common.edit') : t('person.new')}
      pending={save.isPending}
      error={save.error}
      editing={Boolean(props.person)}
      contract={PersonInput}
      // The stored number is never sent back: typing a new one replaces it, leaving it empty keeps it.
      initialValues={
        props.person
          ? { ...props.person, relation: props.person.relation as PersonInput['relation'], idNumber: undefined }
          : { relation: 'child' }
      }
      onSubmit={(values) => {
        // A cleared ID number box keeps the stored number (it was never shown): never null here.
        const body: Partial<PersonInput> = { ...values, idNumber: values.idNumber || undefined };
        if (!props.person) body.householdId = props.householdId;
        save.mutate(body, { onSuccess: props.onClose });
      }}
      onClose={props.onClose}
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
    </FormModal>
  );
}
