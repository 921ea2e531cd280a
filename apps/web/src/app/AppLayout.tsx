// The frame of every signed-in page, in plain HTML and CSS: the phone pages' first load carries no
// UI library for it (antd's provider wraps only the page inside, for the pages that use antd).
import { Component, lazy, type ReactNode, Suspense, useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useMatches } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { PageLoading } from '../components/PageLoading.tsx';
import { SideDrawer } from '../components/SideDrawer.tsx';
import { ApiError } from '../lib/api-client.ts';
import { useLogout, useSession } from '../lib/session.ts';
import { useMediaQuery } from '../lib/use-media-query.ts';
import { NeedsNetworkPage } from './ErrorPage.tsx';
import { useMenuItems, useMenuKeys } from './home/menu-items.ts';

const HeaderTools = lazy(() => import('./home/HeaderTools.tsx'));

/**
 * The header tools are an extra: when their chunk cannot be fetched (offline, on a phone that never
 * loaded them online: they are not among the service worker's precached chunks), the page goes on
 * without them instead of failing whole.
 */
class WithoutOnFailure extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Three lines, the menu's sign. */
function MenuIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1.2em" height="1.2em" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M4 6h16M4 12h16M4 18h16" strokeLinecap="round" />
    </svg>
  );
}

/** A house, drawn inline: an icon component would add to what every phone page loads first. */
function HouseIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1.2em" height="1.2em" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5" strokeLinejoin="round" />
    </svg>
  );
}

// The desk pages and the words of their menu entries. A typed address opens one only for someone
// whose menu has it: the rest get a refusal in words, not an empty table of what they may not see.
const DESK_PAGES: Record<string, string> = {
  '/regions': 'nav.regions',
  '/households': 'nav.households',
  '/people': 'nav.people',
  '/users': 'nav.users',
  '/audit': 'nav.audit',
  '/cases': 'cases.nav.desk',
  '/cases/statistics': 'cases.nav.statistics',
  '/cases/config': 'cases.config.title',
  '/care': 'care.nav.duty',
  '/services': 'nav.servicesDesk',
  '/notices': 'nav.noticesDesk',
  '/points': 'points.nav.keeper',
  '/cameras': 'nav.cameras',
  '/cameras/findings': 'nav.findings',
  '/evidence': 'nav.evidenceDesk',
  '/screen-keys': 'nav.screenKeys',
  '/m/evidence': 'nav.evidence',
  // A caretaker's own list: anyone else found an empty 今日探访 (还有0位待探访).
  '/m/rounds': 'care.nav.rounds',
  '/agri': 'nav.agriDesk',
  '/agri/questions': 'nav.agriQuestions',
  '/agri/advice': 'nav.agriAdvice',
  '/agri/weather': 'nav.agriWeather',
  '/agri/observations': 'nav.agriObservations',
  '/agri/figures': 'nav.agriFigures',
};

// antd's provider, downloaded only for the pages that draw antd (the desk pages). The phone pages are
// marked `plain` in router.tsx and draw none (app/plain-pages.test.ts holds them to it): the provider
// alone computed antd's whole theme and registered its icon styles, the largest single piece of a
// phone page's start-up work.
const AntdTheme = lazy(() => import('../components/AntdTheme.tsx').then((m) => ({ default: m.AntdTheme })));

function PageTheme({ children }: { children: ReactNode }) {
  const plain = useMatches().some((match) => (match.handle as { plain?: boolean } | undefined)?.plain === true);
  if (plain) return children;
  return (
    <Suspense fallback={<PageLoading />}>
      <AntdTheme>{children}</AntdTheme>
    </Suspense>
  );
}

function NoAccess({ page }: { page: string }) {
  const { t } = useTranslation();
  return (
    <div className="error-page" data-testid="no-access">
      <h1>{t('noAccess.title', { page })}</h1>
      <p>{t('noAccess.detail')}</p>
      <Link to="/" className="big-button big-button-primary error-page-home">
        {t('noAccess.home')}
      </Link>
    </div>
  );
}

/** The menu's entries with their words, looked up only when the menu is drawn (useMenuKeys). */
function NavList({
  selected,
  replace,
  onNavigate,
}: {
  selected: string[];
  /** From the open drawer: the page opened takes the place of the drawer's history entry (SideDrawer's useBackCloses), so back returns to the page it was opened on. */
  replace: boolean;
  onNavigate(): void;
}) {
  const items = useMenuItems();
  return (
    <nav>
      <ul className="nav-list">
        {items.map((item) => (
          <li key={item.key}>
            <Link to={item.key} replace={replace} className={selected.includes(item.key) ? 'active' : undefined} onClick={onNavigate}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  // The session's answer is drawn as a transition, in slices: it arrives through react-query's store,
  // whose updates React renders in one piece, and with it the whole frame and page would draw in one
  // long task (a slow phone could not answer a tap meanwhile). Until then the spinner stays.
  const live = useSession();
  // undefined while asking, null when nobody is signed in (or the question failed).
  const session = useDeferredValue(live.isLoading ? undefined : (live.data ?? null));
  const logout = useLogout();
  const location = useLocation();
  // antd's md breakpoint, where the menu moves from the drawer to a column of its own.
  const desk = useMediaQuery('(min-width: 768px)');
  const [drawerOpen, setDrawerOpen] = useState(false);
  const keys = useMenuKeys();

  if (session === undefined) return <PageLoading fullscreen />;
  // The server did not answer who is signed in (no network, and this page's reads are not kept for
  // offline use: a desk page's never are): that is no sign-out, and the login form would say it was
  // (newcomer). The session is asked again when the network is back (react-query), and the page opens.
  if (!session && live.error instanceof ApiError && live.error.code === 'network') return <NeedsNetworkPage />;
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  // The password is one someone else chose (an administrator's): nothing else opens until it is changed.
  if (session.passwordChangeRequired) return <Navigate to="/password" replace />;
  // The county requires an authenticator app of this account: nothing else opens until it is set up.
  if (session.totpEnrolmentRequired) return <Navigate to="/totp-enrolment" replace />;

  // The most specific entry is the one lit: /cases/statistics is not also /cases.
  const matching = keys.filter((key) => location.pathname === key || (key !== '/' && location.pathname.startsWith(`${key}/`)));
  const selected = matching.sort((a, b) => b.length - a.length).slice(0, 1);
  const refusedPage = DESK_PAGES[location.pathname];
  const refused = refusedPage !== undefined && !keys.includes(location.pathname);
  const menu = <NavList selected={selected} replace={!desk && drawerOpen} onNavigate={() => setDrawerOpen(false)} />;

  return (
    <div className="app-shell">
      {desk && (
        <aside className="app-sider">
          <div className="brand">{t('app.name')}</div>
          {menu}
        </aside>
      )}
      <div className="app-main">
        <header className="app-header">
          {desk ? (
            <span />
          ) : (
            <div className="app-header-nav">
              <button type="button" className="header-button" onClick={() => setDrawerOpen(true)} aria-haspopup="dialog">
                <MenuIcon /> {t('nav.menu')}
              </button>
              {/* Home is one tap away on every phone page, whatever the page and however deep. */}
              <Link to="/" className={`header-button home-button${location.pathname === '/' ? ' active' : ''}`}>
                <HouseIcon /> {t('nav.home')}
              </Link>
            </div>
          )}
          {/* Sized before the tools' chunk arrives (styles.css), so the page below does not move when they do. */}
          <div className={location.pathname === '/' ? 'app-header-tools' : 'app-header-tools with-header-tools'}>
            {/* The home page shows both large in its greeting; twice on one phone screen would crowd the header. */}
            {location.pathname !== '/' && (
              <WithoutOnFailure>
                <Suspense fallback={null}>
                  <HeaderTools />
                </Suspense>
              </WithoutOnFailure>
            )}
            {desk && (
              <>
                <span className="user-name">{session.user.displayName}</span>
                <LanguageSwitch />
                <button type="button" className="header-button" onClick={() => logout.mutate()}>
                  {t('nav.logout')}
                </button>
              </>
            )}
          </div>
        </header>
        <main className="app-content">
          <PageTheme>
            <Suspense fallback={<PageLoading />}>
              {/* The read-aloud button reads this: the page's own text, not the header or menu. */}
              <div data-read-aloud>{refused ? <NoAccess page={t(refusedPage)} /> : <Outlet />}</div>
            </Suspense>
          </PageTheme>
        </main>
      </div>
      {!desk && (
        <SideDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} title={t('app.name')} closeLabel={t('nav.closeMenu')}>
          {menu}
          {/* On a phone the header keeps only what is used most; who is signed in, the language and logging out live here. */}
          <div className="drawer-footer">
            <span className="user-name-drawer">{session.user.displayName}</span>
            <LanguageSwitch />
            <button type="button" className="header-button drawer-logout" onClick={() => logout.mutate()}>
              {t('nav.logout')}
            </button>
          </div>
        </SideDrawer>
      )}
    </div>
  );
}
