// One elder as family and carers see them on a phone: the latest readings, a month's trends, open
// alarms and what became of those closed within a day, recent visits, and a reminder to send to the
// home speaker. A failed read of the readings or the alarms is said in words with a way to try
// again, and the summary is then left out: a card that went quiet, or said 一切正常 from an earlier
// answer, would read as good news.
import '../words.ts';
import type { Elder } from '@cunzhi/contracts/care';
import { useDeferredValue, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { Sparkline } from '../../../components/Sparkline.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { alarmLine, handlingNote, isOpenAlarm, recentlyClosed } from '../alarm-words.ts';
import { mayReadHome, sendReminder, useDailyTrends, useElderAlarms, useElderHome, useRecentReadings, useVisits } from '../api/care.ts';
import { type ElderSummary, elderSummary, latest, readingFlag, SHOWN, watchWords } from '../reading-flags.ts';
import { ElderHomeLine } from './ElderHomeLine.tsx';

type Say = (key: string, options?: Record<string, unknown>) => string;

/** The summary in words, with a sign before it: 血压偏高，请留意 (colour is never the only signal). */
function summaryWords(t: Say, summary: ElderSummary): string {
  if (summary.tone === 'alarm') return `⚠ ${t('care.hasAlarms', { count: summary.alarms })}`;
  if (summary.tone === 'well') return `✓ ${t('care.allWell')}`;
  return `⚠ ${watchWords(t, summary.out)}`;
}

/** The warning colour of an out-of-range figure and its word (darker orange: 5:1 on white). */
const OUT_OF_RANGE = '#b45309';

function ReminderForm({ elder }: { elder: Elder }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  // What the last reminder became: sent, or saved offline to go once online (newcomer: offline it said sent).
  const [queued, setQueued] = useState<'sent' | 'saved' | undefined>();
  // One reminder, one key: a double tap on 发送到家中音箱 queued it twice, and the elder heard it twice.
  const [key, setKey] = useState(newId);
  const [sending, setSending] = useState(false);
  const busy = useRef(false);
  const send = async () => {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    try {
      await sendReminder({ text: text.trim(), elderPersonIds: [elder.personId] }, t('care.remind'), key);
    } finally {
      busy.current = false;
      setSending(false);
    }
    setKey(newId());
    setText('');
    setQueued(navigator.onLine ? 'sent' : 'saved');
  };
  return (
    <div className="reminder-form">
      <TextArea
        rows={2}
        maxLength={300}
        value={text}
        aria-label={t('care.reminderText')}
        placeholder={t('care.reminderPlaceholder')}
        onChange={(e) => setText(e.target.value)}
      />
      <Button disabled={!text.trim() || sending} loading={sending} onClick={() => void send()}>
        {t('care.remind')}
      </Button>
      {!text.trim() && (
        <p className="disabled-why" data-testid="remind-why">
          {t('care.remindWhy')}
        </p>
      )}
      {queued && (
        <Notice type="success" testId="reminder-done">
          {t(queued === 'sent' ? 'care.reminderQueued' : 'care.reminderSaved')}
        </Notice>
      )}
    </div>
  );
}

export function ElderCard({ elder, remind = true }: { elder: Elder; remind?: boolean }) {
  const { t } = useTranslation();
  const readings = useRecentReadings(elder.personId);
  const trends = useDailyTrends(elder.personId);
  const alarms = useElderAlarms(elder.personId);
  const visits = useVisits(elder.personId);
  const { data: session } = useSession();
  const home = useElderHome(elder.personId, mayReadHome((session?.user.assignments ?? []).map((a) => a.role)));
  // Drawn when all its reads are in: alarms and the home line arriving one by one pushed the visits down the screen.
  const ready = [readings, trends, alarms, visits].every((query) => !query.isPending) && !(home.isPending && home.fetchStatus !== 'idle');
  // ...and drawn as a transition, in slices: the last read's arrival would otherwise draw the figures,
  // trend lines and visits in one long task (react-query's updates render in one piece).
  const shown = useDeferredValue(ready);
  const items = readings.data?.items ?? [];
  const open = (alarms.data?.items ?? []).filter(isOpenAlarm);
  const closed = recentlyClosed(alarms.data?.items ?? []);
  const unavailable = readings.isError || alarms.isError;
  const retry = () => {
    if (readings.isError) void readings.refetch();
    if (alarms.isError) void alarms.refetch();
  };
  // Said once the alarms and readings are in: "一切正常" while they load would be a false all-clear.
  const summary = !unavailable && alarms.data && readings.data ? elderSummary(open.length, items) : undefined;
  const series = (kind: string) => (trends.data?.items ?? []).filter((x) => x.kind === kind && x.avg !== null).map((x) => x.avg as number);
  return (
    <Panel
      title={elder.name}
      extra={
        summary && (
          <span data-testid="elder-summary" data-tone={summary.tone}>
            <Chip colour={{ alarm: 'red', watch: 'orange', well: 'green' }[summary.tone]}>{summaryWords(t, summary)}</Chip>
          </span>
        )
      }
    >
      <div className="muted">
        {elder.livingSituation} · {elder.conditions.join('、')}
        {elder.lastActivityAt && ` · ${t('care.lastActivity')} ${formatWhen(elder.lastActivityAt)}`}
      </div>
      {unavailable && (
        <Notice type="warning" testId="elder-unavailable">
          <div>{`⚠ ${t('care.unavailable')}`}</div>
          <Button disabled={readings.isFetching || alarms.isFetching} onClick={retry}>
            {readings.isFetching || alarms.isFetching ? t('care.retrying') : t('care.retry')}
          </Button>
        </Notice>
      )}
      {shown && (
        <>
          <ElderHomeLine elderId={elder.personId} />
          <div className="figures" data-testid="elder-latest">
            {SHOWN.map((kind) => {
              const r = latest(items, kind);
              const flag = r ? readingFlag(r) : undefined;
              return (
                <div key={kind} data-testid={`reading-${kind}`} data-flag={flag ?? 'normal'}>
                  <strong style={flag ? { color: OUT_OF_RANGE } : undefined}>
                    {r ? (kind === 'bloodPressure' ? `${r.value}/${r.value2}` : r.value) : '—'}
                  </strong>
                  {/* The word beside the figure (the figure itself stays a number for those who read it). */}
                  {flag && (
                    <span style={{ color: OUT_OF_RANGE, fontSize: 18, fontWeight: 700 }} data-testid="reading-flag">
                      {flag === 'high' ? `↑ ${t('care.readingHigh')}` : `↓ ${t('care.readingLow')}`}
                    </span>
                  )}
                  <span>
                    {t(`care.kinds.${kind}`)} {r && <small>{formatWhen(r.at)}</small>}
                  </span>
                  <Sparkline values={series(kind)} label={`${t(`care.kinds.${kind}`)} ${t('care.trend30')}`} />
                </div>
              );
            })}
          </div>
          {open.map((a) => (
            <Notice key={a.id} type="error" testId="elder-alarm">
              {alarmLine(t, a)}
            </Notice>
          ))}
          {/* Closed within a day: who dealt with it, when, and their note, so the family far away learn what happened. */}
          {closed.map((a) => (
            <Notice key={a.id} type="success" testId="elder-alarm-closed">
              {`✓ ${alarmLine(t, a)}`}
              {handlingNote(t, a) && <div>{handlingNote(t, a)}</div>}
            </Notice>
          ))}
          <h3>{t('care.visits')}</h3>
          <ul className="plain-list" data-testid="elder-visits">
            {(visits.data?.items ?? []).slice(0, 5).map((v) => (
              <li key={v.id}>
                {formatWhen(v.at)} · {t(`care.visitKinds.${v.kind}`)} · {v.byName}
                {v.systolic !== null && ` · ${v.systolic}/${v.diastolic}`}
                {v.note && ` · ${v.note}`}
              </li>
            ))}
            {(visits.data?.items ?? []).length === 0 && <li className="muted">{t('common.noData')}</li>}
          </ul>
          {remind && <ReminderForm elder={elder} />}
        </>
      )}
    </Panel>
  );
}
