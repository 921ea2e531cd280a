// 待领取 and 我的申请 on the villager's points page. Cancelling an exchange asks first, as exchanging
// does: one stray tap on a cheap phone must not give up goods the household waited for.
import '../words.ts';
import type { Redemption } from '@cunzhi/contracts/points';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { cancelRedemption, useClaims, useRedemptions } from '../api/points.ts';
import { ConfirmAsk } from './ConfirmAsk.tsx';

export function MyClaimsAndRedemptions({ householdId, onCancelled }: { householdId: string; onCancelled(): void }) {
  const { t } = useTranslation();
  const { pending, failures } = useOutbox();
  const claims = useClaims({ householdId });
  const redemptions = useRedemptions({ householdId, state: 'pending' });
  const [asking, setAsking] = useState<Redemption>();
  /** The exchange cancelled, with its step's id in the outbox. */
  const [cancelled, setCancelled] = useState<Redemption & { step: string }>();
  const confirm = async (redemption: Redemption) => {
    setAsking(undefined);
    const step = await cancelRedemption(redemption.id, `${t('points.cancel')} ${redemption.goodsName}`);
    setCancelled({ ...redemption, step });
    onCancelled();
  };
  // Saved offline, it says so while it waits, and that the points came back once it has gone.
  const waits = cancelled !== undefined && pending.some((p) => p.id === cancelled.step);
  // Refused (collected meanwhile): the outbox's red line says why, and nothing came back to say so here.
  const refused = cancelled !== undefined && failures.some((f) => f.id === cancelled.step);
  return (
    <>
      <Panel title={t('points.pending')}>
        {cancelled && !refused && (
          <Notice type="success" onClose={() => setCancelled(undefined)} testId="cancel-done">
            {t(waits ? 'points.cancelQueued' : 'points.cancelDone', { goods: cancelled.goodsName, points: cancelled.points })}
          </Notice>
        )}
        {asking ? (
          <ConfirmAsk
            title={t('points.confirmCancelTitle')}
            testId="cancel-confirm"
            question={t('points.confirmCancel', { goods: asking.goodsName, quantity: asking.quantity, points: asking.points })}
            confirm={t('points.confirmCancelButton')}
            keep={t('points.keepRedemption')}
            danger
            onConfirm={() => void confirm(asking)}
            onKeep={() => setAsking(undefined)}
          />
        ) : (
          <ItemList
            empty={t('common.noData')}
            loading={redemptions.isLoading}
            read={redemptions}
            items={(redemptions.data?.items ?? [])
              .filter((r) => r.id !== cancelled?.id)
              .map((r) => ({
                key: r.id,
                title: `${r.goodsName} × ${r.quantity}`,
                description: `${r.points} ${t('points.unit')} · ${formatWhen(r.createdAt)}`,
                extra: (
                  <Button size="small" data-testid="cancel-redemption" onClick={() => setAsking(r)}>
                    {t('points.cancel')}
                  </Button>
                ),
              }))}
          />
        )}
      </Panel>
      <Panel title={t('points.myClaims')}>
        <ItemList
          empty={t('common.noData')}
          loading={claims.isLoading}
          read={claims}
          items={(claims.data?.items ?? []).map((c) => ({
            key: c.id,
            title: `${c.ruleItem} +${c.points}`,
            description: [formatWhen(c.createdAt), c.reason].filter(Boolean).join(' · '),
            extra: (
              <Chip colour={c.state === 'approved' ? 'green' : c.state === 'rejected' ? 'red' : 'gold'}>
                {t(`points.states.${c.state}`)}
              </Chip>
            ),
          }))}
        />
      </Panel>
    </>
  );
}
