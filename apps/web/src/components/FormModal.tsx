// A form in a modal, as every create and edit dialog uses it: save submits the form, errors from
// the server show inside, and the form is rebuilt each time it opens.
import { Alert, Form, type FormInstance, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function FormModal<T>(props: {
  title: string;
  open?: boolean;
  pending: boolean;
  error: Error | null;
  initialValues?: Partial<T>;
  onSubmit(values: T): void;
  onClose(): void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm() as [FormInstance<T>];
  return (
    <Modal
      open={props.open ?? true}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={props.pending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={props.initialValues} onFinish={props.onSubmit}>
        {props.children}
        {props.error && <Alert type="error" showIcon message={props.error.message} />}
      </Form>
    </Modal>
  );
}
