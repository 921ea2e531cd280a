// The wall's stage: laid out at 1920×1080 and zoomed to whatever the wall is (×2 on a 4K wall:
// CSS zoom lays text out again at the larger size, so it stays sharp, unlike a scaled picture),
// and the clock in its corner.
import '../words.ts';
import { createContext, useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export const STAGE = { width: 1920, height: 1080 };

/**
 * Whether a section has the whole stage to itself (rotating, or pinned with ?section=) rather than a
 * tile: it then has about twice a tile's width in ems, so it shows more rows and shortens less.
 */
export const WholeStage = createContext(false);

export const useWholeStage = () => useContext(WholeStage);

const fit = () => Math.min(window.innerWidth / STAGE.width, window.innerHeight / STAGE.height);

export function useStageZoom(): number {
  const [zoom, setZoom] = useState(fit);
  useEffect(() => {
    const resize = () => setZoom(fit());
    window.addEventListener('resize', resize);
    return () => window.removeEventListener('resize', resize);
  }, []);
  return zoom;
}

const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The date and time in Beijing (the wall's clock may sit in any time zone), to the minute. */
export function wallTime(now: number, en: boolean): string {
  const d = new Date(now + 8 * 3_600_000);
  const [y, m, day, w] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()];
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return en ? `${y}-${pad(m)}-${pad(day)} ${WEEKDAYS_EN[w]} ${time}` : `${y}年${m}月${day}日 星期${WEEKDAYS_ZH[w]} ${time}`;
}

/** The clock renders alone (the sections do not render with it), when the minute changes. */
export function WallClock() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [text, setText] = useState(() => wallTime(Date.now(), en));
  useEffect(() => {
    setText(wallTime(Date.now(), en));
    const timer = setInterval(() => setText(wallTime(Date.now(), en)), 5_000);
    return () => clearInterval(timer);
  }, [en]);
  return <span data-testid="screen-clock">{text}</span>;
}
