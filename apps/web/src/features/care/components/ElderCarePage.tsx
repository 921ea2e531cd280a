// One elder for the health centre and the village: the phone card (readings, trends, alarms,
// visits), the devices with battery and last-seen, the elder's own alarm rules, and the doctor's
// home visit.
import '../words.ts';
import type { AlarmRule } from '@cunzhi/contracts/care';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, InputNumber, Space, Switch, Table } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CARE_KEY, careApi, recordVisit, useAlarmRules, useDevices, useElders } from '../api/care.ts';
import { ElderCard } from './ElderCard.tsx';

function RulesPanel({ elderId, editable }: { elderId: string; editable: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const rules = useAlarmRules(elderId);
  const [draft, setDraft] = useState<Record<string, Partial<AlarmRule>>>({});
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  const rows = (rules.data?.items ?? []).map((r) => ({ ...r, ...draft[r.cause] }));
  const save = async () => {
    try {
      const changed = rows.filter((r) => r.own || draft[r.cause]);
      await careApi.saveRules(elderId, {
        rules: changed.map((r) => ({ cause: r.cause, limit: r.limit, forMinutes: r.forMinutes, enabled: r.enabled })),
      });
      setDraft({});
      setMessage({ type: 'success', text: t('common.saved') });
      await client.invalidateQueries({ queryKey: [CARE_KEY, 'rules', elderId] });
    } catch (e) {
      setMessage({ type: 'error', text: (e as Error).message });
    }
  };
  const change = (cause: string, patch: Partial<AlarmRule>) => setDraft((d) => ({ ...d, [cause]: { ...d[cause], ...patch } }));
  return (
    <Panel
      title={t('care.rules')}
      extra={
        editable && (
          <Space>
            <Button onClick={() => setDraft({})}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={() => void save()} disabled={Object.keys(draft).length === 0}>
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      {message && <Notice type={message.type}>{message.text}</Notice>}
      {/* Scrolls inside itself on a phone in elder mode, where it was wider than the screen (newcomer). */}
      <Table
        size="small"
        rowKey="cause"
        scroll={{ x: 'max-content' }}
        pagination={false}
        loading={rules.isLoading}
        dataSource={rows}
        columns={[
          { title: t('care.cause'), dataIndex: 'cause', render: (c: string) => t(`care.causes.${c}`, { defaultValue: c }) },
          {
            title: t('care.limit'),
            dataIndex: 'limit',
            render: (v: number, r) =>
              editable ? (
                <InputNumber
                  controls={false}
                  size="small"
                  // A limit may be a decimal (37.5 °C), within the server's bounds.
                  min={-100_000}
                  max={100_000}
                  value={v}
                  onChange={(n) => n !== null && change(r.cause, { limit: n })}
                  aria-label={`${t(`care.causes.${r.cause}`, { defaultValue: r.cause })} ${t('care.limit')}`}
                />
              ) : (
                v
              ),
          },
          {
            title: t('care.forMinutes'),
            dataIndex: 'forMinutes',
            render: (v: number, r) =>
              editable && r.cause !== 'inactivity' && r.cause !== 'lowBattery' ? (
                <InputNumber
                  controls={false}
                  size="small"
                  min={0}
                  max={240}
                  precision={0}
                  value={v}
                  onChange={(n) => n !== null && change(r.cause, { forMinutes: n })}
                  aria-label={`${t(`care.causes.${r.cause}`, { defaultValue: r.cause })} ${t('care.forMinutes')}`}
                />
              ) : (
                v
              ),
          },
          {
            title: t('care.enabled'),
            dataIndex: 'enabled',
            render: (v: boolean, r) => (
              <Switch
                size="small"
                checked={v}
                disabled={!editable}
                onChange={(on) => change(r.cause, { enabled: on })}
                aria-label={`${t(`care.causes.${r.cause}`, { defaultValue: r.cause })} ${t('care.enabled')}`}
              />
            ),
          },
          { title: t('care.source'), dataIndex: 'own', render: (own: boolean) => (own ? t('care.ownRule') : t('care.countyRule')) },
        ]}
      />
    </Panel>
  );
}

/**
 * The doctor's note of a home visit goes through the outbox, as a carer's check-in does: a village
 * with no signal keeps it on the phone until the network is back (it was lost with an error before).
 */
function HomeVisitForm({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const { pending, failures } = useOutbox();
  const [note, setNote] = useState('');
  // The outbox step of the last note saved here.
  const [step, setStep] = useState<string>();
  // The visit's id, one per form: a second click, or trying again after a lost answer, is this visit.
  const [visitId, setVisitId] = useState(newId);
  const [saving, setSaving] = useState(false);
  // Set at once, before React draws the disabled button: a click in the same moment sends nothing.
  const busy = useRef(false);
  useRefreshWhenSent(CARE_KEY);
  const record = async () => {
    if (busy.current) return;
    busy.current = true;
    setSaving(true);
    try {
      setStep(await recordVisit(elderId, { id: visitId, kind: 'doctorVisit', note: note.trim(), tasks: [] }, t('care.homeVisit')));
      setNote('');
      setVisitId(newId());
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };
  const waits = step !== undefined && pending.some((p) => p.id === step);
  const refused = step === undefined ? undefined : failures.find((f) => f.id === step);
  // Online, nothing is said while it is on its way; refused, the outbox's red line says why.
  const said = refused ? undefined : waits ? (navigator.onLine ? undefined : t('care.homeVisitSaved')) : step && t('common.saved');
  return (
    <Panel title={t('care.homeVisit')}>
      <OutboxBanner />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('care.homeVisitNote')}
          aria-label={t('care.homeVisitNote')}
        />
        <Button type="primary" disabled={!note.trim()} loading={saving} onClick={() => void record()}>
          {t('care.record')}
        </Button>
      </Space.Compact>
      {said && (
        <Notice type="success" testId="home-visit-done">
          {said}
        </Notice>
      )}
    </Panel>
  );
}

export default function ElderCarePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: session } = useSession();
  const elder = useElders().data?.items.find((e) => e.personId === id);
  const devices = useDevices(id);
  if (!elder) return <Notice type="info">{t('common.noData')}</Notice>;
  const isDoctor = session?.user.assignments.some((a) => a.role === 'doctor');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <ElderCard elder={elder} />
      <Panel title={t('care.devices')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={devices.data?.items ?? []}
          columns={[
            { title: t('care.serial'), dataIndex: 'serial' },
            { title: t('care.deviceKind'), dataIndex: 'kind', render: (k: string) => t(`care.deviceKinds.${k}`, { defaultValue: k }) },
            { title: t('care.battery'), dataIndex: 'battery', render: (b: number | null) => (b === null ? '—' : `${b}%`) },
            { title: t('care.lastSeen'), dataIndex: 'lastSeenAt', render: (at: string | null) => (at ? formatTime(at) : '—') },
          ]}
        />
      </Panel>
      <RulesPanel elderId={id} editable={can(session, 'care.manage')} />
      {isDoctor && <HomeVisitForm elderId={id} />}
    </Space>
  );
}
