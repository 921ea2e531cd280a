// A villager follows what they reported, newest first, and rates the result with the same control
// as the case's page (reply first, stars with none chosen, 提交评价); a low rating or an objection
// sends it back to be handled again.
import '../words.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ItemList } from '../../../components/ItemList.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CASES_KEY, useQueue } from '../api/cases.ts';
import { expectedState, StateTag } from './case-bits.tsx';
import { RatingControl } from './RatingControl.tsx';

export default function MyCasesPage() {
  const { t } = useTranslation();
  const queue = useQueue('reported');
  const { pending } = useOutbox();
  useRefreshWhenSent(CASES_KEY);
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];

  // Cases rated or objected to here keep their control (its thank-you and score) after the list refreshes.
  const [actedOn, setActedOn] = useState<ReadonlySet<string>>(new Set());

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
            const allowed = [...(rateable ? ['rate'] : []), ...(objectable ? ['object'] : [])];
            return {
              key: c.id,
              title: <Link to={`/cases/${c.id}`}>{c.title}</Link>,
              description: (
                <div className="button-column">
                  <span>
                    <span className="nowrap">{c.number}</span> · {formatWhen(c.createdAt)}
                  </span>
                  {(allowed.length > 0 || actedOn.has(c.id)) && (
                    <RatingControl caseId={c.id} allowedActions={allowed} onActed={() => setActedOn((ids) => new Set(ids).add(c.id))} />
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
