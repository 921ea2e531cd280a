// 照料员 on a phone: today's visits to my elders, one compact card each (tap to check in with what
// was done); check-ins go through the outbox, so a visit recorded without signal is sent once when
// the network is back. A check-in form is one visit: its id is minted once, so a double tap (two
// outbox items, each with its own key) or a resend is recorded once, and the button waits while sending.
import '../words.ts';
import type { Alarm } from '@cunzhi/contracts/care';
import { alsoDoneBy, type RoundsItem } from '@cunzhi/contracts/care-rounds';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { ListEmpty } from '../../../components/ItemList.tsx';
import { CheckLine, Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useLiveEvents } from '../../../lib/use-live-events.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CARE_KEY, recordVisit, useOpenAlarms, useRounds, type VisitBody } from '../api/care.ts';

const TASKS = ['bloodPressureTaken', 'medicineChecked', 'mealCooked', 'houseCleaned', 'chatted'] as const;

/** A number typed on a phone's digit pad: anything but digits is dropped as it is typed. */
function DigitsInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <input
      className="text-input"
      inputMode="numeric"
      aria-label={label}
      placeholder={label}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
    />
  );
}

/** What a check-in records, in words: its own kind, then the day's other rounds it does too (a visit with cooking is the care round). */
type CheckedIn = { kind: VisitBody['kind']; also: string[] };

function CheckInForm({ item, onDone }: { item: RoundsItem; onDone: (done: CheckedIn) => void }) {
  const { t } = useTranslation();
  const open = item.due.filter((d) => !d.done);
  const [kind, setKind] = useState<VisitBody['kind']>(open[0]?.kind === 'careRound' ? 'careRound' : 'visit');
  const [tasks, setTasks] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [systolic, setSystolic] = useState('');
  const [diastolic, setDiastolic] = useState('');
  // The visit's id, minted once per form: every tap of this form is this one visit.
  const [visitId, setVisitId] = useState(newId);
  const [sending, setSending] = useState(false);
  // Set at once, before React re-renders the disabled button: a second tap in the same moment sends nothing.
  const busy = useRef(false);
  const pressure = systolic && diastolic ? { systolic: Number(systolic), diastolic: Number(diastolic) } : {};
  // The day's other rounds still open that this check-in does too, as the server counts them.
  const also = alsoDoneBy(kind, tasks).filter((k) => open.some((d) => d.kind === k));
  const submit = async () => {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    try {
      await recordVisit(
        item.elder.personId,
        { id: visitId, kind, note: note.trim(), tasks, ...pressure },
        `${t('care.checkIn')} ${item.elder.name}`,
      );
    } catch (error) {
      busy.current = false;
      setSending(false);
      throw error;
    }
    // Saved: the form closes (onDone), and until it has, a tap on its button records nothing more.
    // A visit after this one is a new form with a new id.
    setSending(false);
    setVisitId(newId());
    setTasks([]);
    setNote('');
    setSystolic('');
    setDiastolic('');
    onDone({ kind, also });
  };
  return (
    <div className="task-form" id={`round-form-${item.elder.personId}`}>
      <div className="muted">{item.elder.livingSituation}</div>
      <div className="segmented" role="radiogroup" aria-label={t('care.visitKind')}>
        {(['visit', 'careRound'] as const).map((k) => (
          <label key={k} className="check-line">
            <input type="radio" name={`kind-${item.elder.personId}`} checked={kind === k} onChange={() => setKind(k)} />
            <span>{t(`care.visitKinds.${k}`)}</span>
          </label>
        ))}
      </div>
      {TASKS.map((task) => (
        <CheckLine
          key={task}
          checked={tasks.includes(task)}
          onChange={(on) => setTasks((ts) => (on ? [...ts, task] : ts.filter((x) => x !== task)))}
        >
          {t(`care.tasks.${task}`)}
        </CheckLine>
      ))}
      {tasks.includes('bloodPressureTaken') && (
        <div className="pressure-inputs">
          <DigitsInput label={t('care.systolic')} value={systolic} onChange={setSystolic} />
          <DigitsInput label={t('care.diastolic')} value={diastolic} onChange={setDiastolic} />
        </div>
      )}
      {also.length > 0 && (
        <p className="muted" data-testid="check-in-also">
          {t('care.alsoDoneHint', { kinds: also.map((k) => t(`care.visitKinds.${k}`)).join(t('care.listJoin')) })}
        </p>
      )}
      <TextArea
        rows={2}
        maxLength={1000}
        value={note}
        aria-label={t('care.visitNote')}
        placeholder={t('care.visitNote')}
        onChange={(e) => setNote(e.target.value)}
      />
      <Button type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
        {t('care.checkIn')}
      </Button>
    </div>
  );
}

/**
 * One elder of the round as a compact card: the name on one line (never squeezed by the status
 * chips beside it) and what is due; a tap opens the check-in, a second tap (or checking in) closes it.
 */
function RoundCard({
  item,
  open,
  onToggle,
  confirmed,
  onCheckedIn,
  alarms,
}: {
  item: RoundsItem;
  /** This elder's open alarms: said first on the card, in words and red. */
  alarms: Alarm[];
  open: boolean;
  onToggle: () => void;
  /** What the last check-in on this card recorded, said in words (a chip turning green is easy to miss). */
  confirmed?: string;
  onCheckedIn: (done: CheckedIn) => void;
}) {
  const { t } = useTranslation();
  return (
    <article
      className="task-card"
      data-testid={`round-${item.elder.personId}`}
      data-alarm={alarms.length > 0 ? 'open' : undefined}
      style={alarms.length > 0 ? { borderInlineStart: '6px solid #b91c1c' } : undefined}
    >
      {alarms.map((alarm) => (
        <p key={alarm.id} data-testid="round-alarm" style={{ margin: '4px 4px 0', color: '#991b1b', fontSize: 18, fontWeight: 700 }}>
          {'⚠ '}
          {t(`care.causes.${alarm.cause}`, { defaultValue: alarm.cause })} · {t(`care.states.${alarm.state}`)} · {formatWhen(alarm.lastAt)}
        </p>
      ))}
      <Button
        type="text"
        block
        size="large"
        onClick={onToggle}
        aria-expanded={open}
        aria-controls={`round-form-${item.elder.personId}`}
        style={{ height: 'auto', padding: '8px 4px', textAlign: 'start', display: 'block', whiteSpace: 'normal' }}
      >
        <span
          className="task-title"
          data-testid="round-name"
          style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
        >
          {item.elder.name}
        </span>
        <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 4 }}>
          {item.due.map((d) => (
            <Chip key={d.kind} colour={d.done ? 'green' : 'orange'}>
              {t(`care.visitKinds.${d.kind}`)} · {d.done ? t('care.done') : t('care.due')}
            </Chip>
          ))}
          {item.due.length === 0 && <Chip>{t(`care.presence.${item.elder.presence}`, { defaultValue: item.elder.presence })}</Chip>}
          <span className="muted" data-testid="round-open">
            {open
              ? t('care.closeCheckIn')
              : item.due.length > 0 && item.due.every((d) => d.done)
                ? t('care.openAgain')
                : t('care.openCheckIn')}
          </span>
        </span>
      </Button>
      {confirmed && !open && (
        <Notice type="success" testId="check-in-done" reveal>
          {confirmed}
        </Notice>
      )}
      {open && (
        <CheckInForm
          item={item}
          onDone={(done) => {
            onCheckedIn(done);
            onToggle();
          }}
        />
      )}
    </article>
  );
}

/** Open alarms in my scope by elder, kept current by the live stream (an SOS marks the card at once). */
function useOpenAlarmsByElder(): Map<string, Alarm[]> {
  const client = useQueryClient();
  useLiveEvents({ alarm: () => void client.invalidateQueries({ queryKey: [CARE_KEY, 'alarms'] }) });
  const alarms = useOpenAlarms();
  const byElder = new Map<string, Alarm[]>();
  for (const alarm of alarms.data?.items ?? []) {
    if (alarm.state !== 'raised' && alarm.state !== 'acknowledged') continue;
    byElder.set(alarm.elderPersonId, [...(byElder.get(alarm.elderPersonId) ?? []), alarm]);
  }
  return byElder;
}

export default function RoundsPage() {
  const { t } = useTranslation();
  const rounds = useRounds();
  const alarms = useOpenAlarmsByElder();
  // One elder's check-in open at a time: the round stays a short list of names.
  const [opened, setOpened] = useState<string>();
  const [confirmed, setConfirmed] = useState<{ personId: string; text: string }>();
  useRefreshWhenSent(CARE_KEY);
  // Elders with an open alarm first (a stable sort: the round's own order otherwise).
  const items = [...(rounds.data?.items ?? [])].sort((a, b) => Number(alarms.has(b.elder.personId)) - Number(alarms.has(a.elder.personId)));
  // Counted as the home tile counts (elders with something still due), with the visits and care
  // rounds behind that number beside it, so "12 位" there and here are the same twelve.
  const left = items.reduce((n, item) => n + item.due.filter((d) => !d.done).length, 0);
  const eldersLeft = items.filter((item) => item.due.some((d) => !d.done)).length;
  return (
    <div className="phone-page">
      <OutboxBanner />
      <Panel
        title={t('care.roundsToday')}
        extra={
          // Not before the round has come: "还有0位" while it loads would be a false "all done".
          rounds.data && <Chip colour={left > 0 ? 'orange' : 'green'}>{t('care.visitsLeft', { elders: eldersLeft, count: left })}</Chip>
        }
      >
        {/* Opened offline before the round was ever loaded: 尚未载入, not a false "nobody to visit". */}
        {items.length === 0 &&
          (rounds.isLoading ? <div className="item-list-empty">…</div> : <ListEmpty empty={t('common.noData')} read={rounds} />)}
        {items.map((item) => (
          <RoundCard
            key={item.elder.personId}
            item={item}
            alarms={alarms.get(item.elder.personId) ?? []}
            open={opened === item.elder.personId}
            onToggle={() => setOpened((id) => (id === item.elder.personId ? undefined : item.elder.personId))}
            confirmed={confirmed?.personId === item.elder.personId ? confirmed.text : undefined}
            onCheckedIn={({ kind, also }) =>
              setConfirmed({
                personId: item.elder.personId,
                text: t('care.checkedIn', {
                  name: item.elder.name,
                  kind: [kind, ...also].map((k) => t(`care.visitKinds.${k}`)).join(t('care.listJoin')),
                }),
              })
            }
          />
        ))}
      </Panel>
    </div>
  );
}
