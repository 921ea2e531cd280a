// A family member's home: each linked elder's state today (where they are, each open alarm in words,
// each latest reading out of range in the elder card's words, the outcome of alarms closed within a
// day, last activity) and one button that calls them. "No open alarms" is said only when no latest
// reading is out of range: a ✓ beside a blood pressure of 151/88 was a false all-clear. Nor when the
// alarms or the readings could not be fetched: that is said in words, with a way to try again, since
// a card that went quiet (or said ✓) on a failed read would look like good news.

import type { Elder, Reading } from '@cunzhi/contracts/care';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { alarmLine, handlingNote, isOpenAlarm, recentlyClosed } from '../../features/care/alarm-words.ts';
import { useRecentReadings } from '../../features/care/api/care.ts';
import { elderSummary, latest, watchWords } from '../../features/care/reading-flags.ts';
import { formatWhen } from '../../lib/format-time.ts';
import { fetchElderPhone, useElderAlarmsAtHome } from './home-counts.ts';
import { PhoneIcon } from './home-icons.tsx';

const PRESENCES = ['home', 'away', 'hospital'] as const;

type Say = (key: string, options?: Record<string, unknown>) => string;

/** The figure behind a warning, as the elder card shows it: 血压 151/88 · 12月3日 09:50. */
const figure = (t: Say, kind: string, reading: Reading | undefined) =>
  reading &&
  `${t(`care.kinds.${kind}`)} ${kind === 'bloodPressure' ? `${reading.value}/${reading.value2}` : reading.value} · ${formatWhen(reading.at)}`;

function ElderState({ elder }: { elder: Elder }) {
  const { t } = useTranslation();
  const alarms = useElderAlarmsAtHome(elder.personId);
  // The family page's own read (and cache): audited by the server, so asked once when the home is
  // shown and not again for 30 s (opening 查看详情 then reuses it), never on a re-render or a timer.
  const readings = useRecentReadings(elder.personId);
  const [calling, setCalling] = useState(false);
  // 'none': the look-up answered and there is no number; 'failed': it could not be asked (offline).
  const [phoneProblem, setPhoneProblem] = useState<'none' | 'failed' | undefined>();
  const presence = (PRESENCES as readonly string[]).includes(elder.presence) ? t(`home.presence.${elder.presence}`) : elder.presence;
  const call = async () => {
    setCalling(true);
    setPhoneProblem(undefined);
    try {
      const phone = (await fetchElderPhone(elder.personId)) ?? elder.contacts.find((c) => c.phone)?.phone ?? null;
      if (phone) window.location.href = `tel:${phone.replace(/[^0-9+]/g, '')}`;
      else setPhoneProblem('none');
    } catch {
      // Offline (newcomer): the number is on record, it only could not be looked up.
      setPhoneProblem('failed');
    } finally {
      setCalling(false);
    }
  };
  // A failed read (even one whose earlier answer is still shown) leaves the state unknown.
  const unavailable = alarms.isError || readings.isError;
  const retry = () => {
    if (alarms.isError) void alarms.refetch();
    if (readings.isError) void readings.refetch();
  };
  const open = (alarms.data ?? []).filter(isOpenAlarm);
  const closed = recentlyClosed(alarms.data ?? []);
  const summary = readings.data ? elderSummary(0, readings.data.items) : undefined;
  const watch = summary?.tone === 'watch' ? summary.out : [];
  return (
    <section className="elder-state" aria-label={elder.name}>
      <h3>{elder.name}</h3>
      <p className="elder-state-line">{presence}</p>
      {/* Each open alarm said in words (an SOS is not "1 alarm"), then what became of those closed today. */}
      {open.map((alarm) => (
        <p key={alarm.id} className="elder-state-line elder-state-alarm" data-testid="home-alarm" data-alarm={alarm.cause}>
          {`⚠ ${alarmLine(t, alarm)}`}
        </p>
      ))}
      {watch.length > 0 && (
        <div data-testid="home-readings-watch">
          <p className="elder-state-line elder-state-watch">{`⚠ ${watchWords(t, watch)}`}</p>
          {watch.map(({ kind }) => (
            <p key={kind} className="elder-state-line muted">
              {figure(t, kind, latest(readings.data?.items ?? [], kind))}
            </p>
          ))}
        </div>
      )}
      {/* Said once both are in: "no open alarms" while the readings load could be a false all-clear. */}
      {unavailable && <Unavailable retrying={alarms.isFetching || readings.isFetching} onRetry={retry} />}
      {!unavailable && alarms.data !== undefined && !readings.isPending && open.length === 0 && watch.length === 0 && (
        <p className="elder-state-line" data-testid="home-all-well">{`✓ ${t('home.allWell')}`}</p>
      )}
      {closed.map((alarm) => (
        <div key={alarm.id} className="elder-state-closed" data-testid="home-alarm-closed" data-alarm={alarm.cause}>
          <p className="elder-state-line">{`✓ ${alarmLine(t, alarm)}`}</p>
          {handlingNote(t, alarm) && <p className="elder-state-line muted">{handlingNote(t, alarm)}</p>}
        </div>
      ))}
      {elder.lastActivityAt && (
        <p className="elder-state-line muted">{t('home.lastActivity', { time: formatWhen(elder.lastActivityAt) })}</p>
      )}
      <div className="elder-state-actions">
        <button type="button" className="big-button big-button-primary" disabled={calling} onClick={() => void call()}>
          <PhoneIcon /> {t('home.call', { name: elder.name })}
        </button>
        <Link to="/m/family" className="big-button">
          {t('home.details')}
        </Link>
      </div>
      {phoneProblem && (
        <p className="elder-state-line" role="alert" data-testid="home-call-problem">
          {t(phoneProblem === 'none' ? 'home.noPhone' : 'home.phoneLookupFailed')}
        </p>
      )}
    </section>
  );
}

/** Said where the elder's state would be when it could not be fetched: never silence, never a ✓. */
function Unavailable({ retrying, onRetry }: { retrying: boolean; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="home-state-unavailable">
      <p className="elder-state-line elder-state-watch" role="alert">{`⚠ ${t('home.unavailable')}`}</p>
      <button type="button" className="big-button" disabled={retrying} onClick={onRetry}>
        {retrying ? t('home.retrying') : t('home.retry')}
      </button>
    </div>
  );
}

/** `failed`: the list of my elders could not be fetched (then none is known, and that is said). */
export function FamilyElders({
  elders,
  failed,
  retrying,
  onRetry,
}: {
  elders: Elder[];
  failed: boolean;
  retrying: boolean;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (elders.length === 0 && !failed) return null;
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>{t('home.familyTitle')}</h2>
      </header>
      <div className="panel-body">
        {elders.length === 0 && <Unavailable retrying={retrying} onRetry={onRetry} />}
        {elders.map((elder) => (
          <ElderState key={elder.personId} elder={elder} />
        ))}
      </div>
    </section>
  );
}
