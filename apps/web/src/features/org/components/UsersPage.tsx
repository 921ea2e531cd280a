import type { User } from '@cunzhi/contracts/org';
import { ROLE_LABELS, ROLES } from '@cunzhi/contracts/roles';
import { Alert, Button, Card, Form, Input, List, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAssignRole, useCreateUser, useRemoveRole, useUsers, useUserTransition } from '../api/users.ts';
import { RegionPicker } from './RegionPicker.tsx';

function NewUserModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const create = useCreateUser();
  return (
    <Modal
      open={open}
      title={t('user.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values, { onSuccess: onClose })}>
        <Form.Item name="displayName" label={t('user.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('user.phone')} rules={[{ required: true, pattern: /^1[3-9]\d{9}$/ }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item name="password" label={t('user.password')} rules={[{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {create.error && <Alert type="error" showIcon message={create.error.message} />}
      </Form>
    </Modal>
  );
}

function AssignRoleModal({ user, onClose }: { user: User; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const assign = useAssignRole();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <Modal
      open
      title={`${t('user.assign')} · ${user.displayName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={assign.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => assign.mutate({ userId: user.id, ...values }, { onSuccess: onClose })}>
        <Form.Item name="role" label={t('user.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r][language] }))} />
        </Form.Item>
        <Form.Item name="regionId" label={t('user.region')} rules={[{ required: true }]}>
          <RegionPicker />
        </Form.Item>
        {assign.error && <Alert type="error" showIcon message={assign.error.message} />}
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<User>();
  const users = useUsers(q);
  const transition = useUserTransition();
  const removeRole = useRemoveRole();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      title={t('nav.users')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('user.new')}
        </Button>
      }
    >
      <Input.Search allowClear onSearch={setQ} placeholder={`${t('user.displayName')} / ${t('user.phone')}`} style={{ marginBottom: 16 }} />
      {(transition.error ?? removeRole.error) && <Alert type="error" showIcon message={(transition.error ?? removeRole.error)?.message} />}
      <List
        loading={users.isLoading}
        dataSource={items}
        renderItem={(u) => (
          <List.Item
            key={u.id}
            actions={[
              <Button key="a" size="small" onClick={() => setAssigning(u)}>
                {t('user.assign')}
              </Button>,
              <Button
                key="d"
                size="small"
                danger={!u.disabled}
                onClick={() => transition.mutate({ userId: u.id, action: u.disabled ? 'enable' : 'disable' })}
              >
                {u.disabled ? t('user.enable') : t('user.disable')}
              </Button>,
              ...(u.lockedUntil
                ? [
                    <Button key="u" size="small" onClick={() => transition.mutate({ userId: u.id, action: 'unlock' })}>
                      {t('user.unlock')}
                    </Button>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              title={
                <Space>
                  {u.displayName}
                  <span>{u.phone}</span>
                  {u.disabled && <Tag color="red">{t('user.disabled')}</Tag>}
                  {u.lockedUntil && <Tag color="orange">{t('user.locked')}</Tag>}
                </Space>
              }
              description={u.assignments.map((a) => (
                <Tag
                  key={a.id}
                  closable
                  onClose={(e) => {
                    e.preventDefault();
                    removeRole.mutate({ userId: u.id, assignmentId: a.id });
                  }}
                >
                  {`${ROLE_LABELS[a.role][language]} · ${a.regionName}`}
                </Tag>
              ))}
            />
          </List.Item>
        )}
      />
      {users.hasNextPage && (
        <Button block onClick={() => users.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
      <NewUserModal open={creating} onClose={() => setCreating(false)} />
      {assigning && <AssignRoleModal user={assigning} onClose={() => setAssigning(undefined)} />}
    </Card>
  );
}
