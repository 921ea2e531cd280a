// The one button under a list cut short: 查看全部 / 收起 for a list the page already holds (pass
// `expanded`), 查看更多 for the next page of a list read page by page (pass `busy` while it loads).
import type { ReactNode } from 'react';

export function MoreButton({
  testId,
  onClick,
  expanded,
  busy = false,
  children,
}: {
  testId: string;
  onClick(): void;
  expanded?: boolean;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="public-more" data-testid={testId} aria-expanded={expanded} disabled={busy} onClick={onClick}>
      {busy ? '…' : children}
    </button>
  );
}
