// The wall screen, /screen/{regionId}: the rural overview and the five sections of the place on a
// dark 1920×1080 stage zoomed to the wall, never scrolled, with no login on the wall. The wall opens
// /screen/{regionId}#key=<screen key> once: the key is presented to the server (which keeps it in a
// screen cookie) and dropped from the address. Sections are tiled, or one at a time when the address
// says ?layout=rotate (&every=<seconds>, 20 by default); ?section=<name> keeps one section on the
// whole stage (a second wall beside the first); ?lang=en shows English. Figures follow the
// data live (use-screen-events.ts); signed-in staff see every figure as a link to its list.
import '../words.ts';
import '../screen.css';
import { SCREEN_SECTIONS, type Screen, type ScreenSection } from '@cunzhi/contracts/dashboard';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../../lib/api-client.ts';
import { switchLanguage } from '../../../lib/i18n.ts';
import { currentScreenSession, presentScreenKey, SCREEN_KEY, useRefreshSection, useScreen, useStaffSignedIn } from '../api/screen.ts';
import { useScreenEvents } from '../use-screen-events.ts';
import { CivilitySection } from './CivilitySection.tsx';
import { EcologySection } from './EcologySection.tsx';
import { GovernanceSection } from './GovernanceSection.tsx';
import { IndustrySection } from './IndustrySection.tsx';
import { OverviewSection } from './OverviewSection.tsx';
import { ProsperitySection } from './ProsperitySection.tsx';
import { DeskLinks } from './parts.tsx';
import { ScreenMessage, type ScreenProblem } from './ScreenMessage.tsx';
import { useStageZoom, WallClock, WholeStage } from './stage.tsx';

/** Set once a key was accepted here: a later refusal then means the key was revoked. */
const PRESENTED = 'cunzhi.screenKeyPresented';

/** The key in the address's fragment (#key=…), which never reaches the server or its logs. */
function keyInFragment(): string | undefined {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Presents a key found in the address once, then drops it from the address and the history. */
function usePresentedKey(): { ready: boolean; refused?: ScreenProblem } {
  const [state, setState] = useState<{ ready: boolean; refused?: ScreenProblem }>(() => ({ ready: keyInFragment() === undefined }));
  useEffect(() => {
    const key = keyInFragment();
    if (key === undefined) return;
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    presentScreenKey(key).then(
      () => {
        localStorage.setItem(PRESENTED, '1');
        setState({ ready: true });
      },
      (error: unknown) => setState({ ready: true, refused: refusedKeyProblem(error) }),
    );
  }, []);
  return state;
}

function problemOf(error: unknown): ScreenProblem {
  if (error instanceof ApiError && error.status === 401) return localStorage.getItem(PRESENTED) ? 'revoked' : 'noKey';
  if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return 'otherPlace';
  // A malformed place in the address (400): asking again will not mend it.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return 'notFound';
  return 'failed';
}

/**
 * A key in the address that the server refused: a key it never issued (mistyped) unless the server
 * says it was revoked; the network is not the key's fault.
 */
function refusedKeyProblem(error: unknown): ScreenProblem {
  if (!(error instanceof ApiError)) return 'failed';
  if (error.code === 'screen_key_revoked') return 'revoked';
  return error.status === 401 ? 'wrongKey' : problemOf(error);
}

/**
 * Refetches a changed section; a change arriving while its refetch runs asks for one more after it
 * (never a queue: the last answer is what counts).
 */
function useSectionRefresher(regionId: string, onRefused: (error: ApiError) => void) {
  const refresh = useRefreshSection(regionId);
  const running = useRef(new Map<ScreenSection, boolean>());
  return useCallback(
    (section: ScreenSection) => {
      const runs = running.current;
      if (runs.has(section)) {
        runs.set(section, true);
        return;
      }
      runs.set(section, false);
      const run = async () => {
        for (;;) {
          const error = await refresh(section);
          if (error && error.status >= 400 && error.status < 500) onRefused(error);
          if (!runs.get(section)) break;
          runs.set(section, false);
        }
        runs.delete(section);
      };
      void run();
    },
    [refresh, onRefused],
  );
}

function Sections({ screen, only, stale }: { screen: Screen; only?: ScreenSection; stale: boolean }) {
  const s = screen.sections;
  const name = screen.region.name;
  const show = (section: ScreenSection) => only === undefined || only === section;
  return (
    <>
      {show('overview') && <OverviewSection data={s.overview} name={name} stale={stale} />}
      {show('industry') && <IndustrySection data={s.industry} stale={stale} />}
      {show('ecology') && <EcologySection data={s.ecology} stale={stale} />}
      {show('civility') && <CivilitySection data={s.civility} stale={stale} />}
      {show('governance') && <GovernanceSection data={s.governance} stale={stale} />}
      {show('prosperity') && <ProsperitySection data={s.prosperity} stale={stale} />}
    </>
  );
}

/** ?every= in seconds, 5 to 600, 20 when absent or not a number. */
function rotationSeconds(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 5 && n <= 600 ? n : 20;
}

function useRotation(enabled: boolean, seconds: number): number {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % SCREEN_SECTIONS.length), seconds * 1000);
    return () => clearInterval(timer);
  }, [enabled, seconds]);
  return index;
}

function ScreenOf({ regionId }: { regionId: string }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const presented = usePresentedKey();
  const [refusal, setRefusal] = useState<ScreenProblem>();
  const screen = useScreen(regionId, presented.ready && presented.refused === undefined && refusal === undefined);
  const desk = useStaffSignedIn(screen.isSuccess);
  const pinned = SCREEN_SECTIONS.find((section) => section === params.get('section'));
  const rotate = params.get('layout') === 'rotate' || pinned !== undefined;
  const index = useRotation(rotate && pinned === undefined, rotationSeconds(params.get('every')));
  const zoom = useStageZoom();

  useEffect(() => {
    if (params.get('lang') === 'en') void switchLanguage('en');
  }, [params]);

  const onRefused = useCallback((error: ApiError) => setRefusal(problemOf(error)), []);
  const refreshSection = useSectionRefresher(regionId, onRefused);
  const live = useScreenEvents(regionId, screen.isSuccess && refusal === undefined, {
    onChanged: refreshSection,
    onBroken: async () => {
      // Staff have no screen session; their stream ends with their own session.
      const session = await currentScreenSession();
      if (session || desk) return true;
      setRefusal(localStorage.getItem(PRESENTED) ? 'revoked' : 'noKey');
      return false;
    },
    onReopened: () => void client.invalidateQueries({ queryKey: [SCREEN_KEY, regionId] }),
  });

  // A screen whose figures could not be read (the network) asks again by itself.
  const failed = screen.isError && problemOf(screen.error) === 'failed';
  useEffect(() => {
    if (!failed) return;
    const timer = setInterval(() => void screen.refetch(), 30_000);
    return () => clearInterval(timer);
  }, [failed, screen.refetch]);

  if (presented.refused) return <ScreenMessage problem={presented.refused} />;
  if (refusal) return <ScreenMessage problem={refusal} />;
  if (screen.isError && !screen.data) return <ScreenMessage problem={problemOf(screen.error)} />;
  const data = screen.data;
  const current = pinned ?? (SCREEN_SECTIONS[index] as ScreenSection);
  return (
    <DeskLinks.Provider value={desk}>
      <div className="screen-root" data-testid="screen" data-layout={rotate ? 'rotate' : 'tile'} data-desk={desk}>
        <div className="screen-stage" style={{ zoom }}>
          <header className="screen-header">
            <div className="screen-side">
              <WallClock />
            </div>
            <h1>{data ? t('screen.title', { name: data.region.name }) : t('screen.loading')}</h1>
            <div className="screen-side">
              <span className="screen-live" data-state={live} data-testid="screen-live">
                {live === 'open' ? t('screen.live') : t('screen.reconnecting')}
              </span>
            </div>
          </header>
          {data &&
            (rotate ? (
              <div className="screen-rotating">
                <WholeStage.Provider value={true}>
                  <Sections screen={data} only={current} stale={live === 'down'} />
                </WholeStage.Provider>
                {pinned === undefined && (
                  <ol className="screen-dots">
                    {SCREEN_SECTIONS.map((section) => (
                      <li key={section} aria-current={section === current}>
                        {t(`screen.sections.${section}`)}
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            ) : (
              <div className="screen-grid">
                <Sections screen={data} stale={live === 'down'} />
              </div>
            ))}
        </div>
      </div>
    </DeskLinks.Provider>
  );
}

/** /screen with no place: the place of the wall's key (or the message that there is no key). */
function ScreenOfKey() {
  const navigate = useNavigate();
  const [problem, setProblem] = useState<ScreenProblem>();
  useEffect(() => {
    // A key in the fragment is presented first: its answer names the place.
    const key = keyInFragment();
    const session = key ? presentScreenKey(key) : currentScreenSession();
    session.then(
      (found) => {
        if (!found) return setProblem(localStorage.getItem(PRESENTED) ? 'revoked' : 'noKey');
        if (key) localStorage.setItem(PRESENTED, '1');
        navigate(`/screen/${found.region.id}${window.location.search}`, { replace: true });
      },
      (error: unknown) => setProblem(key ? refusedKeyProblem(error) : problemOf(error)),
    );
  }, [navigate]);
  return problem ? <ScreenMessage problem={problem} /> : <div className="screen-message" />;
}

export default function ScreenPage() {
  const { regionId } = useParams();
  return regionId ? <ScreenOf key={regionId} regionId={regionId} /> : <ScreenOfKey />;
}
