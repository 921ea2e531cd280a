// Our own page for an address that leads nowhere and for a page that failed: Chinese first (the
// title, what happened, the big 回到首页 button), English after it, and the 长辈版 switch as on every
// phone page. Plain HTML and no feature's words: whatever broke, this page must still draw.
import { useEffect, useState } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ElderModeSwitch } from '../components/ElderModeSwitch.tsx';

type PageWords = { zh: string; en: string; detailZh: string; detailEn: string; retry?: boolean };

function Page({ zh, en, detailZh, detailEn, retry }: PageWords) {
  return (
    <main className="error-page" data-read-aloud>
      <ElderModeSwitch />
      <h1>{zh}</h1>
      <p>{detailZh}</p>
      {retry && (
        <button type="button" className="big-button big-button-primary error-page-home" onClick={() => window.location.reload()}>
          再试一次
        </button>
      )}
      {/* A full load, not a client-side step: a page that failed to load its code gets a fresh start. */}
      <a href="/" className={retry ? 'big-button error-page-home' : 'big-button big-button-primary error-page-home'}>
        回到首页
      </a>
      <p lang="en" className="error-page-en">
        {en}. {detailEn} Tap 回到首页 to go home.
      </p>
    </main>
  );
}

export function NotFoundPage() {
  return (
    <Page
      zh="找不到这个页面"
      en="Page not found"
      detailZh="地址可能输错了，或者这个页面已经不在了。"
      detailEn="The address may be mistyped, or the page is gone."
    />
  );
}

/** Whether the browser says it has a network, kept up to date, and whether it lacked one since the page drew. */
function useNetwork(): { online: boolean; wasOffline: boolean } {
  const [online, setOnline] = useState(() => navigator.onLine);
  const [wasOffline, setWasOffline] = useState(() => !navigator.onLine);
  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
      if (!navigator.onLine) setWasOffline(true);
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return { online, wasOffline };
}

/**
 * A page the phone does not keep for offline use (a video call, a desk page), opened with no network:
 * the network's doing, and trying again once online opens it.
 */
export function NeedsNetworkPage() {
  const { online } = useNetwork();
  return (
    <Page
      zh="这个页面要联网才能打开"
      en="This page needs the network"
      detailZh={online ? '网络已经恢复，请点“再试一次”。' : '手机现在没有网络。联网后点“再试一次”。'}
      detailEn={
        online ? 'The network is back: tap 再试一次 (try again).' : 'The phone has no network now. Once online, tap 再试一次 (try again).'
      }
      retry
    />
  );
}

export function RouteErrorPage() {
  const error = useRouteError();
  const { wasOffline } = useNetwork();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  const codeMissing = error instanceof Error && /dynamically imported module|Importing a module script failed|chunk/i.test(error.message);
  // Offline, a page whose code the phone does not keep cannot open: not a new version's doing.
  if (codeMissing && wasOffline) return <NeedsNetworkPage />;
  // Online, a failed download of a page's code means a new version was deployed and this phone
  // still asked for the old page's code.
  return (
    <Page
      zh="页面出错了"
      en="Something went wrong"
      detailZh={codeMissing ? '应用已经更新，请回到首页重新打开。' : '请回到首页再试一次；如果还不行，请联系村委会。'}
      detailEn={
        codeMissing
          ? 'The app was updated; go home and open it again.'
          : 'Go home and try again; if it still fails, ask the village committee.'
      }
    />
  );
}
