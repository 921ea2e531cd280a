// Everyone's start page on the phone and the desk: big tiles for what this role does most (a
// villager's 我要反映 first, a grid worker's tasks, a caretaker's round, a family member's elders),
// with unread and to-do figures on them, and the elder-mode switch where nobody can miss it. The
// account's own pages (signed-in devices, two-step verification) are a row of their own at the end,
// not tiles among the work.
import { ROLE_LABELS } from '@cunzhi/contracts/roles';
import { type ComponentType, lazy, type ReactNode, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ElderModeSwitch } from '../components/ElderModeSwitch.tsx';
import { Panel } from '../components/Panel.tsx';
import { ReadAloudButton } from '../components/ReadAloudButton.tsx';
import { useHouseholdCounts } from '../features/org/api/household-counts.ts';
import { can, useSession } from '../lib/session.ts';
import { FamilyElders } from './home/FamilyElders.tsx';
import { HomeLiveEvents } from './home/HomeLiveEvents.tsx';
import { HomeTile, TileBadge } from './home/HomeTile.tsx';
import {
  useAwaitingMyRating,
  useDueVisits,
  useLinkedElders,
  useOpenAlarmsInScope,
  useOpenTasks,
  usePointsBalance,
  useUnreadAdvice,
  useUnreadMessages,
  useUnreadNotices,
} from './home/home-counts.ts';
import { TileIcon } from './home/home-icons.tsx';
import { useMenuEntries } from './home/menu-items.ts';

const EChart = lazy(() => import('../components/EChart.tsx').then((m) => ({ default: m.EChart })));

function HouseholdsByVillage() {
  const { t } = useTranslation();
  const counts = useHouseholdCounts();
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: (counts.data ?? []).map((c) => c.regionName) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: (counts.data ?? []).map((c) => c.count), itemStyle: { color: '#1f6f43' } }],
    }),
    [counts.data],
  );
  if (!counts.data || counts.data.length < 2) return null;
  return (
    <Panel title={t('home.byVillage')}>
      <Suspense fallback={null}>
        <EChart option={option} />
      </Suspense>
    </Panel>
  );
}

/** The phone pages first, in the order a person reaches for them; the desk pages after, as the menu has them. */
const FIRST = [
  '/m/report',
  '/m/tasks',
  '/m/poverty',
  '/m/rounds',
  '/care',
  '/m/cases',
  '/m/points',
  '/m/services',
  '/m/notices',
  '/m/family',
  '/m/agri',
  '/m/farm',
  '/m/cameras',
  '/notifications',
];

// Each tile's figure is a component of its own that asks for its count: a count that arrives
// redraws its badge alone, where it used to redraw the whole page, one synchronous render per answer
// (react-query's store updates are not rendered in slices) while the phone was still starting.
function UnreadMessagesBadge() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  // The same condition as the 通知 tile's (menu-items.ts).
  const { data } = useUnreadMessages(Boolean(session?.user.householdId));
  return <TileBadge text={data ? t('home.unread', { count: data }) : undefined} />;
}

function UnreadNoticesBadge() {
  const { t } = useTranslation();
  const { data } = useUnreadNotices(true);
  return <TileBadge text={data ? t('home.unread', { count: data }) : undefined} />;
}

function OpenTasksBadge() {
  const { t } = useTranslation();
  const { data } = useOpenTasks(true);
  return <TileBadge text={data?.count ? t('home.open', { count: data.more ? `${data.count}+` : data.count }) : undefined} />;
}

/** A handled report waits for the villager's stars: said on 我的反映, or they would never know to look. */
function AwaitingRatingBadge() {
  const { t } = useTranslation();
  const { data } = useAwaitingMyRating(true);
  return <TileBadge text={data ? t('home.toRate', { count: data }) : undefined} />;
}

function DueVisitsBadge() {
  const { t } = useTranslation();
  const { data } = useDueVisits(true);
  return <TileBadge text={data ? t('home.due', { count: data }) : undefined} />;
}

/**
 * Open alarms in my scope on the 关爱老人 tile (issue 15: a caretaker's home said nothing of an SOS),
 * in the words the family's home uses for the same thing. Live: an alarm streamed to me (raised,
 * taken on or closed) asks the count again (HomeLiveEvents), so an SOS shows without a reload.
 */
function OpenAlarmsBadge() {
  const { t } = useTranslation();
  const { data } = useOpenAlarmsInScope(true);
  return <TileBadge text={data?.count ? t('home.alarms', { count: data.more ? `${data.count}+` : data.count }) : undefined} />;
}

function PointsBalanceBadge() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const { data } = usePointsBalance(session?.user.householdId);
  return <TileBadge text={data === undefined ? undefined : t('home.balance', { count: data })} />;
}

function UnreadAdviceBadge() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const { data } = useUnreadAdvice(session?.user.householdId);
  return <TileBadge text={data ? t('home.newAdvice', { count: data }) : undefined} />;
}

const BADGES: Record<string, ComponentType> = {
  '/notifications': UnreadMessagesBadge,
  '/m/notices': UnreadNoticesBadge,
  '/m/tasks': OpenTasksBadge,
  '/m/cases': AwaitingRatingBadge,
  '/m/rounds': DueVisitsBadge,
  '/care': OpenAlarmsBadge,
  '/m/points': PointsBalanceBadge,
  '/m/agri': UnreadAdviceBadge,
};

/** The account's pages: in the account row at the end of the home page, never among the work tiles. */
const ACCOUNT_PAGES = new Set(['/totp-enrolment']);

function badgeFor(key: string): ReactNode {
  const Badge = BADGES[key];
  return Badge ? <Badge /> : undefined;
}

export default function HomePage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const family = Boolean(session?.user.assignments.some((a) => a.role === 'familyMember'));
  // Staff sign in with a password; a household signs in by a texted code and has none to change.
  const staff = Boolean(session?.user.assignments.some((a) => a.role !== 'villager' && a.role !== 'familyMember'));
  const elders = useLinkedElders(family);
  const items = useMenuEntries().filter((item) => item.key !== '/');
  const rank = (key: string) => (FIRST.includes(key) ? FIRST.indexOf(key) : FIRST.length);
  const tiles = items.filter((item) => !ACCOUNT_PAGES.has(item.key)).sort((a, b) => rank(a.key) - rank(b.key));
  const account = items.filter((item) => ACCOUNT_PAGES.has(item.key));
  const duty = tiles.some((tile) => tile.key === '/care');
  const notices = tiles.some((tile) => tile.key === '/m/notices');
  if (!session) return null;
  const language = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <div className="home-page">
      <section className="panel home-greeting">
        <h1>{t('home.welcome', { name: session.user.displayName })}</h1>
        <p className="muted">
          {t('home.roles')}: {session.user.assignments.map((a) => `${ROLE_LABELS[a.role][language]} · ${a.regionName}`).join('，')}
        </p>
        <div className="home-greeting-actions">
          <ElderModeSwitch size="large" />
          <ReadAloudButton />
        </div>
      </section>
      {/* One stream for the page: the alarms' figures and cards, 通知's figure (a notice reaching me). */}
      {(family || notices || duty) && <HomeLiveEvents alarms={family || duty} notices={notices} />}
      {family && (
        <FamilyElders
          elders={elders.data ?? []}
          failed={elders.isError}
          retrying={elders.isFetching}
          onRetry={() => void elders.refetch()}
        />
      )}
      <nav aria-label={t('home.tiles')} className="home-tiles">
        {tiles.map((tile, index) => (
          <HomeTile
            key={tile.key}
            to={tile.key}
            icon={<TileIcon to={tile.key} />}
            labelKey={tile.labelKey}
            t={t}
            badge={badgeFor(tile.key)}
            primary={index === 0 && tile.key.startsWith('/m/')}
          />
        ))}
      </nav>
      {can(session, 'org.write') && <HouseholdsByVillage />}
      <nav aria-label={t('home.account')} className="home-account" data-testid="home-account">
        {/* Where this account is signed in: a lost phone is signed out from here (issue 15 item 4). */}
        <Link to="/m/devices" className="btn" data-testid="home-devices">
          {t('home.devices')}
        </Link>
        {staff && (
          <Link to="/password" className="btn" data-testid="home-password">
            {t('home.password')}
          </Link>
        )}
        {account.map((item) => (
          <Link key={item.key} to={item.key} className="btn">
            {t(item.labelKey)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
