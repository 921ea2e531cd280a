// 共同富裕: households followed (being identified or monitored) by category (防返贫动态监测), help measures, risks removed, and the
// government-service applications with how many were made nearby or fully online.
import '../words.ts';
import type { ProsperitySection as Prosperity } from '@cunzhi/contracts/dashboard';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Bars } from './charts.tsx';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';
import { useWholeStage } from './stage.tsx';

export const ProsperitySection = memo(function ProsperitySection({ data, stale }: { data: Prosperity; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  const poverty = link('/poverty/figures');
  const services = link('/services');
  const followed = data.monitored + data.identifying;
  // A tile writes the categories short (边缘户); the whole stage has room for the whole names.
  const whole = useWholeStage();
  return (
    <SectionFrame section="prosperity" stale={stale}>
      <Kpis
        items={[
          // The desk's 跟踪中合计: the same households the category bars count (identifying + monitored).
          { figureKey: 'prosperity.followed', label: t('screen.prosperity.followed'), value: followed, href: link('/poverty') },
          { figureKey: 'prosperity.removed', label: t('screen.prosperity.removed'), value: data.removed, href: poverty },
          { figureKey: 'prosperity.newThisMonth', label: t('screen.prosperity.newThisMonth'), value: data.newThisMonth, href: poverty },
        ]}
      />
      <div className="screen-row">
        <div>
          <p className="screen-subtitle">{t('screen.prosperity.byCategory')}</p>
          <Bars
            items={data.byCategory.map((row) => ({
              key: `prosperity.category.${row.key}`,
              label: whole ? row.name : t(`screen.prosperity.categories.${row.key}`, { defaultValue: row.name }),
              title: whole ? undefined : row.name,
              value: row.count,
              href: poverty,
            }))}
            label={t('screen.prosperity.byCategory')}
            max={3}
            labelEms={5}
          />
        </div>
        <div>
          <p className="screen-subtitle">{t('screen.prosperity.measures')}</p>
          <Bars
            items={data.measuresByKind.map((row) => ({
              key: `prosperity.measure.${row.key}`,
              label: row.name,
              value: row.count,
              href: poverty,
            }))}
            label={t('screen.prosperity.measures')}
            max={3}
            labelEms={5}
          />
        </div>
      </div>
      <Kpis
        items={[
          { figureKey: 'prosperity.services', label: t('screen.prosperity.services'), value: data.services.applications, href: services },
          { figureKey: 'prosperity.nearby', label: t('screen.prosperity.nearby'), value: data.services.nearby, href: services },
          {
            figureKey: 'prosperity.fullyOnline',
            label: t('screen.prosperity.fullyOnline'),
            value: data.services.fullyOnline,
            href: services,
          },
          {
            figureKey: 'prosperity.onTimeRate',
            label: t('screen.prosperity.onTimeRate'),
            value: data.services.onTimeRate,
            href: services,
            rate: {},
          },
        ]}
      />
    </SectionFrame>
  );
});
