// A form in a modal, as every create and edit dialog uses it: save submits the form, errors from
// the server show inside (on the field they name when it is on the form), and the form is rebuilt
// each time it opens. A field typed in and cleared means "no value" (lib/form-values.ts). Back (the
// phone's button) closes it as cancel does.
import { Alert, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldError } from '../lib/field-errors.ts';
import { bodyOfForm, type ContractShape } from '../lib/form-values.ts';
import { useBackCloses } from './SideDrawer.tsx';

export function FormModal<T>(props: {
  title: string;
  open?: boolean;
  pending: boolean;
  error: Error | null;
  initialValues?: Partial<T>;
  /** An edit (PATCH): a cleared field the contract lets be null is sent as null. */
  editing?: boolean;
  /** The request's contract schema, to tell which fields take null. */
  contract?: ContractShape;
  onSubmit(values: T): void;
  onClose(): void;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm() as [FormInstance<T>];
  const [onField, setOnField] = useState(false);
  // The phone's back button closes the dialog, and the page under it stays.
  useBackCloses(props.open ?? true, props.onClose);
  useEffect(() => {
    setOnField(props.error ? showFieldError(form, props.error, i18n.language) : false);
  }, [props.error, form, i18n.language]);
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
      <Form
        form={form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={(values) =>
          props.onSubmit(bodyOfForm(values as T & object, { editing: props.editing ?? false, contract: props.contract }))
        }
      >
        {props.children}
        {props.error && !onField && <Alert type="error" showIcon message={props.error.message} />}
      </Form>
    </Modal>
  );
}
