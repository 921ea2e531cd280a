// What a farm's page lists under its plots and flocks, on the phone and on the desk alike: the
// advice the household was sent (new first, with its pictures), what was observed (by the
// household, the extension worker or a camera), and the history of changes to its plots and flocks.
import '../words.ts';
import { FARM_CHANGE_ACTION_LABELS, OBSERVATION_KIND_LABELS, OBSERVATION_SOURCE_LABELS, PEST_LABELS } from '@cunzhi/contracts/agri';
import type { FarmAdviceList } from '@cunzhi/contracts/agri-advice';
import type { Farm, FarmChange, Observation } from '@cunzhi/contracts/agri-farms';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Chip } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { cameraImageUrl, photoUrl, useFarmHistory, useObservations } from '../api/farm.ts';
import { labelOf, stageName } from '../labels.ts';

export function Photos({ ids, alt }: { ids: string[]; alt: string }) {
  if (ids.length === 0) return null;
  return (
    <div className="agri-photos">
      {ids.map((id) => (
        <a key={id} href={photoUrl(id, 'full')} target="_blank" rel="noreferrer" aria-label={alt}>
          <img src={photoUrl(id)} alt={alt} loading="lazy" />
        </a>
      ))}
    </div>
  );
}

export function AdviceReceived({ advice }: { advice: FarmAdviceList['items'] | undefined }) {
  const { t } = useTranslation();
  const items = [...(advice ?? [])].sort((a, b) => (a.deliveredAt < b.deliveredAt ? 1 : -1));
  return (
    <Panel title={t('agri.advice.received')}>
      {items.length === 0 && <p className="muted">{t('agri.advice.none')}</p>}
      <ul className="agri-cards" data-testid="advice-received">
        {items.map((item) => (
          <li key={`${item.ruleId}-${item.periodStart}`} className="agri-card">
            <h3>
              {item.title} {!item.read && <Chip colour="green">{t('agri.advice.new')}</Chip>}
            </h3>
            <p className="agri-advice-text">{item.body}</p>
            <Photos ids={item.pictureIds} alt={item.title} />
            <p className="muted">{t('agri.advice.validUntil', { date: item.periodEnd, sent: formatWhen(item.deliveredAt) })}</p>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** One observation in words: 2026-11-30 · 东坡果园 · 销售 120 kg × 8 元 = 960 元. */
export function useObservationLine() {
  const { t, i18n } = useTranslation();
  return (o: Observation) => {
    const what = [
      labelOf(OBSERVATION_KIND_LABELS, o.kind, i18n.language),
      o.growthStage && stageName(o.growthStage, i18n.language),
      o.pest && labelOf(PEST_LABELS, o.pest, i18n.language),
      o.deaths !== null && t('agri.observe.deathsValue', { count: o.deaths }),
      o.quantityKg !== null && `${o.quantityKg} kg`,
      o.priceYuanPerKg !== null && t('agri.observe.priceValue', { price: o.priceYuanPerKg }),
      o.amountYuan !== null && t('agri.observe.amountValue', { amount: o.amountYuan }),
    ].filter(Boolean);
    return `${o.observedOn} · ${o.subjectName} · ${what.join(' · ')}`;
  };
}

export function ObservationList({ householdId }: { householdId: string }) {
  const { t, i18n } = useTranslation();
  const observations = useObservations(householdId);
  const line = useObservationLine();
  const items = observations.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Panel title={t('agri.observe.recent')}>
      {observations.isSuccess && items.length === 0 && <p className="muted">{t('agri.observe.none')}</p>}
      <ul className="agri-cards" data-testid="observations">
        {items.map((o) => (
          <li key={o.id} className="agri-card">
            <p>{line(o)}</p>
            {o.note && <p>{o.note}</p>}
            <Photos ids={o.photoIds} alt={o.subjectName} />
            {o.snapshotId && (
              <div className="agri-photos">
                <img src={cameraImageUrl(o.id)} alt={o.subjectName} loading="lazy" />
              </div>
            )}
            <p className="muted">
              {labelOf(OBSERVATION_SOURCE_LABELS, o.source, i18n.language)} · {o.byName}
            </p>
          </li>
        ))}
      </ul>
      {observations.hasNextPage && (
        <Button block onClick={() => void observations.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Panel>
  );
}

function ChangeLine({ change, farm }: { change: FarmChange; farm: Farm | null }) {
  const { t, i18n } = useTranslation();
  const subjects = [...(farm?.plots ?? []), ...(farm?.flocks ?? [])];
  const name = subjects.find((s) => s.id === change.subjectId)?.name ?? t(`agri.farm.${change.subjectType}`);
  const shown = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
  const fields = Object.entries(change.changes).map(
    ([field, { from, to }]) => `${t(`agri.fields.${field}`, { defaultValue: field })}：${shown(from)} → ${shown(to)}`,
  );
  return (
    <li>
      <strong>
        {labelOf(FARM_CHANGE_ACTION_LABELS, change.action, i18n.language)} {name}
      </strong>
      {change.action === 'changed' && fields.length > 0 && <div>{fields.join('；')}</div>}
      <div className="muted">
        {formatWhen(change.at)} · {change.byName}
      </div>
    </li>
  );
}

export function FarmHistory({ householdId, farm }: { householdId: string; farm: Farm | null }) {
  const { t } = useTranslation();
  const history = useFarmHistory(householdId);
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Panel title={t('agri.farm.history')}>
      {history.isSuccess && items.length === 0 && <p className="muted">{t('agri.farm.noHistory')}</p>}
      <ul className="agri-history" data-testid="farm-history">
        {items.map((change) => (
          <ChangeLine key={change.id} change={change} farm={farm} />
        ))}
      </ul>
      {history.hasNextPage && (
        <Button block onClick={() => void history.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Panel>
  );
}
