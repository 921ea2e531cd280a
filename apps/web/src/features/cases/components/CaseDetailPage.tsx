// One case: what, where, who handles it, who reported it (to those allowed), its photos and every
// step, the actions the viewer may take now, and for a moderator the exposure-board panel.
import '../words.ts';
import type { Case } from '@cunzhi/contracts/cases';
import { Button, Space } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ItemList } from '../../../components/ItemList.tsx';
import { Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { formatWhen } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CASES_KEY, useCase, useCaseEvents, useCasePhotos, useCategories, useDuplicates, useTransition } from '../api/cases.ts';
import { StateTag } from './case-bits.tsx';
import { RatingControl } from './RatingControl.tsx';

/**
 * The actions this page offers, in this order; the server says which of them the viewer may take
 * now (allowedActions), so nobody sees a button that would answer 无权执行此操作. Recording a
 * mediation has its form on the grid worker's tasks page; merging is offered by the duplicates panel;
 * rating and objecting by the reporter's RatingControl (the same as on their list).
 */
const OFFERED = ['answerOnSpot', 'accept', 'checkIn', 'handle', 'reply', 'returnForRework', 'close', 'reopen', 'reroute'] as const;

function Actions({ item }: { item: Case }) {
  const { t } = useTranslation();
  const transition = useTransition(item.id);
  const categories = useCategories();
  const [note, setNote] = useState('');
  const [categoryId, setCategoryId] = useState<string>();
  const actions: string[] = OFFERED.filter((action) => item.allowedActions.includes(action));
  if (actions.length === 0) return null;
  const run = (action: string) =>
    transition.mutate({
      action: action as never,
      ...(note && { note }),
      ...(action === 'reroute' && { categoryId }),
    });
  return (
    <Panel title={t('cases.note')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <TextArea aria-label={t('cases.note')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        {actions.includes('reroute') && (
          <select
            className="text-input"
            aria-label={t('cases.actions.reroute')}
            value={categoryId ?? ''}
            onChange={(e) => setCategoryId(e.target.value || undefined)}
          >
            <option value="">{t('cases.actions.reroute')}</option>
            {categories.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
        <Space wrap>
          {actions.map((action) => (
            <Button
              key={action}
              loading={transition.isPending && transition.variables?.action === action}
              disabled={action === 'reroute' && !categoryId}
              onClick={() => run(action)}
            >
              {t(`cases.actions.${action}`)}
            </Button>
          ))}
        </Space>
        {transition.error && <Notice type="error">{transition.error.message}</Notice>}
      </Space>
    </Panel>
  );
}

/** Open cases of the same kind nearby: the handler may merge this report into one of them. */
function Duplicates({ item }: { item: Case }) {
  const { t } = useTranslation();
  const open = item.allowedActions.includes('merge');
  const duplicates = useDuplicates(item.id, open);
  const transition = useTransition(item.id);
  if (!open || !duplicates.data || duplicates.data.items.length === 0) return null;
  return (
    <Panel title={t('cases.duplicates')}>
      <ItemList
        empty=""
        items={duplicates.data.items.map((d) => ({
          key: d.id,
          title: d.title,
          description: `${d.number} · ${d.distanceMeters} m · ${formatWhen(d.createdAt)}`,
          extra: (
            <Button size="small" onClick={() => transition.mutate({ action: 'merge', mergeIntoId: d.id })}>
              {t('cases.mergeInto')}
            </Button>
          ),
        }))}
      />
      {transition.error && <Notice type="error">{transition.error.message}</Notice>}
    </Panel>
  );
}

const Moderation = lazy(() => import('./ModerationPanel.tsx'));

export default function CaseDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: session } = useSession();
  const item = useCase(id);
  const events = useCaseEvents(id);
  const photos = useCasePhotos(id);
  // A rating or objection goes through the outbox: the case is read again once it is sent.
  useRefreshWhenSent(CASES_KEY);
  // An address typed or copied wrong (a malformed id answers 400, an unknown one 404) is not the
  // person's input being wrong: say the case is not there and offer the ways back (as ApplicationPage).
  if (item.error instanceof ApiError && (item.error.status === 404 || item.error.code === 'validation_failed')) {
    const villager = Boolean(session?.user.householdId);
    return (
      <div className="phone-page">
        <Panel title={t('cases.notFoundTitle')}>
          <p>{t(villager ? 'cases.notFound' : 'cases.notFoundDesk')}</p>
          <div className="button-column">
            <Link className="big-button big-button-primary" to={villager ? '/m/cases' : '/cases'}>
              {t(villager ? 'cases.backToMine' : 'cases.backToDesk')}
            </Link>
            <Link className="big-button" to="/">
              {t('cases.backHome')}
            </Link>
          </div>
        </Panel>
      </div>
    );
  }
  if (item.error) return <Notice type="error">{item.error.message}</Notice>;
  if (!item.data) return null;
  const c = item.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={c.title} extra={<StateTag state={c.state} />}>
        <dl className="facts">
          <dt>{t('cases.number')}</dt>
          <dd className="nowrap">{c.number}</dd>
          <dt>{t('cases.category')}</dt>
          <dd>{c.categoryName}</dd>
          <dt>{t('cases.region')}</dt>
          <dd>{c.regionName}</dd>
          <dt>{t('cases.handler')}</dt>
          <dd data-testid="case-handler">{c.handlerName ?? t('cases.noHandler')}</dd>
          <dt>{t('cases.deadline')}</dt>
          <dd>
            {formatWhen(c.deadlineAt)} {c.overdue && <Chip colour="red">{t('cases.overdue')}</Chip>}
          </dd>
          <dt>{t('cases.intake.channel')}</dt>
          <dd>
            {t(`cases.sources.${c.source}`)} · {t(`cases.channels.${c.channel}`)}
          </dd>
          {c.reporterName && (
            <>
              <dt>{t('cases.reporter')}</dt>
              <dd>
                {c.reporterName} {c.reporterPhone}
              </dd>
            </>
          )}
        </dl>
        <p style={{ whiteSpace: 'pre-wrap' }}>{c.description}</p>
        {(photos.data?.items.length ?? 0) > 0 && (
          <div className="photo-grid">
            {photos.data?.items.map((p) => (
              <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.thumbUrl} alt={t(`cases.photos`)} loading="lazy" />
              </a>
            ))}
          </div>
        )}
      </Panel>
      {(c.allowedActions.includes('rate') || c.allowedActions.includes('object') || c.rating !== null) && (
        <Panel title={t('cases.actions.rate')}>
          <RatingControl caseId={c.id} allowedActions={c.allowedActions} given={c.rating} />
        </Panel>
      )}
      <Actions item={c} />
      <Duplicates item={c} />
      {c.publicState === 'pending' && can(session, 'cases.supervise') && (
        <Suspense fallback={null}>
          <Moderation item={c} />
        </Suspense>
      )}
      <Panel title={t('cases.events')}>
        <ItemList
          empty={t('common.noData')}
          items={(events.data?.items ?? []).map((e) => ({
            key: e.id,
            title: t(`cases.actions.${e.action}`, { defaultValue: e.action }),
            description: [formatWhen(e.at), e.note].filter(Boolean).join(' · '),
            extra: <StateTag state={e.toState} />,
          }))}
        />
      </Panel>
    </Space>
  );
}
