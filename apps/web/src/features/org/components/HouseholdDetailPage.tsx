import type { Person } from '@cunzhi/contracts/org';
import { Alert, Button, Descriptions, Popconfirm, Space } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useHousehold } from '../../../lib/households.ts';
import { usePeople } from '../../../lib/people.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useDeleteHousehold } from '../api/households.ts';
import { revealIdNumber, useDeletePerson } from '../api/people.ts';

const HouseholdForm = lazy(() => import('./HouseholdForm.tsx').then((m) => ({ default: m.HouseholdForm })));
const PersonForm = lazy(() => import('./PersonForm.tsx').then((m) => ({ default: m.PersonForm })));

function IdNumber({ person, mayReveal }: { person: Person; mayReveal: boolean }) {
  const { t } = useTranslation();
  const [full, setFull] = useState<string>();
  const [error, setError] = useState<string>();
  if (!person.idNumberMasked) return null;
  return (
    <Space size={4} wrap>
      <span className="id-number" data-testid="id-number">
        {full ?? person.idNumberMasked}
      </span>
      {mayReveal && !full && (
        <Button
          size="small"
          type="link"
          title={t('person.revealNote')}
          onClick={() => revealIdNumber(person.id).then(setFull, (e: Error) => setError(e.message))}
        >
          {t('person.reveal')}
        </Button>
      )}
      {error && <span className="error-text">{error}</span>}
    </Space>
  );
}

export default function HouseholdDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const household = useHousehold(id);
  const members = usePeople({ householdId: id }, Boolean(id));
  const remove = useDeleteHousehold();
  const removePerson = useDeletePerson();
  const [editing, setEditing] = useState(false);
  const [personForm, setPersonForm] = useState<{ person?: Person } | null>(null);
  const mayWrite = can(session, 'org.write');

  if (household.error) return <Alert type="warning" showIcon message={household.error.message} />;
  const h = household.data;
  const people = members.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel
        title={h ? h.headName : '…'}
        extra={
          mayWrite && h ? (
            <Space>
              <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
              <Popconfirm
                title={t('common.confirmDelete')}
                onConfirm={() => remove.mutate(h.id, { onSuccess: () => navigate('/households') })}
              >
                <Button danger>{t('common.delete')}</Button>
              </Popconfirm>
            </Space>
          ) : null
        }
      >
        {h && (
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('household.number')}>{h.number}</Descriptions.Item>
            <Descriptions.Item label={t('household.region')}>{h.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('household.address')}>{h.address}</Descriptions.Item>
            <Descriptions.Item label={t('household.phone')}>{h.phone}</Descriptions.Item>
          </Descriptions>
        )}
        {(remove.error ?? removePerson.error) && <Alert type="error" showIcon message={(remove.error ?? removePerson.error)?.message} />}
      </Panel>
      <Panel title={t('household.members')} extra={mayWrite && <Button onClick={() => setPersonForm({})}>{t('person.new')}</Button>}>
        <ItemList
          loading={members.isLoading}
          empty={t('common.noData')}
          items={people.map((p) => ({
            key: p.id,
            title: (
              <Space>
                {p.name}
                {p.relation && <span className="muted">{t(`person.relations.${p.relation}`)}</span>}
              </Space>
            ),
            description: (
              <Space direction="vertical" size={0}>
                <IdNumber person={p} mayReveal={can(session, 'org.readIdNumber')} />
                {p.birthDate && <span>{`${t('person.birthDate')}: ${p.birthDate}`}</span>}
                {p.phone && <span>{`${t('person.phone')}: ${p.phone}`}</span>}
              </Space>
            ),
            extra: mayWrite && (
              <Space size={0} direction="vertical">
                <Button type="link" onClick={() => setPersonForm({ person: p })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => removePerson.mutate(p.id)}>
                  <Button type="link" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          }))}
        />
      </Panel>
      <Suspense fallback={null}>
        {h && editing && <HouseholdForm household={h} onClose={() => setEditing(false)} />}
        {id && personForm && <PersonForm householdId={id} person={personForm.person} onClose={() => setPersonForm(null)} />}
      </Suspense>
    </Space>
  );
}
