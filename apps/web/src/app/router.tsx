import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { createBrowserRouter, matchRoutes, type RouteObject } from 'react-router';
import { prefetchPlatformInfo } from '../features/auth/api/platform-info.ts';
import { prefetchFamilyPage } from '../features/care/api/care.ts';
import { prefetchPointsPage } from '../features/points/api/points.ts';
import { prefetchServicesPage } from '../features/services/api/services.ts';
// Elder mode is a choice of this device: set <html data-elder> before the first page draws.
import '../lib/elder-mode.ts';
import { NotFoundPage, RouteErrorPage } from './ErrorPage.tsx';

// Every page is its own chunk: the login and phone pages never load the desk pages or charts. Each
// route's handle keeps its loader, so that preloadPage can start the chunks an address needs at once.
const loadAppLayout = () => import('./AppLayout.tsx').then((m) => ({ default: m.AppLayout }));
const AppLayout = lazy(loadAppLayout);
const loadLoginPage = () => import('../features/auth/components/LoginPage.tsx');
const LoginPage = lazy(loadLoginPage);
const loadTotpEnrolmentPage = () => import('../features/auth/components/TotpEnrolmentPage.tsx');
const TotpEnrolmentPage = lazy(loadTotpEnrolmentPage);
const loadHomePage = () => import('./HomePage.tsx');
const HomePage = lazy(loadHomePage);
const loadRegionsPage = () => import('../features/org/components/RegionsPage.tsx');
const RegionsPage = lazy(loadRegionsPage);
const loadHouseholdsPage = () => import('../features/org/components/HouseholdsPage.tsx');
const HouseholdsPage = lazy(loadHouseholdsPage);
const loadHouseholdDetailPage = () => import('../features/org/components/HouseholdDetailPage.tsx');
const HouseholdDetailPage = lazy(loadHouseholdDetailPage);
const loadPeoplePage = () => import('../features/org/components/PeoplePage.tsx');
const PeoplePage = lazy(loadPeoplePage);
const loadUsersPage = () => import('../features/org/components/UsersPage.tsx');
const UsersPage = lazy(loadUsersPage);
const loadAuditPage = () => import('../features/audit/components/AuditPage.tsx');
const AuditPage = lazy(loadAuditPage);
const loadReportPage = () => import('../features/cases/components/ReportPage.tsx');
const ReportPage = lazy(loadReportPage);
const loadMyCasesPage = () => import('../features/cases/components/MyCasesPage.tsx');
const MyCasesPage = lazy(loadMyCasesPage);
const loadTasksPage = () => import('../features/cases/components/TasksPage.tsx');
const TasksPage = lazy(loadTasksPage);
const loadCasesDeskPage = () => import('../features/cases/components/CasesDeskPage.tsx');
const CasesDeskPage = lazy(loadCasesDeskPage);
const loadCaseDetailPage = () => import('../features/cases/components/CaseDetailPage.tsx');
const CaseDetailPage = lazy(loadCaseDetailPage);
const loadStatisticsPage = () => import('../features/cases/components/StatisticsPage.tsx');
const StatisticsPage = lazy(loadStatisticsPage);
const loadPublicVillagesPage = () =>
  import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagesPage }));
const PublicVillagesPage = lazy(loadPublicVillagesPage);
const loadPublicVillagePage = () => import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagePage }));
const PublicVillagePage = lazy(loadPublicVillagePage);
const loadMyPointsPage = () => import('../features/points/components/MyPointsPage.tsx');
const MyPointsPage = lazy(loadMyPointsPage);
const loadKeeperPage = () => import('../features/points/components/KeeperPage.tsx');
const KeeperPage = lazy(loadKeeperPage);
const loadCasesConfigPage = () => import('../features/cases/components/CasesConfigPage.tsx');
const CasesConfigPage = lazy(loadCasesConfigPage);
const loadCarePage = () => import('../features/care/components/CarePage.tsx');
const CarePage = lazy(loadCarePage);
const loadElderCarePage = () => import('../features/care/components/ElderCarePage.tsx');
const ElderCarePage = lazy(loadElderCarePage);
const loadFamilyCarePage = () => import('../features/care/components/FamilyCarePage.tsx');
const FamilyCarePage = lazy(loadFamilyCarePage);
const loadFamilyCallPage = () => import('../features/calls/components/FamilyCallPage.tsx');
const FamilyCallPage = lazy(loadFamilyCallPage);
const loadHomeDevicePage = () => import('../features/calls/components/HomeDevicePage.tsx');
const HomeDevicePage = lazy(loadHomeDevicePage);
const loadRoundsPage = () => import('../features/care/components/RoundsPage.tsx');
const RoundsPage = lazy(loadRoundsPage);
const loadServicesPage = () => import('../features/services/components/ServicesPage.tsx');
const ServicesPage = lazy(loadServicesPage);
const loadApplicationPage = () => import('../features/services/components/ApplicationPage.tsx');
const ApplicationPage = lazy(loadApplicationPage);
const loadServicesDeskPage = () => import('../features/services/components/ServicesDeskPage.tsx');
const ServicesDeskPage = lazy(loadServicesDeskPage);
const loadNoticesPage = () => import('../features/notices/components/NoticesPage.tsx');
const NoticesPage = lazy(loadNoticesPage);
const loadNoticesDeskPage = () => import('../features/notices/components/NoticesDeskPage.tsx');
const NoticesDeskPage = lazy(loadNoticesDeskPage);
const loadEvidencePage = () => import('../features/evidence/components/EvidencePage.tsx');
const EvidencePage = lazy(loadEvidencePage);
const loadEvidenceDeskPage = () => import('../features/evidence/components/EvidenceDeskPage.tsx');
const EvidenceDeskPage = lazy(loadEvidenceDeskPage);
const loadScreenKeysPage = () => import('../features/dashboard/components/ScreenKeysPage.tsx');
const ScreenKeysPage = lazy(loadScreenKeysPage);
const loadNotificationsPage = () => import('../features/notifications/components/NotificationsPage.tsx');
const NotificationsPage = lazy(loadNotificationsPage);
const loadCamerasPage = () => import('../features/monitoring/components/CamerasPage.tsx');
const CamerasPage = lazy(loadCamerasPage);
const loadLiveViewPage = () => import('../features/monitoring/components/LiveViewPage.tsx');
const LiveViewPage = lazy(loadLiveViewPage);
const loadFindingsPage = () => import('../features/monitoring/components/FindingsPage.tsx');
const FindingsPage = lazy(loadFindingsPage);
const loadFindingDetailPage = () => import('../features/monitoring/components/FindingDetailPage.tsx');
const FindingDetailPage = lazy(loadFindingDetailPage);
const loadFarmPage = () => import('../features/monitoring/components/FarmPage.tsx');
const FarmPage = lazy(loadFarmPage);
const loadPovertyDeskPage = () => import('../features/poverty/components/PovertyDeskPage.tsx');
const PovertyDeskPage = lazy(loadPovertyDeskPage);
const loadPovertyFilePage = () => import('../features/poverty/components/PovertyFilePage.tsx');
const PovertyFilePage = lazy(loadPovertyFilePage);
const loadPovertyFiguresPage = () => import('../features/poverty/components/PovertyFiguresPage.tsx');
const PovertyFiguresPage = lazy(loadPovertyFiguresPage);
const loadPovertyVisitsPage = () => import('../features/poverty/components/PovertyVisitsPage.tsx');
const PovertyVisitsPage = lazy(loadPovertyVisitsPage);
const loadPovertySelfReportPage = () => import('../features/poverty/components/SelfReportPage.tsx');
const PovertySelfReportPage = lazy(loadPovertySelfReportPage);
const loadMyFarmPage = () => import('../features/agri/components/MyFarmPage.tsx');
const MyFarmPage = lazy(loadMyFarmPage);
const loadObservePage = () => import('../features/agri/components/ObservePage.tsx');
const ObservePage = lazy(loadObservePage);
const loadFarmQuestionsPage = () => import('../features/agri/components/FarmQuestionsPage.tsx');
const FarmQuestionsPage = lazy(loadFarmQuestionsPage);
const loadFarmQuestionPage = () => import('../features/agri/components/FarmQuestionPage.tsx');
const FarmQuestionPage = lazy(loadFarmQuestionPage);
const loadAgriDeskPage = () => import('../features/agri/components/AgriDeskPage.tsx');
const AgriDeskPage = lazy(loadAgriDeskPage);
const loadAgriQuestionsDeskPage = () => import('../features/agri/components/AgriQuestionsDeskPage.tsx');
const AgriQuestionsDeskPage = lazy(loadAgriQuestionsDeskPage);
const loadAdviceLibraryPage = () => import('../features/agri/components/AdviceLibraryPage.tsx');
const AdviceLibraryPage = lazy(loadAdviceLibraryPage);
const loadWeatherPage = () => import('../features/agri/components/WeatherPage.tsx');
const WeatherPage = lazy(loadWeatherPage);
const loadAgriObservationsPage = () => import('../features/agri/components/AgriObservationsPage.tsx');
const AgriObservationsPage = lazy(loadAgriObservationsPage);
const loadAgriFiguresPage = () => import('../features/agri/components/AgriFiguresPage.tsx');
const AgriFiguresPage = lazy(loadAgriFiguresPage);
const loadScreenPage = () => import('../features/dashboard/components/ScreenPage.tsx');
const ScreenPage = lazy(loadScreenPage);

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
const routes: RouteObject[] = [{ errorElement: <RouteErrorPage />, children: [...pages, { path: '*', element: <NotFoundPage /> }] }];

/** Made by main.tsx once the page's downloads have started, in a task of its own (see there). */
export function createRouter() {
  return createBrowserRouter(routes);
}

/**
 * Starts downloading the chunks of every route that matches the address (the layout and the page)
 * at once, before anything renders. Left to React.lazy, the page's chunk is asked for only after the
 * layout's has arrived, run and rendered: one more round trip on a slow phone network before the
 * page can draw. Says whether the page will ask who is signed in (the layout, login and enrolment
 * pages), so that main.tsx can ask now too. A route's `prefetch` asks for what its page reads
 * first: at once when that needs nobody signed in (the login page: whether this is the demo
 * county), else once the session has answered (whenSignedIn in lib/session.ts).
 */
export function preloadPage(pathname: string, client: QueryClient): { asksForSession: boolean } {
  let asksForSession = false;
  for (const match of matchRoutes(routes, pathname) ?? []) {
    const handle = match.route.handle as
      | { load?: () => Promise<unknown>; asksForSession?: boolean; prefetch?: (client: QueryClient) => void }
      | undefined;
    // A failed download is React.lazy's to report, when it asks for the same chunk.
    handle?.load?.().catch(() => undefined);
    handle?.prefetch?.(client);
    asksForSession ||= handle?.asksForSession === true;
  }
  return { asksForSession };
}
