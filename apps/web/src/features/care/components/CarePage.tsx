// The duty screen of a township health centre or a village: elders in care, and alarms that appear
// as they are raised (Server-Sent Events), with a sound (asked once, remembered on the device), the
// elder's address and phone for those who go to the door, to be taken on and closed with a note.
import '../words.ts';
import type { Alarm, Elder } from '@cunzhi/contracts/care';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ItemList } from '../../../components/ItemList.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useElderMode } from '../../../lib/elder-mode.ts';
import { formatTime, formatWhen } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useLiveEvents } from '../../../lib/use-live-events.ts';
import { type SoundChoice, storedSoundChoice, storeSoundChoice } from '../alarm-sound.ts';
import { CARE_KEY, careApi, useElders, useMissedVisits, useOpenAlarms, useReminders } from '../api/care.ts';
import { ElderHomeLine } from './ElderHomeLine.tsx';

const SEVERITY_COLOURS: Record<string, string> = { critical: 'red', high: 'orange', medium: 'gold', low: 'blue' };

/**
 * One audio context for the page. A browser lets a page make sound only after a tap on it: the
 * answer to "play a sound?" is such a tap, and after a reload the first tap anywhere on the page
 * wakes the context again (useAudioUnlock), so a remembered "on" is not silently off.
 */
let audio: AudioContext | undefined;
const audioContext = () => {
  audio ??= new AudioContext();
  return audio;
};

function useAudioUnlock(on: boolean): void {
  useEffect(() => {
    if (!on) return;
    const unlock = () => void audioContext().resume();
    window.addEventListener('pointerdown', unlock, { once: true });
    return () => window.removeEventListener('pointerdown', unlock);
  }, [on]);
}

/** A short two-tone alert made in the browser: no sound file to download. */
function beep(): void {
  const context = audioContext();
  for (const [index, frequency] of [880, 660].entries()) {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(context.destination);
    tone.start(context.currentTime + index * 0.25);
    tone.stop(context.currentTime + index * 0.25 + 0.2);
  }
}

/** Alarms as the server streams them, merged into the list already loaded. */
function useLiveAlarms(sound: boolean) {
  const client = useQueryClient();
  const soundOn = useRef(sound);
  soundOn.current = sound;
  const alarms = useOpenAlarms();
  const live = useLiveEvents({
    alarm: (data) => {
      // The stream sends the alarm as the list presents it (times in ISO-8601).
      const alarm = JSON.parse(data) as Alarm;
      client.setQueryData<{ items: Alarm[] }>(['care', 'alarms'], (current) => {
        const others = (current?.items ?? []).filter((a) => a.id !== alarm.id);
        const open = alarm.state === 'raised' || alarm.state === 'acknowledged';
        return { items: open ? [alarm, ...others] : others };
      });
      if (soundOn.current && alarm.state === 'raised') beep();
    },
  });
  // Back from a break: an alarm raised while disconnected was never streamed, so ask for the list.
  const wasDown = useRef(false);
  useEffect(() => {
    if (live === 'down') wasDown.current = true;
    if (live === 'open' && wasDown.current) {
      wasDown.current = false;
      void client.invalidateQueries({ queryKey: ['care', 'alarms'] });
    }
  }, [live, client]);
  return { alarms, live };
}

function AlarmItem({ alarm, elder }: { alarm: Alarm; elder?: Elder }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  // A tap target like the buttons beside it: 60 px in elder mode, 48 otherwise.
  const [elderMode] = useElderMode();
  // One tap, one action: a second tap while the first is on its way (a double tap on a phone) does
  // nothing. The ref is set at once, before React draws the button busy.
  const [acting, setActing] = useState<'acknowledge' | 'resolve'>();
  const busy = useRef(false);
  const act = async (action: 'acknowledge' | 'resolve') => {
    if (busy.current) return;
    busy.current = true;
    setActing(action);
    try {
      await careApi.actOnAlarm(alarm.id, action, note);
      setError(undefined);
      await client.invalidateQueries({ queryKey: ['care', 'alarms'] });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      busy.current = false;
      setActing(undefined);
    }
  };
  return (
    <article className="task-card" data-alarm={alarm.cause}>
      <header>
        <span className="task-title">
          {elder?.name ?? '—'} · {t(`care.causes.${alarm.cause}`, { defaultValue: alarm.cause })}
        </span>
        <Chip colour={SEVERITY_COLOURS[alarm.severity]}>{t(`care.states.${alarm.state}`, { defaultValue: alarm.state })}</Chip>
      </header>
      <div className="muted">
        <span data-testid="alarm-time">{formatTime(alarm.lastAt)}</span>
        {alarm.value !== null && ` · ${alarm.value}`}
        {alarm.repeats > 1 && ` · ×${alarm.repeats}`}
      </div>
      <ElderHomeLine elderId={alarm.elderPersonId} />
      <Space wrap style={{ marginTop: 8 }}>
        {alarm.state === 'raised' && (
          <Button type="primary" danger loading={acting === 'acknowledge'} onClick={() => void act('acknowledge')}>
            {t('care.acknowledge')}
          </Button>
        )}
        <Input
          placeholder={t('care.note')}
          aria-label={t('care.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: 220, minHeight: elderMode ? 60 : 48 }}
        />
        <Button disabled={!note.trim()} loading={acting === 'resolve'} onClick={() => void act('resolve')}>
          {t('care.resolve')}
        </Button>
      </Space>
      {/* Grey with no word why was a newcomer's dead end: the note comes first. */}
      {!note.trim() && (
        <p className="disabled-why" data-testid="resolve-why">
          {t('care.resolveWhy')}
        </p>
      )}
      {/* The note goes to the elder's linked family for a day (their alarm list): the writer should know. */}
      <p className="muted" data-testid="note-seen-by-family" style={{ margin: '4px 0 0' }}>
        {t('care.noteSeenByFamily')}
      </p>
      {error && <Notice type="error">{error}</Notice>}
    </article>
  );
}

/** A reminder to every elder in my care with a speaker at home, and how far the last ones got. */
function RemindersPanel({ elders }: { elders: Elder[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const reminders = useReminders();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const send = async () => {
    try {
      await careApi.remindAll({ text: text.trim(), elderPersonIds: elders.map((e) => e.personId) });
      setText('');
      setError(undefined);
      await client.invalidateQueries({ queryKey: [CARE_KEY, 'reminders'] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Panel title={t('care.reminders')}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          value={text}
          maxLength={300}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('care.reminderPlaceholder')}
          aria-label={t('care.reminderText')}
        />
        <Button type="primary" disabled={!text.trim() || elders.length === 0} onClick={() => void send()}>
          {t('care.remindAll', { count: elders.length })}
        </Button>
      </Space.Compact>
      {error && <Notice type="error">{error}</Notice>}
      <ItemList
        empty={t('common.noData')}
        items={(reminders.data?.items ?? []).slice(0, 10).map((r) => ({
          key: r.id,
          title: r.text,
          description: formatTime(r.createdAt),
          extra: (
            <span data-testid="reminder-delivery">
              {t('care.delivered', { done: r.counts.delivered, total: Object.values(r.counts).reduce((a, b) => a + b, 0) })}
              {r.counts.expired + r.counts.failed > 0 && ` · ${t('care.undelivered', { count: r.counts.expired + r.counts.failed })}`}
            </span>
          ),
        }))}
      />
    </Panel>
  );
}

export default function CarePage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const [sound, setSound] = useState<SoundChoice>(storedSoundChoice);
  const choose = (choice: 'on' | 'off') => {
    // The tap that turns sound on is the one the browser needs before it plays any.
    if (choice === 'on') void audioContext().resume();
    storeSoundChoice(choice);
    setSound(choice);
  };
  // The question about sound stays until answered. (Closing it with the back button, b98cc46, kept a
  // history entry that the sign-in page's "session ended" notice then lost: forms.test.)
  const asking = sound === undefined;
  const { alarms, live } = useLiveAlarms(sound === 'on');
  useAudioUnlock(sound === 'on');
  const elders = useElders();
  const missed = useMissedVisits(3);
  const byId = new Map((elders.data?.items ?? []).map((e) => [e.personId, e]));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel
        title={t('care.alarms')}
        extra={
          <Button onClick={() => choose(sound === 'on' ? 'off' : 'on')} aria-pressed={sound === 'on'}>
            {sound === 'on' ? t('care.soundOn') : t('care.soundOff')}
          </Button>
        }
      >
        {asking && (
          <div className="notice notice-warning" role="alertdialog" aria-label={t('care.soundAsk')} data-testid="sound-ask">
            <div className="notice-body">
              <strong>{t('care.soundAsk')}</strong>
              <div>{t('care.soundAskHint')}</div>
              <Space wrap style={{ marginTop: 8 }}>
                <Button type="primary" size="large" onClick={() => choose('on')}>
                  {t('care.soundYes')}
                </Button>
                <Button size="large" onClick={() => choose('off')}>
                  {t('care.soundNo')}
                </Button>
              </Space>
            </div>
          </div>
        )}
        {live === 'down' && (
          <Notice type="warning" testId="live-down">
            {t('care.liveDown')}
          </Notice>
        )}
        <div data-testid="alarm-list">
          {(alarms.data?.items ?? []).length === 0 && <div className="item-list-empty">{t('care.noAlarms')}</div>}
          {(alarms.data?.items ?? []).map((alarm) => (
            <AlarmItem key={alarm.id} alarm={alarm} elder={byId.get(alarm.elderPersonId)} />
          ))}
        </div>
      </Panel>
      {can(session, 'care.read') && (
        <Panel title={t('care.missedVisits')}>
          <ItemList
            empty={t('care.noMissedVisits')}
            items={(missed.data?.items ?? []).map((m) => ({
              key: `${m.elderPersonId}|${m.day}|${m.kind}`,
              title: m.name,
              description: `${m.day} · ${t(`care.visitKinds.${m.kind}`)}`,
            }))}
          />
        </Panel>
      )}
      {can(session, 'care.manage') && <RemindersPanel elders={elders.data?.items ?? []} />}
      <Panel title={t('care.elders')}>
        <ItemList
          loading={elders.isLoading}
          empty={t('common.noData')}
          items={(elders.data?.items ?? []).map((e) => ({
            key: e.personId,
            title: <Link to={`/care/elders/${e.personId}`}>{e.name}</Link>,
            description: `${e.livingSituation} · ${e.conditions.join('、')}`,
            extra: <span className="muted">{e.lastActivityAt ? `${t('care.lastActivity')} ${formatWhen(e.lastActivityAt)}` : '—'}</span>,
          }))}
        />
      </Panel>
    </Space>
  );
}
