// Shown above every page: that the page is offline and how old its data is (the service worker's
// kept answers, lib/offline-data.ts), and, when steps saved offline wait for a sign-in, why the
// person must sign in again. Plain HTML: it shows on the login page too, which loads no UI library.
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWhen } from '../lib/format-time.ts';
import { useOfflineState } from '../lib/offline-data.ts';
import { useOutbox } from '../lib/outbox.ts';

// Its text size is the page's (styles.css .offline-bar: 16 px, 18 px in elder mode; it was 16 in both).
// In the flow above the page, never sticky: a bar pinned over a scrolled page hid the header's
// buttons and the page's title under it.
const bar: CSSProperties = {
  position: 'relative',
  margin: 0,
  padding: '10px 16px',
  background: '#fff4d6',
  color: '#3d2a00',
  borderBottom: '1px solid #e0b84c',
};

export function OfflineBanner() {
  const { t } = useTranslation('offline');
  const { offline, staleSince } = useOfflineState();
  if (!offline) return null;
  return (
    <p className="offline-bar" style={bar} role="status" data-testid="offline-banner">
      {staleSince ? t('banner', { time: formatWhen(new Date(staleSince).toISOString()) }) : t('bannerNoData')}
    </p>
  );
}

/** Nobody is signed in and steps saved on this phone wait: say why signing in is needed, and that they are kept. */
export function SignInNotice({ expired }: { expired: boolean }) {
  const { t } = useTranslation('offline');
  const { pending } = useOutbox();
  if (pending.length === 0) return null;
  const labels = [...new Set(pending.map((item) => item.label))].join('、');
  return (
    <p style={{ ...bar, background: '#fdecec', color: '#7a1010', borderColor: '#e8a0a0' }} role="alert" data-testid="sign-in-to-send">
      {t(expired ? 'expired' : 'waiting', { count: pending.length, labels })}
    </p>
  );
}
