import { lazy, Suspense } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
// Elder mode is a choice of this device: set <html data-elder> before the first page draws.
import '../lib/elder-mode.ts';
import { NotFoundPage, RouteErrorPage } from './ErrorPage.tsx';

// Every page is its own chunk: the login and phone pages never load the desk pages or charts.
const AppLayout = lazy(() => import('./AppLayout.tsx').then((m) => ({ default: m.AppLayout })));
const LoginPage = lazy(() => import('../features/auth/components/LoginPage.tsx'));
const TotpEnrolmentPage = lazy(() => import('../features/auth/components/TotpEnrolmentPage.tsx'));
const HomePage = lazy(() => import('./HomePage.tsx'));
const RegionsPage = lazy(() => import('../features/org/components/RegionsPage.tsx'));
const HouseholdsPage = lazy(() => import('../features/org/components/HouseholdsPage.tsx'));
const HouseholdDetailPage = lazy(() => import('../features/org/components/HouseholdDetailPage.tsx'));
const PeoplePage = lazy(() => import('../features/org/components/PeoplePage.tsx'));
const UsersPage = lazy(() => import('../features/org/components/UsersPage.tsx'));
const AuditPage = lazy(() => import('../features/audit/components/AuditPage.tsx'));
const ReportPage = lazy(() => import('../features/cases/components/ReportPage.tsx'));
const MyCasesPage = lazy(() => import('../features/cases/components/MyCasesPage.tsx'));
const TasksPage = lazy(() => import('../features/cases/components/TasksPage.tsx'));
const CasesDeskPage = lazy(() => import('../features/cases/components/CasesDeskPage.tsx'));
const CaseDetailPage = lazy(() => import('../features/cases/components/CaseDetailPage.tsx'));
const StatisticsPage = lazy(() => import('../features/cases/components/StatisticsPage.tsx'));
const PublicVillagesPage = lazy(() =>
  import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagesPage })),
);
const PublicVillagePage = lazy(() =>
  import('../features/public/components/PublicPages.tsx').then((m) => ({ default: m.PublicVillagePage })),
);
const MyPointsPage = lazy(() => import('../features/points/components/MyPointsPage.tsx'));
const KeeperPage = lazy(() => import('../features/points/components/KeeperPage.tsx'));
const CasesConfigPage = lazy(() => import('../features/cases/components/CasesConfigPage.tsx'));
const CarePage = lazy(() => import('../features/care/components/CarePage.tsx'));
const ElderCarePage = lazy(() => import('../features/care/components/ElderCarePage.tsx'));
const FamilyCarePage = lazy(() => import('../features/care/components/FamilyCarePage.tsx'));
const RoundsPage = lazy(() => import('../features/care/components/RoundsPage.tsx'));
const ServicesPage = lazy(() => import('../features/services/components/ServicesPage.tsx'));
const ApplicationPage = lazy(() => import('../features/services/components/ApplicationPage.tsx'));
const ServicesDeskPage = lazy(() => import('../features/services/components/ServicesDeskPage.tsx'));
const NoticesPage = lazy(() => import('../features/notices/components/NoticesPage.tsx'));
const NoticesDeskPage = lazy(() => import('../features/notices/components/NoticesDeskPage.tsx'));
const NotificationsPage = lazy(() => import('../features/notifications/components/NotificationsPage.tsx'));

const pages: RouteObject[] = [
  {
    path: '/login',
    element: (
      <Suspense fallback={null}>
        <LoginPage />
      </Suspense>
    ),
  },
  // Outside the layout: a session that must enrol first may open nothing else.
  {
    path: '/totp-enrolment',
    element: (
      <Suspense fallback={null}>
        <TotpEnrolmentPage />
      </Suspense>
    ),
  },
  // 村务公开: no login.
  {
    path: '/public',
    element: (
      <Suspense fallback={null}>
        <PublicVillagesPage />
      </Suspense>
    ),
  },
  {
    path: '/public/villages/:id',
    element: (
      <Suspense fallback={null}>
        <PublicVillagePage />
      </Suspense>
    ),
  },
  {
    element: (
      <Suspense fallback={null}>
        <AppLayout />
      </Suspense>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'regions', element: <RegionsPage /> },
      { path: 'households', element: <HouseholdsPage /> },
      { path: 'households/:id', element: <HouseholdDetailPage /> },
      { path: 'people', element: <PeoplePage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'm/report', element: <ReportPage /> },
      { path: 'm/cases', element: <MyCasesPage /> },
      { path: 'm/tasks', element: <TasksPage /> },
      { path: 'cases', element: <CasesDeskPage /> },
      { path: 'cases/statistics', element: <StatisticsPage /> },
      { path: 'cases/config', element: <CasesConfigPage /> },
      { path: 'cases/:id', element: <CaseDetailPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'care', element: <CarePage /> },
      { path: 'care/elders/:id', element: <ElderCarePage /> },
      { path: 'm/family', element: <FamilyCarePage /> },
      { path: 'm/rounds', element: <RoundsPage /> },
      { path: 'm/services', element: <ServicesPage /> },
      { path: 'm/services/applications/:id', element: <ApplicationPage /> },
      { path: 'services', element: <ServicesDeskPage /> },
      { path: 'm/notices', element: <NoticesPage /> },
      { path: 'notices', element: <NoticesDeskPage /> },
      { path: 'm/points', element: <MyPointsPage /> },
      { path: 'points', element: <KeeperPage /> },
    ],
  },
];

// Every page's failures and unknown addresses end on our own page, in Chinese, with a way home.
export const router = createBrowserRouter([
  { errorElement: <RouteErrorPage />, children: [...pages, { path: '*', element: <NotFoundPage /> }] },
]);
