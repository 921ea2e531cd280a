// Everyone's start page on the phone and the desk: big tiles for what this role does most (a
// villager's 随手拍 first, a grid worker's tasks, a caretaker's round, a family member's elders),
// with unread and to-do figures on them, and the elder-mode switch where nobody can miss it.
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CameraOutlined,
  CarryOutOutlined,
  CheckSquareOutlined,
  DesktopOutlined,
  EnvironmentOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  GiftOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  MedicineBoxOutlined,
  NotificationOutlined,
  SafetyOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  VideoCameraOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS } from '@cunzhi/contracts/roles';
import { lazy, type ReactNode, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ElderModeSwitch } from '../components/ElderModeSwitch.tsx';
import { Panel } from '../components/Panel.tsx';
import { ReadAloudButton } from '../components/ReadAloudButton.tsx';
import { useHouseholdCounts } from '../features/org/api/household-counts.ts';
import { can, useSession } from '../lib/session.ts';
import { FamilyElders } from './home/FamilyElders.tsx';
import { HomeTile } from './home/HomeTile.tsx';
import {
  useDueVisits,
  useLinkedElders,
  useOpenTasks,
  usePointsBalance,
  useUnreadAdvice,
  useUnreadMessages,
  useUnreadNotices,
} from './home/home-counts.ts';
import { useMenuItems } from './home/menu-items.ts';

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

function iconFor(key: string): ReactNode {
  if (key.startsWith('/households/')) return <HomeOutlined />;
  const icons: Record<string, ReactNode> = {
    '/m/report': <CameraOutlined />,
    '/m/cases': <FileSearchOutlined />,
    '/m/points': <GiftOutlined />,
    '/m/services': <SolutionOutlined />,
    '/m/notices': <NotificationOutlined />,
    '/m/family': <HeartOutlined />,
    '/m/tasks': <CheckSquareOutlined />,
    '/m/rounds': <CarryOutOutlined />,
    '/care': <MedicineBoxOutlined />,
    '/notifications': <BellOutlined />,
    '/cases/statistics': <BarChartOutlined />,
    '/cases/config': <SettingOutlined />,
    '/regions': <ApartmentOutlined />,
    '/households': <HomeOutlined />,
    '/people': <IdcardOutlined />,
    '/users': <TeamOutlined />,
    '/audit': <AuditOutlined />,
    '/totp-enrolment': <SafetyOutlined />,
    '/m/agri': <ExperimentOutlined />,
    '/agri': <ExperimentOutlined />,
    '/agri/questions': <SolutionOutlined />,
    '/agri/advice': <NotificationOutlined />,
    '/agri/weather': <EnvironmentOutlined />,
    '/agri/figures': <BarChartOutlined />,
    '/m/farm': <EnvironmentOutlined />,
    '/m/cameras': <VideoCameraOutlined />,
    '/cameras': <VideoCameraOutlined />,
    '/cameras/findings': <WarningOutlined />,
  };
  return icons[key] ?? <DesktopOutlined />;
}

function useBadges(keys: string[]): Record<string, string | undefined> {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const messages = useUnreadMessages();
  const notices = useUnreadNotices(keys.includes('/m/notices'));
  const tasks = useOpenTasks(keys.includes('/m/tasks'));
  const due = useDueVisits(keys.includes('/m/rounds'));
  const balance = usePointsBalance(keys.includes('/m/points') ? session?.user.householdId : undefined);
  const advice = useUnreadAdvice(keys.includes('/m/agri') ? session?.user.householdId : undefined);
  const count = (n: number | undefined, key: string) => (n ? t(key, { count: n }) : undefined);
  return {
    '/notifications': count(messages.data, 'home.unread'),
    '/m/notices': count(notices.data, 'home.unread'),
    '/m/tasks': tasks.data?.count ? t('home.open', { count: tasks.data.more ? `${tasks.data.count}+` : tasks.data.count }) : undefined,
    '/m/rounds': count(due.data, 'home.due'),
    '/m/points': balance.data === undefined ? undefined : t('home.balance', { count: balance.data }),
    '/m/agri': count(advice.data, 'home.newAdvice'),
  };
}

export default function HomePage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const family = Boolean(session?.user.assignments.some((a) => a.role === 'familyMember'));
  const elders = useLinkedElders(family);
  const items = useMenuItems().filter((item) => item.key !== '/');
  const rank = (key: string) => (FIRST.includes(key) ? FIRST.indexOf(key) : FIRST.length);
  const tiles = [...items].sort((a, b) => rank(a.key) - rank(b.key));
  const badges = useBadges(tiles.map((tile) => tile.key));
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
      {family && <FamilyElders elders={elders.data ?? []} />}
      <nav aria-label={t('home.tiles')} className="home-tiles">
        {tiles.map((tile, index) => (
          <HomeTile
            key={tile.key}
            to={tile.key}
            icon={iconFor(tile.key)}
            label={tile.key === '/m/report' ? t('home.report') : tile.label}
            badge={badges[tile.key]}
            primary={index === 0 && tile.key.startsWith('/m/')}
          />
        ))}
      </nav>
      {can(session, 'org.write') && <HouseholdsByVillage />}
    </div>
  );
}
