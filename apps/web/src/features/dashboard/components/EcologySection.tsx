// 生态宜居: the last twelve months' environment and sanitation cases and their completion, and the
// cameras' unauthorised-building findings.
import '../words.ts';
import type { EcologySection as Ecology } from '@cunzhi/contracts/dashboard';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Bars } from './charts.tsx';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';

export const EcologySection = memo(function EcologySection({ data, stale }: { data: Ecology; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  const cases = link('/cases');
  const findings = link('/cameras/findings');
  return (
    <SectionFrame section="ecology" stale={stale}>
      <Kpis
        items={[
          { figureKey: 'ecology.received', label: t('screen.ecology.cases'), value: data.environment.received, href: cases },
          { figureKey: 'ecology.closed', label: t('screen.ecology.closed'), value: data.environment.closed, href: cases },
          {
            figureKey: 'ecology.completionRate',
            label: t('screen.ecology.completionRate'),
            value: data.environment.completionRate,
            href: link('/cases/statistics'),
            rate: {},
          },
        ]}
      />
      <div>
        <p className="screen-subtitle">{t('screen.ecology.byCategory')}</p>
        <Bars
          items={data.byCategory.map((category) => ({
            key: `ecology.category.${category.key}`,
            label: category.name,
            value: category.received,
            href: cases,
          }))}
          label={t('screen.ecology.byCategory')}
          max={3}
        />
      </div>
      <Kpis
        items={[
          {
            figureKey: 'ecology.buildingFound',
            label: t('screen.ecology.buildingFound'),
            value: data.unauthorisedBuilding.found,
            href: findings,
          },
          {
            figureKey: 'ecology.buildingOpen',
            label: t('screen.ecology.buildingOpen'),
            value: data.unauthorisedBuilding.open,
            href: findings,
          },
          {
            figureKey: 'ecology.buildingThisMonth',
            label: t('screen.ecology.buildingThisMonth'),
            value: data.unauthorisedBuilding.thisMonth,
            href: findings,
          },
        ]}
      />
    </SectionFrame>
  );
});
