import type { Person } from '@cunzhi/contracts/org';
import { Alert, Button, Space } from 'antd';
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
              <DeleteButton onConfirm={() => remove.mutate(h.id, { onSuccess: () => navigate('/households') })} />
            </Space>
          ) : null
        }
      >
        {h && (
          <dl className="facts">
            <dt>{t('household.number')}</dt>
            <dd>{h.number}</dd>
            <dt>{t('household.region')}</dt>
            <dd>{h.regionName}</dd>
            <dt>{t('household.address')}</dt>
            <dd>{h.address}</dd>
            <dt>{t('household.phone')}</dt>
            <dd>{h.phone}</dd>
          </dl>
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
                {/* The birth date comes only to roles that may reveal the ID number; the others get the age. */}
                {p.birthDate ? (
                  <span>{`${t('person.birthDate')}: ${p.birthDate}`}</span>
                ) : (
                  p.age !== null && <span>{t('person.age', { age: p.age })}</span>
                )}
                {p.phone && <span>{`${t('person.phone')}: ${p.phone}`}</span>}
              </Space>
            ),
            extra: mayWrite && (
              <Space size={0} direction="vertical">
                <Button type="link" onClick={() => setPersonForm({ person: p })}>
                  {t('common.edit')}
                </Button>
                <DeleteButton onConfirm={() => removePerson.mutate(p.id)} />
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

/**
 * Delete in two taps on the page itself: the first asks 确定删除吗？ beside full-size buttons. A
 * popover would be a small target on a phone and would load antd's popover code into the page.
 */
function DeleteButton({ onConfirm }: { onConfirm: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button danger onClick={() => setAsking(true)}>
        {t('common.delete')}
      </Button>
    );
  }
  return (
    <Space wrap role="group" aria-label={t('common.confirmDelete')}>
      <span>{t('common.confirmDelete')}</span>
      <Button
        danger
        type="primary"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t('common.delete')}
      </Button>
      <Button onClick={() => setAsking(false)}>{t('common.cancel')}</Button>
    </Space>
  );
}
