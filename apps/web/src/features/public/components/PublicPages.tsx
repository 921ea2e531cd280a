// 村务公开 for anyone, without logging in: the villages, and for each its matters with the
// completion rate and its moderated exposure board. Plain markup: it loads fast on any phone.
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Chip, Notice } from '../../../components/Light.tsx';
import { MoreButton } from '../../../components/MoreButton.tsx';
import { switchLanguage } from '../../../lib/i18n.ts';
import { useExposureBoard, usePublicVillages, useVillageAffairs } from '../api/public-villages.ts';

function PublicShell({ title, children }: { title: string; children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="public-page">
      <header className="public-header">
        <Link to="/public" className="brand-inline">
          {t('app.name')}
        </Link>
        <button type="button" className="link-button" onClick={() => void switchLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
          {t('nav.language')}
        </button>
      </header>
      <h1>{title}</h1>
      {children}
    </div>
  );
}

export function PublicVillagesPage() {
  const { t, i18n } = useTranslation();
  const villages = usePublicVillages();
  return (
    <PublicShell title={t('villagePublic.index')}>
      <p className="muted">{t('villagePublic.indexHint')}</p>
      <ul className="item-list">
        {villages.data?.items.map((v) => (
          <li key={v.id}>
            <Link to={`/public/villages/${v.id}`} className="item-list-title">
              {i18n.language === 'en' && v.nameEn ? v.nameEn : v.name}
            </Link>
            <span className="muted">{v.townshipName}</span>
          </li>
        ))}
      </ul>
    </PublicShell>
  );
}

const day = (iso: string) => iso.slice(0, 10);

export function PublicVillagePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const affairs = useVillageAffairs(id);
  const board = useExposureBoard(id);
  const boardItems = board.data?.pages.flatMap((p) => p.items);
  if (affairs.error) return <Notice type="error">{affairs.error.message}</Notice>;
  const data = affairs.data?.pages[0];
  const matters = affairs.data?.pages.flatMap((p) => p.matters.items);
  return (
    <PublicShell title={data ? `${data.village.name} · ${t('villagePublic.affairs')}` : '…'}>
      <Link to="/public">← {t('villagePublic.back')}</Link>
      {data && (
        <div className="figures">
          <div>
            <strong data-testid="completion-rate">
              {data.completionRate === null ? '—' : `${(data.completionRate * 100).toFixed(1)}%`}
            </strong>
            <span>{t('villagePublic.completionRate')}</span>
          </div>
          <div>
            <strong>{data.total}</strong>
            <span>{t('villagePublic.total')}</span>
          </div>
          <div>
            <strong>{data.closed}</strong>
            <span>{t('villagePublic.closed')}</span>
          </div>
        </div>
      )}
      <h2>{t('villagePublic.board')}</h2>
      {boardItems?.length === 0 && <p className="muted">{t('villagePublic.boardEmpty')}</p>}
      {boardItems?.map((item) => (
        <article key={item.id} className="task-card">
          <header>
            <span className="task-title">{item.title}</span>
            <Chip>{t(`cases.states.${item.state}`)}</Chip>
          </header>
          <p>{item.text}</p>
          <div className="photo-grid">
            {item.photos.map((p) => (
              <a key={p.url} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.thumbUrl} alt="" loading="lazy" />
              </a>
            ))}
          </div>
          <span className="muted">
            {item.number} · {item.categoryName} · {day(item.createdAt)}
            {item.meTooCount > 0 && ` · ${item.meTooCount} ${t('villagePublic.meToo')}`}
          </span>
        </article>
      ))}
      {board.hasNextPage && (
        <MoreButton testId="board-more" busy={board.isFetchingNextPage} onClick={() => void board.fetchNextPage()}>
          {t('villagePublic.more')}
        </MoreButton>
      )}
      <h2>{t('villagePublic.matters')}</h2>
      <ul className="item-list" data-testid="matters">
        {matters?.map((m) => (
          <li key={m.number}>
            <div className="item-list-main">
              <div className="item-list-title">{m.title}</div>
              <div className="item-list-description">
                {m.number} · {m.categoryName} · {day(m.createdAt)}
              </div>
            </div>
            <Chip>{t(`cases.states.${m.state}`)}</Chip>
          </li>
        ))}
      </ul>
      {affairs.hasNextPage && (
        <MoreButton testId="matters-more" busy={affairs.isFetchingNextPage} onClick={() => void affairs.fetchNextPage()}>
          {t('villagePublic.more')}
        </MoreButton>
      )}
    </PublicShell>
  );
}
