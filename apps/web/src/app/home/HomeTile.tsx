// One big square on the phone home, the way the apps villagers already use look: an icon, a word
// or two, and a figure said in words ("3 条未读"), never a red dot alone.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function HomeTile({
  to,
  icon,
  labelKey,
  t,
  badge,
  primary,
}: {
  to: string;
  icon: ReactNode;
  /** The i18next key of the tile's words, looked up here: each tile is a piece of React's rendering of its own. */
  labelKey: string;
  t: TFunction;
  /** A TileBadge, or a component that draws one when its figure arrives. */
  badge?: ReactNode;
  primary?: boolean;
}) {
  return (
    <Link to={to} className={`home-tile${primary ? ' home-tile-primary' : ''}`}>
      <span className="home-tile-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="home-tile-label">{t(labelKey)}</span>
      {badge}
    </Link>
  );
}

/** The tile's figure in words; nothing while there is none. */
export function TileBadge({ text }: { text: string | undefined }) {
  return text ? <span className="home-tile-badge">{text}</span> : null;
}
