import { MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Space, Spin } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { AntdTheme } from '../components/AntdTheme.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { can, useLogout, useSession } from '../lib/session.ts';

/** The menu follows the permissions the server granted this session. */
function useMenuItems() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const staff = session?.user.assignments.some((a) => a.role !== 'villager' && a.role !== 'familyMember');
  const items: { key: string; label: string }[] = [{ key: '/', label: t('nav.home') }];
  if (session?.user.householdId && !staff) {
    items.push(
      { key: '/m/report', label: t('cases.nav.report') },
      { key: '/m/cases', label: t('cases.nav.mine') },
      { key: '/m/points', label: t('points.nav.mine') },
      { key: `/households/${session.user.householdId}`, label: t('nav.myHousehold') },
    );
  }
  if (session?.user.assignments.some((a) => a.role === 'gridWorker')) items.push({ key: '/m/tasks', label: t('cases.nav.tasks') });
  if (staff && (can(session, 'cases.read') || session?.user.assignments.some((a) => a.role === 'departmentHandler'))) {
    items.push({ key: '/cases', label: t('cases.nav.desk') });
  }
  if (can(session, 'cases.read')) items.push({ key: '/cases/statistics', label: t('cases.nav.statistics') });
  if (can(session, 'cases.configure')) items.push({ key: '/cases/config', label: t('cases.config.title') });
  if (session?.user.assignments.some((a) => (a.role === 'pointsKeeper' || a.role === 'villageCadre') && a.regionLevel === 'village')) {
    items.push({ key: '/points', label: t('points.nav.keeper') });
  }
  // Family members see the elders linked to them on their phone page; carers see the duty screen.
  if (session?.user.assignments.some((a) => a.role === 'familyMember')) items.push({ key: '/m/family', label: t('care.nav.family') });
  if (session?.user.assignments.some((a) => a.role === 'caretaker')) items.push({ key: '/m/rounds', label: t('care.nav.rounds') });
  if (can(session, 'care.read')) items.push({ key: '/care', label: t('care.nav.duty') });
  if (session?.user.householdId || session?.user.assignments.some((a) => a.role === 'serviceHallAgent')) {
    items.push({ key: '/m/services', label: t('nav.services') });
  }
  if (session?.user.householdId) items.push({ key: '/m/notices', label: t('nav.notices') });
  // The county admin oversees applications; the system administrator keeps the catalogue there.
  if (
    session?.user.assignments.some((a) => a.role === 'departmentHandler' || a.role === 'countyAdmin') ||
    can(session, 'services.catalogue')
  ) {
    items.push({ key: '/services', label: t('nav.servicesDesk') });
  }
  if (can(session, 'notices.write')) items.push({ key: '/notices', label: t('nav.noticesDesk') });
  if (session) items.push({ key: '/notifications', label: t('cases.nav.notifications') });
  if (staff && can(session, 'org.read')) {
    items.push(
      { key: '/regions', label: t('nav.regions') },
      { key: '/households', label: t('nav.households') },
      { key: '/people', label: t('nav.people') },
    );
  }
  if (can(session, 'user.manage')) items.push({ key: '/users', label: t('nav.users') });
  if (can(session, 'audit.read')) items.push({ key: '/audit', label: t('nav.audit') });
  // Staff not forced to enrol set up the authenticator app of their own accord; the page says when it is on.
  if (staff) items.push({ key: '/totp-enrolment', label: t('nav.twoStep') });
  return items;
}

function NavList({ items, selected, onNavigate }: { items: { key: string; label: string }[]; selected: string[]; onNavigate(): void }) {
  return (
    <nav>
      <ul className="nav-list">
        {items.map((item) => (
          <li key={item.key}>
            <Link to={item.key} className={selected.includes(item.key) ? 'active' : undefined} onClick={onNavigate}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AppLayout() {
  return (
    <AntdTheme>
      <Shell />
    </AntdTheme>
  );
}

function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const items = useMenuItems();

  if (session.isLoading) return <Spin fullscreen />;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  // The county requires an authenticator app of this account: nothing else opens until it is set up.
  if (session.data.totpEnrolmentRequired) return <Navigate to="/totp-enrolment" replace />;

  // The most specific entry is the one lit: /cases/statistics is not also /cases.
  const matching = items.filter((i) => location.pathname === i.key || (i.key !== '/' && location.pathname.startsWith(`${i.key}/`)));
  const selected = matching
    .sort((a, b) => b.key.length - a.key.length)
    .slice(0, 1)
    .map((i) => i.key);
  const menu = <NavList items={items} selected={selected} onNavigate={() => setDrawerOpen(false)} />;
  const desk = screens.md;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {desk && (
        <Layout.Sider theme="light" width={208}>
          <div className="brand">{t('app.name')}</div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="app-header">
          <Space>
            {!desk && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label="menu" />}
            {!desk && <span className="brand-inline">{t('app.name')}</span>}
          </Space>
          <Space size={4}>
            <span className="user-name">{session.data.user.displayName}</span>
            <LanguageSwitch />
            <Button type="text" onClick={() => logout.mutate()}>
              {t('nav.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" width={240} title={t('app.name')}>
        {menu}
      </Drawer>
    </Layout>
  );
}
