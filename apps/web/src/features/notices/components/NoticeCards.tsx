// The published notices on a phone: one card per notice (title, who it is for, its state and time in
// words, how many it reached, and who has read it on a tap) in place of the desk's table, which was
// 667 px wide in a 340 px column and hid the state behind a sideways swipe.
import '../words.ts';
import type { Notice } from '@cunzhi/contracts/notices';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useGrids, useRegionChildren } from '../../../lib/regions.ts';
import { useSession } from '../../../lib/session.ts';
import { audienceWords } from '../audience-words.ts';
import { noticeTime, shownState } from '../notice-state.ts';
import { NoticeReceipts } from './NoticeReceipts.tsx';

/** The roles that push notices (notices.write). */
const AUTHORS = ['villageCadre', 'townshipOfficial', 'countyAdmin'];

/** The author's own place, the places under it and (for a village cadre) the village's grids: what an audience is chosen from. */
export function useAuthorArea() {
  const { data: session } = useSession();
  const home = session?.user.assignments.find((a) => AUTHORS.includes(a.role));
  const village = home?.role === 'villageCadre' && home.regionLevel === 'village' ? home.regionId : undefined;
  const grids = useGrids(village);
  const places = useRegionChildren(home?.regionId);
  return { home, village, grids, places };
}

type Area = ReturnType<typeof useAuthorArea>;

const namedPlaces = (area: Area) => ({
  home: area.home,
  named: [...(area.places.data ?? []), ...(area.grids.data ?? [])],
});

function NoticeCard({ notice, area, now }: { notice: Notice; area: Area; now: number }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const state = shownState(notice, now);
  const time = noticeTime(notice);
  const when = formatWhen(time.at, now);
  const whenWords =
    time.kind === 'sent'
      ? t('notices.whenSent', { when })
      : time.kind === 'scheduled'
        ? t('notices.whenScheduled', { when })
        : t('notices.whenWritten', { when });
  return (
    <li className="notice-card" data-testid="notice-card">
      <div className="notice-card-title">
        {notice.title}
        {notice.urgent && <Chip colour="red">{t('notices.urgent')}</Chip>}
      </div>
      <div className="notice-card-line">
        {t('notices.audience', { who: audienceWords(notice.audience, namedPlaces(area), t, i18n.language) })}
      </div>
      <div className="notice-card-line">
        <strong data-testid="notice-state">{t(`notices.states.${state}`)}</strong>
        {' · '}
        <span>{whenWords}</span>
        {notice.state === 'sent' && (
          <>
            {' · '}
            <span>{t('notices.reached', { count: notice.recipients })}</span>
          </>
        )}
      </div>
      {notice.state === 'sent' && (
        <button type="button" className="notices-expand" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('notices.hideReceipts') : t('notices.showReceipts')}
        </button>
      )}
      {open && <NoticeReceipts id={notice.id} />}
    </li>
  );
}

export function NoticeCards({ notices }: { notices: Notice[] }) {
  const area = useAuthorArea();
  const now = Date.now();
  return (
    <ul className="notice-cards" data-testid="notice-cards">
      {notices.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} area={area} now={now} />
      ))}
    </ul>
  );
}
