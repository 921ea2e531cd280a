import type { QueryClient } from '@tanstack/react-query';
import { type ComponentType, lazy, Suspense } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { prefetchPlatformInfo } from '../features/auth/api/platform-info.ts';
import { prefetchFamilyPage } from '../features/care/api/care.ts';
import { prefetchPointsPage } from '../features/points/api/points.ts';
import { prefetchServicesPage } from '../features/services/api/services.ts';
// Elder mode is a choice of this device: set <html data-elder> before the first page draws.
import '../lib/elder-mode.ts';
import { NotFoundPage, RouteErrorPage } from './ErrorPage.tsx';

// Every page is its own chunk: the login and phone pages never load the desk pages or charts. Each
// route's handle keeps its loader, so that preloadPage can start the chunks an address needs at once.

type PageModule = { default: ComponentType };
/** The chunks preloadPage has seen arrive, by their loader. */
const arrived = new Map<() => Promise<PageModule>, PageModule>();

/**
 * React.lazy, except that a page whose chunk has already arrived (preloadPage) is drawn in the same
 * pass. React.lazy suspends on any promise, even a settled one: the first render then showed the
 * route's fallback (an empty page in place of index.html's loading screen), and React holds back the
 * content that replaces a fallback for 300 ms. A thenable that calls back at once avoids both.
 */
function lazyPage<M extends PageModule>(load: () => Promise<M>) {
  return lazy(() => {
    const module = arrived.get(load) as M | undefined;
    if (!module) return load();
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, which React.lazy reads at once.
    return { then: (resolve: (value: M) => void) => resolve(module) } as unknown as Promise<M>;
  });
}
const loadAppLayout = () => import('./AppLayout.tsx').then((m) => ({ default: m.AppLayout }));
const AppLayout = lazyPage(loadAppLayout);
const loadLoginPage = () => import('../features/auth/components/LoginPage.tsx');
const LoginPage = lazyPage(loadLoginPage);
const loadTotpEnrolmentPage = () => import('../features/auth/components/TotpEnrolmentPage.tsx');
const TotpEnrolmentPage = lazyPage(loadTotpEnrolmentPage);
const loadPasswordPage = () => import('../features/auth/components/PasswordPage.tsx');
const PasswordPage = lazyPage(loadPasswordPage);
const loadDevicesPage = () => import('../features/auth/components/DevicesPage.tsx');
const DevicesPage = lazyPage(loadDevicesPage);
const loadHomePage = () => import('./HomePage.tsx');
const HomePage = lazyPage(loadHomePage);
const loadRegionsPage = () => import('../features/org/components/RegionsPage.tsx');
const RegionsPage = lazyPage(loadRegionsPage);
const loadHouseholdsPage = () => import('../features/org/components/HouseholdsPage.tsx');
const HouseholdsPage = lazyPage(loadHouseholdsPage);
const loadHouseholdDetailPage = () => import('../features/org/components/HouseholdDetailPage.tsx');
const HouseholdDetailPage = lazyPage(loadHouseholdDetailPage);
const loadPeoplePage = () => import('../features/org/components/PeoplePage.tsx');
const PeoplePage = lazyPage(loadPeoplePage);
const loadUsersPage = () => import('../features/org/components/UsersPage.tsx');
const UsersPage = lazyPage(loadUsersPage);
const loadAuditPage = () => import('../features/audit/components/AuditPage.tsx');
const AuditPage = lazyPage(loadAuditPage);
const loadReportPage = () => import('../features/cases/components/ReportPage.tsx');
const ReportPage = lazyPage(loadReportPage);
const loadMyCasesPage = () => import('../features/cases/components/MyCasesPage.tsx');
const MyCasesPage = lazyPage(loadMyCasesPage);
const loadTasksPage = () => import('../features/cases/components/TasksPage.tsx');
const TasksPage = lazyPage(loadTasksPage);
const loadCasesDeskPage = () => import('../features/cases/components/CasesDeskPage.tsx');
const CasesDeskPage = lazyPage(loadCasesDeskPage);
const loadCaseDetailPage = () => import('../features/cases/components/CaseDetailPage.tsx');
const CaseDetailPage = lazyPage(loadCaseDetailPage);
const loadStatisticsPage = () => import('../features/cases/components/StatisticsPage.tsx');
const StatisticsPage = lazyPage(loadStatisticsPage);
const loadPublicVillagesPage = () =>
  import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagesPage }));
const PublicVillagesPage = lazyPage(loadPublicVillagesPage);
const loadPublicVillagePage = () => import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagePage }));
const PublicVillagePage = lazyPage(loadPublicVillagePage);
const loadMyPointsPage = () => import('../features/points/components/MyPointsPage.tsx');
const MyPointsPage = lazyPage(loadMyPointsPage);
const loadKeeperPage = () => import('../features/points/components/KeeperPage.tsx');
const KeeperPage = lazyPage(loadKeeperPage);
const loadCasesConfigPage = () => import('../features/cases/components/CasesConfigPage.tsx');
const CasesConfigPage = lazyPage(loadCasesConfigPage);
const loadCarePage = () => import('../features/care/components/CarePage.tsx');
const CarePage = lazyPage(loadCarePage);
const loadElderCarePage = () => import('../features/care/components/ElderCarePage.tsx');
const ElderCarePage = lazyPage(loadElderCarePage);
const loadFamilyCarePage = () => import('../features/care/components/FamilyCarePage.tsx');
const FamilyCarePage = lazyPage(loadFamilyCarePage);
const loadFamilyCallPage = () => import('../features/calls/components/FamilyCallPage.tsx');
const FamilyCallPage = lazyPage(loadFamilyCallPage);
const loadHomeDevicePage = () => import('../features/calls/components/HomeDevicePage.tsx');
const HomeDevicePage = lazyPage(loadHomeDevicePage);
const loadRoundsPage = () => import('../features/care/components/RoundsPage.tsx');
const RoundsPage = lazyPage(loadRoundsPage);
const loadServicesPage = () => import('../features/services/components/ServicesPage.tsx');
const ServicesPage = lazyPage(loadServicesPage);
const loadApplicationPage = () => import('../features/services/components/ApplicationPage.tsx');
const ApplicationPage = lazyPage(loadApplicationPage);
const loadServicesDeskPage = () => import('../features/services/components/ServicesDeskPage.tsx');
const ServicesDeskPage = lazyPage(loadServicesDeskPage);
const loadNoticesPage = () => import('../features/notices/components/NoticesPage.tsx');
const NoticesPage = lazyPage(loadNoticesPage);
const loadNoticesDeskPage = () => import('../features/notices/components/NoticesDeskPage.tsx');
const NoticesDeskPage = lazyPage(loadNoticesDeskPage);
const loadEvidencePage = () => import('../features/evidence/components/EvidencePage.tsx');
const EvidencePage = lazyPage(loadEvidencePage);
const loadEvidenceDeskPage = () => import('../features/evidence/components/EvidenceDeskPage.tsx');
const EvidenceDeskPage = lazyPage(loadEvidenceDeskPage);
const loadScreenKeysPage = () => import('../features/dashboard/components/ScreenKeysPage.tsx');
const ScreenKeysPage = lazyPage(loadScreenKeysPage);
const loadNotificationsPage = () => import('../features/notifications/components/NotificationsPage.tsx');
const NotificationsPage = lazyPage(loadNotificationsPage);
const loadCamerasPage = () => import('../features/monitoring/components/CamerasPage.tsx');
const CamerasPage = lazyPage(loadCamerasPage);
const loadLiveViewPage = () => import('../features/monitoring/components/LiveViewPage.tsx');
const LiveViewPage = lazyPage(loadLiveViewPage);
const loadFindingsPage = () => import('../features/monitoring/components/FindingsPage.tsx');
const FindingsPage = lazyPage(loadFindingsPage);
const loadFindingDetailPage = () => import('../features/monitoring/components/FindingDetailPage.tsx');
const FindingDetailPage = lazyPage(loadFindingDetailPage);
const loadFarmPage = () => import('../features/monitoring/components/FarmPage.tsx');
const FarmPage = lazyPage(loadFarmPage);
const loadPovertyDeskPage = () => import('../features/poverty/components/PovertyDeskPage.tsx');
const PovertyDeskPage = lazyPage(loadPovertyDeskPage);
const loadPovertyFilePage = () => import('../features/poverty/components/PovertyFilePage.tsx');
const PovertyFilePage = lazyPage(loadPovertyFilePage);
const loadPovertyFiguresPage = () => import('../features/poverty/components/PovertyFiguresPage.tsx');
const PovertyFiguresPage = lazyPage(loadPovertyFiguresPage);
const loadPovertyVisitsPage = () => import('../features/poverty/components/PovertyVisitsPage.tsx');
const PovertyVisitsPage = lazyPage(loadPovertyVisitsPage);
const loadPovertySelfReportPage = () => import('../features/poverty/components/SelfReportPage.tsx');
const PovertySelfReportPage = lazyPage(loadPovertySelfReportPage);
const loadMyFarmPage = () => import('../features/agri/components/MyFarmPage.tsx');
const MyFarmPage = lazyPage(loadMyFarmPage);
const loadObservePage = () => import('../features/agri/components/ObservePage.tsx');
const ObservePage = lazyPage(loadObservePage);
const loadFarmQuestionsPage = () => import('../features/agri/components/FarmQuestionsPage.tsx');
const FarmQuestionsPage = lazyPage(loadFarmQuestionsPage);
const loadFarmQuestionPage = () => import('../features/agri/components/FarmQuestionPage.tsx');
const FarmQuestionPage = lazyPage(loadFarmQuestionPage);
const loadAgriDeskPage = () => import('../features/agri/components/AgriDeskPage.tsx');
const AgriDeskPage = lazyPage(loadAgriDeskPage);
const loadAgriQuestionsDeskPage = () => import('../features/agri/components/AgriQuestionsDeskPage.tsx');
const AgriQuestionsDeskPage = lazyPage(loadAgriQuestionsDeskPage);
const loadAdviceLibraryPage = () => import('../features/agri/components/AdviceLibraryPage.tsx');
const AdviceLibraryPage = lazyPage(loadAdviceLibraryPage);
const loadWeatherPage = () => import('../features/agri/components/WeatherPage.tsx');
const WeatherPage = lazyPage(loadWeatherPage);
const loadAgriObservationsPage = () => import('../features/agri/components/AgriObservationsPage.tsx');
const AgriObservationsPage = lazyPage(loadAgriObservationsPage);
const loadAgriFiguresPage = () => import('../features/agri/components/AgriFiguresPage.tsx');
const AgriFiguresPage = lazyPage(loadAgriFiguresPage);
const loadScreenPage = () => import('../features/dashboard/components/ScreenPage.tsx');
const ScreenPage = lazyPage(loadScreenPage);

const pages: RouteObject[] = [
  {
    path: '/login',
    handle: { load: loadLoginPage, asksForSession: true, prefetch: prefetchPlatformInfo },
    element: (
      <Suspense fallback={null}>
        <LoginPage />
      </Suspense>
    ),
  },
  // Outside the layout: a session that must enrol first may open nothing else.
  {
    path: '/totp-enrolment',
    handle: { load: loadTotpEnrolmentPage, asksForSession: true },
    element: (
      <Suspense fallback={null}>
        <TotpEnrolmentPage />
      </Suspense>
    ),
  },
  // Outside the layout too: a session holding a password someone else chose may only change it.
  {
    path: '/password',
    handle: { load: loadPasswordPage, asksForSession: true },
    element: (
      <Suspense fallback={null}>
        <PasswordPage />
      </Suspense>
    ),
  },
  // 村务公开: no login.
  {
    path: '/public',
    handle: { load: loadPublicVillagesPage },
    element: (
      <Suspense fallback={null}>
        <PublicVillagesPage />
      </Suspense>
    ),
  },
  {
    path: '/public/villages/:id',
    handle: { load: loadPublicVillagePage },
    element: (
      <Suspense fallback={null}>
        <PublicVillagePage />
      </Suspense>
    ),
  },
  // The wall screen: its own screen key (presented once, then a screen cookie), never a login.
  {
    path: '/screen/:regionId?',
    handle: { load: loadScreenPage },
    element: (
      <Suspense fallback={null}>
        <ScreenPage />
      </Suspense>
    ),
  },
  // The elder's home tablet or TV box: signed in by its own paired key, not a session.
  {
    path: '/home-device',
    handle: { load: loadHomeDevicePage, plain: true },
    element: (
      <Suspense fallback={null}>
        <HomeDevicePage />
      </Suspense>
    ),
  },
  {
    handle: { load: loadAppLayout, asksForSession: true },
    element: (
      <Suspense fallback={null}>
        <AppLayout />
      </Suspense>
    ),
    children: [
      { index: true, element: <HomePage />, handle: { load: loadHomePage, plain: true } },
      { path: 'regions', element: <RegionsPage />, handle: { load: loadRegionsPage } },
      { path: 'households', element: <HouseholdsPage />, handle: { load: loadHouseholdsPage } },
      { path: 'households/:id', element: <HouseholdDetailPage />, handle: { load: loadHouseholdDetailPage } },
      { path: 'people', element: <PeoplePage />, handle: { load: loadPeoplePage } },
      { path: 'users', element: <UsersPage />, handle: { load: loadUsersPage } },
      { path: 'audit', element: <AuditPage />, handle: { load: loadAuditPage } },
      { path: 'm/report', element: <ReportPage />, handle: { load: loadReportPage, plain: true } },
      { path: 'm/cases', element: <MyCasesPage />, handle: { load: loadMyCasesPage, plain: true } },
      { path: 'm/tasks', element: <TasksPage />, handle: { load: loadTasksPage, plain: true } },
      { path: 'cases', element: <CasesDeskPage />, handle: { load: loadCasesDeskPage } },
      { path: 'cases/statistics', element: <StatisticsPage />, handle: { load: loadStatisticsPage } },
      { path: 'cases/config', element: <CasesConfigPage />, handle: { load: loadCasesConfigPage } },
      { path: 'cases/:id', element: <CaseDetailPage />, handle: { load: loadCaseDetailPage } },
      { path: 'notifications', element: <NotificationsPage />, handle: { load: loadNotificationsPage, plain: true } },
      { path: 'm/devices', element: <DevicesPage />, handle: { load: loadDevicesPage, plain: true } },
      { path: 'care', element: <CarePage />, handle: { load: loadCarePage } },
      { path: 'care/elders/:id', element: <ElderCarePage />, handle: { load: loadElderCarePage } },
      { path: 'm/family', element: <FamilyCarePage />, handle: { load: loadFamilyCarePage, plain: true, prefetch: prefetchFamilyPage } },
      { path: 'm/family/call/:elderId', element: <FamilyCallPage />, handle: { load: loadFamilyCallPage, plain: true } },
      { path: 'm/rounds', element: <RoundsPage />, handle: { load: loadRoundsPage, plain: true } },
      { path: 'm/services', element: <ServicesPage />, handle: { load: loadServicesPage, plain: true, prefetch: prefetchServicesPage } },
      { path: 'm/services/applications/:id', element: <ApplicationPage />, handle: { load: loadApplicationPage, plain: true } },
      { path: 'services', element: <ServicesDeskPage />, handle: { load: loadServicesDeskPage } },
      { path: 'm/notices', element: <NoticesPage />, handle: { load: loadNoticesPage, plain: true } },
      { path: 'notices', element: <NoticesDeskPage />, handle: { load: loadNoticesDeskPage } },
      { path: 'm/evidence', element: <EvidencePage />, handle: { load: loadEvidencePage, plain: true } },
      { path: 'evidence', element: <EvidenceDeskPage />, handle: { load: loadEvidenceDeskPage } },
      { path: 'screen-keys', element: <ScreenKeysPage />, handle: { load: loadScreenKeysPage } },
      { path: 'm/points', element: <MyPointsPage />, handle: { load: loadMyPointsPage, plain: true, prefetch: prefetchPointsPage } },
      { path: 'points', element: <KeeperPage />, handle: { load: loadKeeperPage } },
      { path: 'cameras', element: <CamerasPage />, handle: { load: loadCamerasPage } },
      { path: 'cameras/findings', element: <FindingsPage />, handle: { load: loadFindingsPage } },
      { path: 'cameras/findings/:id', element: <FindingDetailPage />, handle: { load: loadFindingDetailPage } },
      { path: 'm/cameras', element: <LiveViewPage />, handle: { load: loadLiveViewPage } },
      { path: 'm/farm', element: <FarmPage />, handle: { load: loadFarmPage } },
      { path: 'm/farm/:cameraId', element: <FarmPage />, handle: { load: loadFarmPage } },
      { path: 'poverty', element: <PovertyDeskPage />, handle: { load: loadPovertyDeskPage } },
      { path: 'poverty/figures', element: <PovertyFiguresPage />, handle: { load: loadPovertyFiguresPage } },
      { path: 'poverty/monitored/:id', element: <PovertyFilePage />, handle: { load: loadPovertyFilePage } },
      { path: 'm/poverty', element: <PovertyVisitsPage />, handle: { load: loadPovertyVisitsPage, plain: true } },
      { path: 'm/poverty/report', element: <PovertySelfReportPage />, handle: { load: loadPovertySelfReportPage, plain: true } },
      { path: 'm/agri', element: <MyFarmPage />, handle: { load: loadMyFarmPage, plain: true } },
      { path: 'm/agri/observe', element: <ObservePage />, handle: { load: loadObservePage, plain: true } },
      { path: 'm/agri/questions', element: <FarmQuestionsPage />, handle: { load: loadFarmQuestionsPage, plain: true } },
      { path: 'm/agri/questions/:id', element: <FarmQuestionPage />, handle: { load: loadFarmQuestionPage, plain: true } },
      { path: 'agri', element: <AgriDeskPage />, handle: { load: loadAgriDeskPage } },
      { path: 'agri/questions', element: <AgriQuestionsDeskPage />, handle: { load: loadAgriQuestionsDeskPage } },
      { path: 'agri/advice', element: <AdviceLibraryPage />, handle: { load: loadAdviceLibraryPage } },
      { path: 'agri/weather', element: <WeatherPage />, handle: { load: loadWeatherPage } },
      { path: 'agri/observations', element: <AgriObservationsPage />, handle: { load: loadAgriObservationsPage } },
      { path: 'agri/figures', element: <AgriFiguresPage />, handle: { load: loadAgriFiguresPage } },
    ],
  },
];

// Every page's failures and unknown addresses end on our own page, in Chinese, with a way home.
export const routes: RouteObject[] = [{ errorElement: <RouteErrorPage />, children: [...pages, { path: '*', element: <NotFoundPage /> }] }];

/** Made by the app's start (start.tsx), in a task of its own, or by main.tsx for an address staticMatches does not know. */
export function createRouter() {
  return createBrowserRouter(routes);
}

type Match = { route: { handle?: unknown } };
let staticAddresses: Map<string, Match[]> | undefined;

/**
 * The routes along the way to an address without parameters (every phone page: /, /m/points …), found
 * by walking the route table once, or undefined for any other address (main.tsx then asks the
 * router). Making the router compiles and ranks every route's pattern and writes the history entry,
 * some 35 % of the entry's evaluation, which was a single task of 30-75 ms on this machine (one of
 * the longest of a phone page's load, and Lighthouse multiplies it by 4): main.tsx starts the page's
 * downloads from this lookup and the router is made in a task of its own (start.tsx). React Router
 * ranks a route without parameters above any with them, so an exact hit here is the route the
 * router picks; addresses that differ only in case or end in a slash are left to the router.
 */
export function staticMatches(pathname: string): Match[] | undefined {
  if (!staticAddresses) {
    staticAddresses = new Map();
    const walk = (list: RouteObject[], base: string, along: Match[]) => {
      for (const route of list) {
        const path = route.path === undefined ? base : `${base.replace(/\/$/, '')}/${route.path.replace(/^\//, '')}`;
        if (/[:*?]/.test(path)) continue;
        const chain = [...along, { route }];
        if (route.children) walk(route.children, path, chain);
        else if ((route.index || route.path !== undefined) && !staticAddresses?.has(path || '/')) staticAddresses?.set(path || '/', chain);
      }
    };
    walk(routes, '', []);
  }
  return staticAddresses.get(pathname);
}

/**
 * Starts downloading the chunks of every route that matches the address (the router's matches: the
 * layout and the page) at once, before anything renders. Left to React.lazy, the page's chunk is
 * asked for only after the layout's has arrived, run and rendered: one more round trip on a slow
 * phone network before the page can draw. Says whether the page will ask who is signed in (the
 * layout, login and enrolment pages), so that main.tsx can ask now too. A route's `prefetch` asks
 * for what its page reads first: at once when that needs nobody signed in (the login page: whether
 * this is the demo county), else once the session has answered (whenSignedIn in lib/session.ts).
 * `arrived` settles when the chunks are in (or failed): the first render waits for it, and draws
 * them in one pass.
 */
export function preloadPage(
  matches: readonly { route: { handle?: unknown } }[],
  client: QueryClient,
): { asksForSession: boolean; arrived: Promise<void> } {
  let asksForSession = false;
  const loads: Promise<unknown>[] = [];
  for (const match of matches) {
    const handle = match.route.handle as
      | { load?: () => Promise<PageModule>; asksForSession?: boolean; prefetch?: (client: QueryClient) => void }
      | undefined;
    const load = handle?.load;
    if (load) {
      // A failed download is React.lazy's to report, when it asks for the same chunk.
      loads.push(
        load().then(
          (module) => void arrived.set(load, module),
          () => undefined,
        ),
      );
    }
    handle?.prefetch?.(client);
    asksForSession ||= handle?.asksForSession === true;
  }
  return { asksForSession, arrived: Promise.all(loads).then(() => undefined) };
}
