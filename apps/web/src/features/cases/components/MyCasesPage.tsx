// A villager follows what they reported, newest first, and rates the result (1–5, no default); a
// low rating or an objection sends it back to be handled again.
import '../words.ts';
import type { CaseSummary } from '@cunzhi/contracts/cases';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CASES_KEY, transitionCase, useQueue } from '../api/cases.ts';
import { expectedState, StateTag } from './case-bits.tsx';

export default function MyCasesPage() {
  const { t } = useTranslation();
  const queue = useQueue('reported');
  const { pending } = useOutbox();
  useRefreshWhenSent(CASES_KEY);
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];

  const rate = (c: CaseSummary, rating: number) => transitionCase(c.id, { action: 'rate', rating }, `${t('cases.actions.rate')} ${rating}`);
  const object = (c: CaseSummary) => transitionCase(c.id, { action: 'object' }, t('cases.actions.object'));

  return (
    <div className="phone-page">
      <OutboxBanner />
      <Panel title={t('cases.nav.mine')}>
        <ItemList
          loading={queue.isLoading}
          empty={t('cases.empty')}
          items={items.map((c) => {
            const state = expectedState(c, pending);
            // The server says what this person may do now; the outbox what they already did.
            const rateable = state === c.state && c.allowedActions.includes('rate');
            const objectable = state === c.state && c.allowedActions.includes('object') && state === 'replied';
            return {
              key: c.id,
              title: <Link to={`/cases/${c.id}`}>{c.title}</Link>,
              description: (
                <div className="button-column">
                  <span>
                    {c.number} · {formatTime(c.createdAt)}
                  </span>
                  {rateable && (
                    <fieldset className="button-row" aria-label={t('cases.rateTitle')}>
                      {[1, 2, 3, 4, 5].map((n) => (
                        <Button key={n} aria-label={`${t('cases.actions.rate')} ${n}`} onClick={() => void rate(c, n)}>
                          {'★'.repeat(n)}
                        </Button>
                      ))}
                      {objectable && (
                        <Button danger onClick={() => void object(c)}>
                          {t('cases.actions.object')}
                        </Button>
                      )}
                    </fieldset>
                  )}
                </div>
              ),
              extra: <StateTag state={state} />,
            };
          })}
        />
      </Panel>
    </div>
  );
}
