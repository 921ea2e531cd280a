// 积分银行 on a villager's phone: my balance and what I earned this month and last ("103 points
// last month"), what I can buy, my claims, the village ranking. Claims and redemptions go through
// the outbox, so a claim made without signal is sent once when the network is back.
import '../words.ts';
import type { Goods, PointsAccount } from '@cunzhi/contracts/points';
import { memo, useDeferredValue, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { ItemList, ListEmpty } from '../../../components/ItemList.tsx';
import { Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { MoreButton } from '../../../components/MoreButton.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useHousehold } from '../../../lib/households.ts';
import { newId } from '../../../lib/new-id.ts';
import { notLoadedForNetwork } from '../../../lib/offline-data.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { useSession } from '../../../lib/session.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { addClaimPhoto, claimPoints, POINTS_KEY, redeemGoods, useGoods, usePointsAccount, useRules } from '../api/points.ts';
import { ConfirmAsk } from './ConfirmAsk.tsx';
import { MyClaimsAndRedemptions } from './PointsPending.tsx';
import { Ranking } from './PointsRanking.tsx';

function Summary({ account }: { account: PointsAccount }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('points.nav.mine')}>
      <div className="figures">
        <div>
          <strong data-testid="points-balance">{account.balance}</strong>
          <span>{t('points.balance')}</span>
        </div>
        <div>
          <strong data-testid="points-this-month">{account.thisMonth.earned}</strong>
          <span>{t('points.thisMonth')}</span>
        </div>
        <div>
          <strong data-testid="points-last-month">{account.lastMonth.earned}</strong>
          <span>{t('points.lastMonth')}</span>
        </div>
      </div>
      {/* The month's sum in words, so the balance is explained by the entries under it. */}
      <p className="muted" data-testid="points-reconcile">
        {t('points.reconcile', {
          opening: account.thisMonth.opening,
          earned: account.thisMonth.earned,
          spent: account.thisMonth.spent,
          balance: account.balance,
        })}
      </p>
      <ItemList
        empty={t('common.noData')}
        items={[...account.thisMonth.entries]
          .reverse()
          .slice(0, 10)
          .map((e) => ({
            key: e.id,
            title: e.ruleItem ?? e.note ?? t(`points.kinds.${e.kind}`),
            description: `${formatWhen(e.at)} · ${t(`points.kinds.${e.kind}`)}`,
            extra: <Chip colour={e.amount >= 0 ? 'green' : 'red'}>{`${e.amount > 0 ? '+' : ''}${e.amount}`}</Chip>,
          }))}
      />
    </Panel>
  );
}

/**
 * Redeeming spends points, so the first tap only asks: what, for how many points, and the balance
 * after; the second sends it (through the outbox) and says whether it went or waits for signal.
 */
function RedeemConfirm({
  goods,
  name,
  balance,
  onConfirm,
  onCancel,
}: {
  goods: Goods;
  name: string;
  balance: number;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  // The phone's back button cancels (ConfirmAsk), and the shop stays.
  return (
    <ConfirmAsk
      title={t('points.confirmRedeemTitle')}
      testId="redeem-confirm"
      question={t('points.confirmRedeem', { goods: name, price: goods.price, after: balance - goods.price, unit: goods.unit ?? '' })}
      confirm={t('points.confirmRedeemButton')}
      keep={t('common.cancel')}
      onConfirm={onConfirm}
      onKeep={onCancel}
    />
  );
}

/**
 * What the shop lists before 查看全部 (the ranking its top 5, PointsRanking.tsx). In elder mode the
 * whole shop and ranking made the page over 3,000 px, the claim form far below.
 */
const FIRST_GOODS = 6;

/** The shop's note of the last exchange: the goods' name and the exchange's step in the outbox. */
type ShopNote = { goods: string; step: string };

function Shop({
  householdId,
  villageId,
  balance,
  done,
  setDone,
}: {
  householdId: string;
  villageId: string;
  balance: number;
  /** The last exchange (its goods' name and its outbox step); the page's, so that cancelling it below takes it away. */
  done: ShopNote | undefined;
  setDone(note: ShopNote | undefined): void;
}) {
  const { t, i18n } = useTranslation();
  const goods = useGoods(villageId);
  const { pending, failures } = useOutbox();
  const [all, setAll] = useState(false);
  const [asking, setAsking] = useState<Goods>();
  const name = (g: Goods) => (i18n.language === 'en' && g.nameEn ? g.nameEn : g.name);
  const active = (goods.data?.items ?? []).filter((g) => g.active);
  // Exchanges saved offline are not in the balance yet: what is left after the next one counts them
  // (newcomer: three saved offline each said 还剩 25 of the same 45).
  const waiting = pending
    .filter((p) => p.action === 'redeem')
    .reduce((sum, p) => sum + (active.find((g) => g.id === p.subjectId)?.price ?? 0), 0);
  const left = balance - waiting;
  const redeem = async (g: Goods) => {
    setAsking(undefined);
    const step = await redeemGoods({ householdId, goodsId: g.id, quantity: 1 }, `${t('points.redeem')} ${name(g)}`);
    setDone({ goods: name(g), step });
  };
  // Saved offline, it says so while it waits and that it went once it has; refused, the outbox's red
  // line says why. Online it says nothing while the request is on its way (it said 已保存 for that moment).
  const waits = done !== undefined && pending.some((p) => p.id === done.step);
  const refused = done !== undefined && failures.some((f) => f.id === done.step);
  const inFlight = waits && navigator.onLine;
  return (
    <Panel title={t('points.shop')}>
      {done && !refused && !inFlight && (
        <Notice type="success" onClose={() => setDone(undefined)} testId="redeem-done">
          {t(waits ? 'points.redeemQueued' : 'points.redeemSent', { goods: done.goods })}
        </Notice>
      )}
      <ItemList
        empty={t('common.noData')}
        read={goods}
        items={active.slice(0, all ? undefined : FIRST_GOODS).map((g) => ({
          key: g.id,
          title: (
            <span className="goods-title">
              {g.photoUrl && <img src={g.photoUrl} alt="" loading="lazy" />}
              {name(g)}
            </span>
          ),
          description: `${g.price} ${t('points.unit')} / ${g.unit ?? ''} · ${t('points.left')} ${g.available}`,
          // The question sits under the goods tapped, not at the top of the shop (newcomer: a tap
          // on the fourth item asked above the first, out of sight on a longer list).
          below: asking?.id === g.id && (
            <RedeemConfirm goods={g} name={name(g)} balance={left} onConfirm={() => void redeem(g)} onCancel={() => setAsking(undefined)} />
          ),
          extra:
            g.available <= 0 ? (
              <Chip>{t('points.soldOut')}</Chip>
            ) : (
              <Button
                type="primary"
                disabled={left < g.price}
                onClick={() => {
                  setDone(undefined);
                  setAsking(g);
                }}
              >
                {left < g.price ? t('points.cannotAfford') : t('points.redeem')}
              </Button>
            ),
        }))}
      />
      {active.length > FIRST_GOODS && (
        <MoreButton expanded={all} onClick={() => setAll(!all)} testId="shop-all">
          {all ? t('points.shopFewer', { count: FIRST_GOODS }) : t('points.shopAll', { count: active.length })}
        </MoreButton>
      )}
    </Panel>
  );
}

function ClaimForm({ householdId, villageId }: { householdId: string; villageId: string }) {
  const { t, i18n } = useTranslation();
  const rules = useRules(villageId);
  const [ruleId, setRuleId] = useState('');
  const [note, setNote] = useState('');
  const [before, setBefore] = useState<File>();
  const [after, setAfter] = useState<File>();
  const [done, setDone] = useState<'claimSent' | 'claimQueued'>();
  // One form, one claim: its id is minted once, and a second tap while it is saved does nothing
  // (a double tap on 提交申请 made two claims, each with its photos, for the keeper to approve twice).
  const [claimId, setClaimId] = useState(newId);
  const [sending, setSending] = useState(false);
  const busy = useRef(false);
  const earning = (rules.data?.items ?? []).filter((r) => r.active && r.points > 0);
  const submit = async () => {
    const rule = earning.find((r) => r.id === ruleId);
    if (!rule || busy.current) return;
    busy.current = true;
    setSending(true);
    try {
      await claimPoints({ id: claimId, householdId, ruleId, note: note.trim() || undefined }, `${t('points.claim')}：${rule.item}`);
      if (before) await addClaimPhoto(claimId, 'before', before, t('points.before'));
      if (after) await addClaimPhoto(claimId, 'after', after, t('points.after'));
    } finally {
      busy.current = false;
      setSending(false);
    }
    setDone(navigator.onLine ? 'claimSent' : 'claimQueued');
    setClaimId(newId());
    setRuleId('');
    setNote('');
    setBefore(undefined);
    setAfter(undefined);
  };
  return (
    <Panel title={t('points.claim')}>
      {done && (
        <Notice type="success" onClose={() => setDone(undefined)}>
          {t(`points.${done}`)}
        </Notice>
      )}
      <select className="text-input" aria-label={t('points.chooseRule')} value={ruleId} onChange={(e) => setRuleId(e.target.value)}>
        <option value="">{t('points.chooseRule')}</option>
        {earning.map((r) => (
          <option key={r.id} value={r.id}>
            {`${i18n.language === 'en' && r.itemEn ? r.itemEn : r.item} +${r.points}`}
          </option>
        ))}
      </select>
      <TextArea
        aria-label={t('points.note')}
        placeholder={t('points.note')}
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <FilePicker
        label={t('points.before')}
        caption={t('points.before')}
        kind="photo"
        accept="image/*"
        camera
        chosen={before ? [before.name] : []}
        onChoose={([file]) => setBefore(file)}
      />
      <FilePicker
        label={t('points.after')}
        caption={t('points.after')}
        kind="photo"
        accept="image/*"
        camera
        chosen={after ? [after.name] : []}
        onChoose={([file]) => setAfter(file)}
      />
      <Button type="primary" block size="large" disabled={!ruleId || sending} loading={sending} onClick={() => void submit()}>
        {t('points.submit')}
      </Button>
    </Panel>
  );
}

/**
 * The shop, the claim form, my claims and the ranking, drawn as a transition, in slices: drawn in the
 * same task as the goods' arrival (react-query's updates render in one piece), the four panels held a
 * slow phone's main thread in one long task. The deferred value lives here and not in the page: React
 * checks, at the end of a render in slices, that every store the components it drew read from is
 * unchanged, and draws all of it again in one piece when one has changed; with the page's reads (the
 * session, the household, the account, the goods) in that render, any of them answering while the
 * panels were drawn made the panels one long task again.
 */
const Panels = memo(function Panels({
  ready,
  householdId,
  villageId,
  balance,
  publicName,
}: {
  ready: boolean;
  householdId: string;
  villageId: string;
  balance: number;
  publicName: boolean;
}) {
  // False at first (as the page's own deferred value was: the panels mount when the account arrives,
  // in the same task), so that the panels always come in a render of their own.
  const shown = useDeferredValue(ready, false);
  // 已兑换“酱油” stood beside 已取消兑换“酱油” once the exchange was cancelled: the cancel takes it away.
  const [shopNote, setShopNote] = useState<ShopNote>();
  if (!shown || !ready) return null;
  return (
    <>
      <Shop householdId={householdId} villageId={villageId} balance={balance} done={shopNote} setDone={setShopNote} />
      <ClaimForm householdId={householdId} villageId={villageId} />
      <MyClaimsAndRedemptions householdId={householdId} onCancelled={() => setShopNote(undefined)} />
      <Ranking villageId={villageId} householdId={householdId} publicName={publicName} />
    </>
  );
});

export default function MyPointsPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const householdId = session?.user.householdId ?? undefined;
  const household = useHousehold(householdId);
  const account = usePointsAccount(householdId);
  const villageId = household.data?.villageId ?? undefined;
  // The panels wait for the shop's goods: drawn before them, they would jump down the screen when the goods arrive.
  const goods = useGoods(villageId);
  // ...and are drawn as a transition (Panels). Offline with the goods never loaded, the panels come
  // anyway, each list saying it was not loaded yet.
  const panelsReady = !goods.isPending || notLoadedForNetwork(goods);
  useRefreshWhenSent(POINTS_KEY);
  if (!householdId) return <Notice type="info">{t('common.noHousehold')}</Notice>;
  return (
    <div className="phone-page">
      <OutboxBanner />
      {account.data && <Summary account={account.data} />}
      {/* Offline on a phone that never loaded the account: say so, not a blank page nor 暂无数据. */}
      {!account.data && notLoadedForNetwork(account) && (
        <Panel title={t('points.nav.mine')}>
          <ListEmpty empty={t('common.noData')} read={account} />
        </Panel>
      )}
      {villageId && account.data && (
        <Panels
          ready={panelsReady}
          householdId={householdId}
          villageId={villageId}
          balance={account.data.balance}
          publicName={account.data.publicName}
        />
      )}
    </div>
  );
}
