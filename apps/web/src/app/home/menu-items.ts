// What this session may open, in the order the menu and the home tiles show it. The list follows
// the permissions the server granted: the layout's menu and the home page's tiles are the same
// pages, so that nothing is reachable from one and missing from the other.
import type { SessionInfo } from '@cunzhi/contracts/auth';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { can, useSession } from '../../lib/session.ts';

export type MenuItem = { key: string; label: string };

/** Staff: anyone with a role other than villager or family member. */
function isStaff(session: SessionInfo | null | undefined): boolean {
  return Boolean(session?.user.assignments.some((a) => a.role !== 'villager' && a.role !== 'familyMember'));
}

// The list is built once per session and language, not on every render of the layout and the home
// page: each entry's words cost an i18next lookup (some 15 µs, four times that on a slow phone), and
// both render several times while the home page starts (profile of a villager's home page, 2026-12).
// The session object stays the same until its query brings a different answer (react-query shares
// what did not change), so it keys the cache.
const built = new WeakMap<object, { language: string; items: MenuItem[] }>();
const NOBODY = {};

export function useMenuItems(): MenuItem[] {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const key = session ?? NOBODY;
  const cached = built.get(key);
  if (cached?.language === i18n.language) return cached.items;
  const items = menuItems(session, t);
  built.set(key, { language: i18n.language, items });
  return items;
}

/**
 * The menu's addresses without their words: what the layout needs on every page (which entry is lit,
 * whether a typed desk address is refused). The words are looked up only where the list is drawn (the
 * menu, once opened on a phone, and the home page's tiles): in CPU profiles of the points page's load
 * (4× CPU slowdown, as Lighthouse's phone) the layout's first render took 52 ms, 36 of them looking up
 * the words of a menu that stays closed, in one piece of React's rendering that cannot be sliced.
 */
const keysBuilt = new WeakMap<object, string[]>();
const keyOnly = ((key: string) => key) as unknown as TFunction;

export function useMenuKeys(): string[] {
  const { data: session } = useSession();
  const key = session ?? NOBODY;
  let keys = keysBuilt.get(key);
  if (!keys) {
    keys = menuItems(session, keyOnly).map((item) => item.key);
    keysBuilt.set(key, keys);
  }
  return keys;
}

/**
 * The menu's addresses with the i18next keys of their words, for the home page's tiles, which each
 * look up their own words as they draw: React renders each tile as a piece of its own and can stop
 * between them, where the whole list's words looked up in the page's own render were one piece that
 * cannot be sliced (in a trace of the home page's load at 4× CPU slowdown, 2026-12-03, on a busy
 * machine, the page's own render was one piece of about 190 ms, most of it the menu's words).
 */
export type MenuEntry = { key: string; labelKey: string };
const entriesBuilt = new WeakMap<object, MenuEntry[]>();

export function useMenuEntries(): MenuEntry[] {
  const { data: session } = useSession();
  const key = session ?? NOBODY;
  let entries = entriesBuilt.get(key);
  if (!entries) {
    entries = menuItems(session, keyOnly).map((item) => ({ key: item.key, labelKey: item.label }));
    entriesBuilt.set(key, entries);
  }
  return entries;
}

function menuItems(session: SessionInfo | null | undefined, t: TFunction): MenuItem[] {
  const staff = isStaff(session);
  const items: MenuItem[] = [{ key: '/', label: t('nav.home') }];
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
  // A villager sees the family page too: the elders of their family who agreed to be linked.
  if (session?.user.assignments.some((a) => a.role === 'familyMember') || (session?.user.householdId && !staff))
    items.push({ key: '/m/family', label: t('care.nav.family') });
  if (session?.user.assignments.some((a) => a.role === 'caretaker')) items.push({ key: '/m/rounds', label: t('care.nav.rounds') });
  if (can(session, 'care.read')) items.push({ key: '/care', label: t('care.nav.duty') });
  if (session?.user.householdId || session?.user.assignments.some((a) => a.role === 'serviceHallAgent')) {
    items.push({ key: '/m/services', label: t('nav.services') });
  }
  if (session?.user.householdId) items.push({ key: '/m/notices', label: t('nav.notices') });
  // Evidence for the police: the township's liaison asks and downloads; the cadres of the cameras' places decide.
  if (can(session, 'evidence.request')) items.push({ key: '/m/evidence', label: t('nav.evidence') });
  if (can(session, 'evidence.decide')) items.push({ key: '/evidence', label: t('nav.evidenceDesk') });
  // Return-to-poverty monitoring: the offices' desk and figures, the grid worker's visits on the
  // phone, and the household's own report of a difficulty.
  if (staff && can(session, 'poverty.read')) {
    items.push({ key: '/poverty', label: t('nav.poverty') }, { key: '/poverty/figures', label: t('nav.povertyFigures') });
  }
  if (session?.user.assignments.some((a) => a.role === 'gridWorker')) items.push({ key: '/m/poverty', label: t('nav.povertyVisits') });
  if (session?.user.householdId && !staff) items.push({ key: '/m/poverty/report', label: t('nav.povertySelfReport') });
  // The household's farm: its plots and flocks, what it saw, the advice it was sent, its questions.
  if (session?.user.householdId && !staff) items.push({ key: '/m/agri', label: t('nav.agri') });
  // The household's farm cameras (its plots and flocks), until the agriculture module links here.
  if (session?.user.householdId && !staff) items.push({ key: '/m/farm', label: t('nav.farm') });
  if (can(session, 'monitoring.view') || can(session, 'monitoring.manage')) {
    items.push({ key: '/m/cameras', label: t('nav.liveView') }, { key: '/cameras/findings', label: t('nav.findings') });
  }
  if (can(session, 'monitoring.manage')) items.push({ key: '/cameras', label: t('nav.cameras') });
  // Farms on the desk: the extension worker (农技员) and the place's cadres and grid workers see the
  // households' farms; the worker answers questions and keeps the advice library and the weather.
  if (staff && can(session, 'agri.read')) {
    items.push({ key: '/agri', label: t('nav.agriDesk') }, { key: '/agri/observations', label: t('nav.agriObservations') });
  }
  if (can(session, 'agri.advise')) {
    items.push(
      { key: '/agri/questions', label: t('nav.agriQuestions') },
      { key: '/agri/advice', label: t('nav.agriAdvice') },
      { key: '/agri/weather', label: t('nav.agriWeather') },
    );
  }
  if (can(session, 'agri.figures')) items.push({ key: '/agri/figures', label: t('nav.agriFigures') });
  // The county admin oversees applications; the system administrator keeps the catalogue there.
  if (
    session?.user.assignments.some((a) => a.role === 'departmentHandler' || a.role === 'countyAdmin') ||
    can(session, 'services.catalogue')
  ) {
    items.push({ key: '/services', label: t('nav.servicesDesk') });
  }
  if (can(session, 'notices.write')) items.push({ key: '/notices', label: t('nav.noticesDesk') });
  // The wall screens of one's place: issue, list and revoke their keys.
  if (can(session, 'screen.manage')) items.push({ key: '/screen-keys', label: t('nav.screenKeys') });
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
