// 产业兴旺: farming households, planted area, livestock and this year's sales (agri's figures), the
// main crops and flocks, and the advice that reached the households.
import '../words.ts';
import type { IndustrySection as Industry } from '@cunzhi/contracts/dashboard';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Bars, Columns } from './charts.tsx';
import { formatFigure } from './figures.ts';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';
import { useWholeStage } from './stage.tsx';

export const IndustrySection = memo(function IndustrySection({ data, stale }: { data: Industry; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  const figures = link('/agri/figures');
  // Twelve month names do not fit a tile's width at the wall's size: a tile names every other one.
  const labelEvery = useWholeStage() ? 1 : 2;
  const areaMu = data.plotsByCrop.reduce((sum, crop) => sum + crop.areaMu, 0);
  const heads = data.flocksBySpecies.reduce((sum, flock) => sum + flock.heads, 0);
  const crops = [...data.plotsByCrop]
    .sort((a, b) => b.areaMu - a.areaMu)
    .map((crop) => ({ key: `industry.crop.${crop.crop}`, label: crop.name, value: crop.areaMu, href: figures }));
  const flocks = [...data.flocksBySpecies]
    .sort((a, b) => b.heads - a.heads)
    .map((flock) => ({ key: `industry.flock.${flock.species}`, label: flock.name, value: flock.heads, href: figures }));
  return (
    <SectionFrame section="industry" stale={stale}>
      <Kpis
        items={[
          { figureKey: 'industry.farms', label: t('screen.industry.farms'), value: data.farms, href: link('/agri') },
          { figureKey: 'industry.areaMu', label: t('screen.industry.areaMu'), value: areaMu, unit: t('screen.industry.mu'), href: figures },
          {
            figureKey: 'industry.sales',
            label: t('screen.industry.sales', { year: data.year }),
            value: data.totals.salesYuan,
            unit: t('screen.industry.yuan'),
            href: figures,
          },
        ]}
      />
      <div className="screen-row">
        <div>
          <p className="screen-subtitle">{t('screen.industry.crops')}</p>
          <Bars items={crops} label={t('screen.industry.crops')} max={3} labelEms={4} />
        </div>
        <div>
          <p className="screen-subtitle">
            {t('screen.industry.flocks')} <b data-figure="industry.heads">{formatFigure(heads)}</b>
          </p>
          <Bars items={flocks} label={t('screen.industry.flocks')} max={3} labelEms={4} />
        </div>
      </div>
      <div className="screen-grow screen-columns-box">
        <p className="screen-subtitle">{t('screen.industry.salesByMonth')}</p>
        <Columns
          label={t('screen.industry.salesByMonth')}
          labelEvery={labelEvery}
          items={data.byMonth.map((row) => ({
            key: `industry.month.${row.month}`,
            label: t('screen.industry.month', { month: row.month % 100 }),
            value: row.salesYuan,
          }))}
        />
      </div>
      <p className="screen-subtitle">
        {/* Households, as the desk's 收到建议的农户 / 已读建议的农户 count them. */}
        {t('screen.industry.advice')}{' '}
        <b data-figure="industry.adviceHouseholds">{t('screen.industry.householdsUnit', { n: formatFigure(data.advice.households) })}</b> ·{' '}
        {t('screen.industry.adviceRead')}{' '}
        <b data-figure="industry.adviceRead">{t('screen.industry.householdsUnit', { n: formatFigure(data.advice.read) })}</b> ·{' '}
        {t('screen.industry.questions')} <b data-figure="industry.questionsAnswered">{formatFigure(data.questions.answered)}</b>
      </p>
    </SectionFrame>
  );
});
