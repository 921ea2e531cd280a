// 治理有效: the last twelve months' matters by state, completion and on-time reply rates, the
// appeals centre's figures (accepted, answered on the spot, assigned, handled) and the latest replies.
import '../words.ts';
import type { GovernanceSection as Governance } from '@cunzhi/contracts/dashboard';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { MaybeLink, Shortened, StackedBar } from './charts.tsx';
import { formatRate } from './figures.ts';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';
import { useWholeStage } from './stage.tsx';

/** MM-DD of an ISO time with its own offset (the server writes Beijing time). */
const dayOf = (iso: string) => iso.slice(5, 10);

export const GovernanceSection = memo(function GovernanceSection({ data, stale }: { data: Governance; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  const cases = link('/cases');
  const statistics = link('/cases/statistics');
  // A tile has room for the latest reply, shortened; a section alone on the stage shows three.
  const whole = useWholeStage();
  return (
    <SectionFrame section="governance" stale={stale}>
      <Kpis
        items={[
          { figureKey: 'governance.received', label: t('screen.governance.received'), value: data.received, href: cases },
          {
            figureKey: 'governance.completionRate',
            label: t('screen.governance.completionRate'),
            value: data.completionRate,
            href: statistics,
            rate: {},
          },
          {
            figureKey: 'governance.onTimeReplyRate',
            label: t('screen.governance.onTimeReplyRate'),
            value: data.onTimeReplyRate,
            href: statistics,
            rate: { colour: '#4cc9f0' },
          },
        ]}
      />
      <StackedBar
        label={t('screen.governance.byState')}
        items={data.byState
          .filter((row) => row.count > 0)
          .map((row) => ({ key: `governance.state.${row.state}`, label: t(`cases.states.${row.state}`), value: row.count, href: cases }))}
      />
      <p className="screen-subtitle">
        {t('screen.governance.appeals')} · {t('screen.governance.onTimeReplyRate')}{' '}
        <b data-figure="governance.appeals.onTimeReplyRate">{formatRate(data.appeals.onTimeReplyRate)}</b>
      </p>
      <Kpis
        columns={4}
        items={[
          {
            figureKey: 'governance.appeals.received',
            label: t('screen.governance.appealsReceived'),
            value: data.appeals.received,
            href: cases,
          },
          {
            figureKey: 'governance.appeals.answeredOnSpot',
            label: t('screen.governance.answeredOnSpot'),
            value: data.appeals.answeredOnSpot,
            href: cases,
          },
          { figureKey: 'governance.appeals.assigned', label: t('screen.governance.assigned'), value: data.appeals.assigned, href: cases },
          { figureKey: 'governance.appeals.handled', label: t('screen.governance.handled'), value: data.appeals.handled, href: cases },
        ]}
      />
      <div className="screen-replies">
        <span className="screen-subtitle">{t('screen.governance.latestReplies')}</span>
        {data.latestReplies.length === 0 ? (
          <p className="screen-empty">{t('screen.governance.noReplies')}</p>
        ) : (
          <ul className="screen-list">
            {data.latestReplies.slice(0, whole ? 3 : 1).map((reply) => (
              <li key={reply.id}>
                <MaybeLink href={link(`/cases/${reply.id}`)}>
                  <Shortened text={reply.title} ems={whole ? 28 : 10} />
                </MaybeLink>
                <span>{t(`cases.states.${reply.state}`)}</span>
                <span>{dayOf(reply.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </SectionFrame>
  );
});
