// 乡风文明: the points granted and redeemed this month, the public ranking of the households that
// agreed to it (names masked by the server) across the tile, and under it where the points came
// from beside the shop's most redeemed goods.
import '../words.ts';
import type { CivilitySection as Civility } from '@cunzhi/contracts/dashboard';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Bars, Shortened } from './charts.tsx';
import { formatFigure } from './figures.ts';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';
import { useWholeStage } from './stage.tsx';

export const CivilitySection = memo(function CivilitySection({ data, stale }: { data: Civility; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  const points = link('/points');
  const whole = useWholeStage();
  const categoryLabel = (category: string) => t(`screen.civility.categories.${category}`, { defaultValue: category });
  return (
    <SectionFrame section="civility" stale={stale}>
      <Kpis
        items={[
          { figureKey: 'civility.granted', label: t('screen.civility.granted'), value: data.granted, href: points },
          { figureKey: 'civility.redeemed', label: t('screen.civility.redeemed'), value: data.redeemed, href: points },
          {
            figureKey: 'civility.earningHouseholds',
            label: t('screen.civility.earningHouseholds'),
            value: data.earningHouseholds,
            href: points,
          },
        ]}
      />
      <div>
        <p className="screen-subtitle">{t('screen.civility.ranking')}</p>
        {data.ranking.length === 0 ? (
          <p className="screen-empty">{t('screen.civility.noRanking')}</p>
        ) : (
          <ol className="screen-list" data-testid="screen-ranking">
            {data.ranking.slice(0, whole ? 5 : 3).map((row) => (
              <li key={row.rank}>
                <span>
                  {row.rank}. {row.name}{' '}
                  <span className="screen-muted">
                    <Shortened text={row.villageName} ems={whole ? 16 : 8} />
                  </span>
                </span>
                <b>{t('screen.civility.points', { points: formatFigure(row.points) })}</b>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="screen-row">
        <div>
          <p className="screen-subtitle">{t('screen.civility.byCategory')}</p>
          <Bars
            items={[...data.byCategory]
              .sort((a, b) => b.points - a.points)
              .map((row) => ({
                key: `civility.category.${row.category}`,
                label: categoryLabel(row.category),
                value: row.points,
                href: points,
              }))}
            label={t('screen.civility.byCategory')}
            max={3}
            labelEms={4}
          />
        </div>
        <div>
          <p className="screen-subtitle">{t('screen.civility.topGoods')}</p>
          <Bars
            items={data.topGoods.map((goods, i) => ({
              key: `civility.goods.${i}`,
              label: goods.name,
              value: goods.quantity,
              href: points,
            }))}
            label={t('screen.civility.topGoods')}
            max={3}
            labelEms={5}
          />
        </div>
      </div>
    </SectionFrame>
  );
});
