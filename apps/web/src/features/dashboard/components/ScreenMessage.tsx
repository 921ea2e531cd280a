// What a wall shows when it may not show figures: no key yet, a revoked key, a key of another place,
// a mistyped key, a place that does not exist, or the platform out of reach. Our own page in Chinese and English at once (whoever stands in front
// of it), never a login form: nobody signs in on a wall.
import { dashboardEn } from '../i18n.en.ts';
import { dashboardZh } from '../i18n.ts';

export type ScreenProblem = 'noKey' | 'wrongKey' | 'revoked' | 'otherPlace' | 'notFound' | 'failed';

export function ScreenMessage({ problem }: { problem: ScreenProblem }) {
  const zh = dashboardZh.screen.message;
  const en = dashboardEn.screen.message;
  return (
    <main className="screen-message" data-testid="screen-message" data-problem={problem}>
      <h1 lang="zh-CN">{zh[`${problem}Title`]}</h1>
      <p lang="zh-CN">{zh[problem]}</p>
      <h1 lang="en">{en[`${problem}Title`]}</h1>
      <p lang="en">{en[problem]}</p>
    </main>
  );
}
