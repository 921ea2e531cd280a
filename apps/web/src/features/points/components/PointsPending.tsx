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
import { useBackCloses } from '../../../components/SideDrawer.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { cancelRedemption, useClaims, useRedemptions } from '../api/points.ts';

function CancelConfirm({ redemption, onConfirm, onKeep }: { redemption: Redemption; onConfirm(): void; onKeep(): void }) {
  const { t } = useTranslation();
  // The phone's back button keeps the exchange.
  useBackCloses(true, onKeep);
  return (
    <div role="alertdialog" aria-label={t('points.confirmCancelTitle')} data-testid="cancel-confirm">
      <Notice type="warning">
        {t('points.confirmCancel', { goods: redemption.goodsName, quantity: redemption.quantity, points: redemption.points })}
      </Notice>
      <Button type="primary" danger block size="large" onClick={onConfirm}>
        {t('points.confirmCancelButton')}
      </Button>
      <Button block size="large" onClick={onKeep}>
        {t('points.keepRedemption')}
      </Button>
    </div>
  );
}

export function MyClaimsAndRedemptions({ householdId, onCancelled }: { householdId: string; onCancelled(): void }) {
  const { t } = useTranslation();
  const { pending, failures } = useOutbox();
  const claims = useClaims({ householdId });
  const redemptions = useRedemptions({ householdId, state: 'pending' });
  const [asking, setAsking] = useState<Redemption>();
  const [cancelled, setCancelled] = useState<Redemption>();
  const labelOf = (redemption: Redemption) => `${t('points.cancel')} ${redemption.goodsName}`;
  const confirm = async (redemption: Redemption) => {
    setAsking(undefined);
    await cancelRedemption(redemption.id, labelOf(redemption));
    setCancelled(redemption);
    onCancelled();
  };
  // Saved offline, it says so while it waits, and that the points came back once it has gone.
  const waits = cancelled !== undefined && pending.some((p) => p.subjectId === cancelled.id);
  // Refused (collected meanwhile): the outbox's red line says why, and nothing came back to say so here.
  const refused = cancelled !== undefined && failures.some((f) => f.label === labelOf(cancelled));
  return (
    <>
      <Panel title={t('points.pending')}>
        {cancelled && !refused && (
          <Notice type="success" onClose={() => setCancelled(undefined)} testId="cancel-done">
            {t(waits ? 'points.cancelQueued' : 'points.cancelDone', { goods: cancelled.goodsName, points: cancelled.points })}
          </Notice>
        )}
        {asking ? (
          <CancelConfirm redemption={asking} onConfirm={() => void confirm(asking)} onKeep={() => setAsking(undefined)} />
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
