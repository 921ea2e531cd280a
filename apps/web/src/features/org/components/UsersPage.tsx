import type { RoleAssignmentInput, User, UserInput } from '@cunzhi/contracts/org';
import { isDutyRole, ROLE_LABELS, ROLES } from '@cunzhi/contracts/roles';
import { Alert, Button, Card, Form, Input, List, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/FormModal.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { useAssignRole, useCreateUser, useRemoveRole, useUsers, useUserTransition } from '../api/users.ts';

function NewUserModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  return (
    <FormModal<UserInput>
      title={t('user.new')}
      pending={create.isPending}
      error={create.error}
      onSubmit={(values) => create.mutate(values, { onSuccess: onClose })}
      onClose={onClose}
    >
      <Form.Item name="displayName" label={t('user.displayName')} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="phone" label={t('user.phone')} rules={[{ required: true, pattern: /^1[3-9]\d{9}$/ }]}>
        <Input inputMode="tel" maxLength={11} />
      </Form.Item>
      <Form.Item name="password" label={t('user.password')} rules={[{ required: true, min: 8 }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

function AssignRoleModal({ user, onClose }: { user: User; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const assign = useAssignRole();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <FormModal<RoleAssignmentInput>
      title={`${t('user.assign')} · ${user.displayName}`}
      pending={assign.isPending}
      error={assign.error}
      onSubmit={(values) => assign.mutate({ userId: user.id, ...values }, { onSuccess: onClose })}
      onClose={onClose}
    >
      <Form.Item name="role" label={t('user.role')} rules={[{ required: true }]}>
        {/* The three separated duties are appointed from the command line only (README, Separation of duties). */}
        <Select options={ROLES.filter((r) => !isDutyRole(r)).map((r) => ({ value: r, label: ROLE_LABELS[r][language] }))} />
      </Form.Item>
      <Form.Item name="regionId" label={t('user.region')} rules={[{ required: true }]}>
        <RegionPicker />
      </Form.Item>
    </FormModal>
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
      {creating && <NewUserModal onClose={() => setCreating(false)} />}
      {assigning && <AssignRoleModal user={assigning} onClose={() => setAssigning(undefined)} />}
    </Card>
  );
}
