// Our own page for an address that leads nowhere and for a page that failed: Chinese first (the
// title, what happened, the big 回到首页 button), English after it, and the 长辈版 switch as on every
// phone page. Plain HTML and no feature's words: whatever broke, this page must still draw.
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ElderModeSwitch } from '../components/ElderModeSwitch.tsx';

function Page({ zh, en, detailZh, detailEn }: { zh: string; en: string; detailZh: string; detailEn: string }) {
  return (
    <main className="error-page" data-read-aloud>
      <ElderModeSwitch />
      <h1>{zh}</h1>
      <p>{detailZh}</p>
      {/* A full load, not a client-side step: a page that failed to load its code gets a fresh start. */}
      <a href="/" className="big-button big-button-primary error-page-home">
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

export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  // A new version was deployed and this phone still asked for the old page's code.
  const stale = error instanceof Error && /dynamically imported module|Importing a module script failed|chunk/i.test(error.message);
  return (
    <Page
      zh="页面出错了"
      en="Something went wrong"
      detailZh={stale ? '应用已经更新，请回到首页重新打开。' : '请回到首页再试一次；如果还不行，请联系村委会。'}
      detailEn={
        stale ? 'The app was updated; go home and open it again.' : 'Go home and try again; if it still fails, ask the village committee.'
      }
    />
  );
}
