// A family member's home: each linked elder's state today (where they are, open alarms, last
// activity) and one button that calls them.

import type { Elder } from '@cunzhi/contracts/care';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatTime } from '../../lib/format-time.ts';
import { fetchElderPhone, useOpenAlarmCount } from './home-counts.ts';
import { PhoneIcon } from './home-icons.tsx';

const PRESENCES = ['home', 'away', 'hospital'] as const;

function ElderState({ elder }: { elder: Elder }) {
  const { t } = useTranslation();
  const alarms = useOpenAlarmCount(elder.personId);
  const [calling, setCalling] = useState(false);
  const [noPhone, setNoPhone] = useState(false);
  const presence = (PRESENCES as readonly string[]).includes(elder.presence) ? t(`home.presence.${elder.presence}`) : elder.presence;
  const call = async () => {
    setCalling(true);
    try {
      const phone = (await fetchElderPhone(elder.personId)) ?? elder.contacts.find((c) => c.phone)?.phone ?? null;
      if (phone) window.location.href = `tel:${phone.replace(/[^0-9+]/g, '')}`;
      else setNoPhone(true);
    } catch {
      setNoPhone(true);
    } finally {
      setCalling(false);
    }
  };
  const open = alarms.data ?? 0;
  return (
    <section className="elder-state" aria-label={elder.name}>
      <h3>{elder.name}</h3>
      <p className="elder-state-line">{presence}</p>
      {alarms.data !== undefined && (
        <p className={open > 0 ? 'elder-state-line elder-state-alarm' : 'elder-state-line'}>
          {open > 0 ? `⚠ ${t('home.alarms', { count: open })}` : `✓ ${t('home.allWell')}`}
        </p>
      )}
      {elder.lastActivityAt && (
        <p className="elder-state-line muted">{t('home.lastActivity', { time: formatTime(elder.lastActivityAt) })}</p>
      )}
      <div className="elder-state-actions">
        <button type="button" className="big-button big-button-primary" disabled={calling} onClick={() => void call()}>
          <PhoneIcon /> {t('home.call', { name: elder.name })}
        </button>
        <Link to="/m/family" className="big-button">
          {t('home.details')}
        </Link>
      </div>
      {noPhone && (
        <p className="elder-state-line" role="alert">
          {t('home.noPhone')}
        </p>
      )}
    </section>
  );
}

export function FamilyElders({ elders }: { elders: Elder[] }) {
  const { t } = useTranslation();
  if (elders.length === 0) return null;
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>{t('home.familyTitle')}</h2>
      </header>
      <div className="panel-body">
        {elders.map((elder) => (
          <ElderState key={elder.personId} elder={elder} />
        ))}
      </div>
    </section>
  );
}
