import type {
  BulkGrantInput,
  BulkGrantResult,
  ClaimInput,
  ClaimWithPhotos,
  DeductionInput,
  Goods,
  PointsAccount,
  PointsClaim,
  PointsRule,
  RankingItem,
  Redemption,
  RedemptionInput,
  ReviewInput,
} from '@cunzhi/contracts/points';
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, query } from '../../../lib/api-client.ts';
import { householdQuery } from '../../../lib/households.ts';
import { defineCommands } from '../../../lib/outbox.ts';
import { FIRST_READS_FRESH_MS, whenSignedIn } from '../../../lib/session.ts';

export const POINTS_KEY = 'points';

/**
 * The villager's own account, asked for as the page starts, beside the session (prefetchPointsPage):
 * `/accounts/mine` needs no household id, so it does not wait for the session to say which. The
 * first read of the account takes it, if it is the same household's and as fresh as a first read.
 */
let early: { answer: Promise<PointsAccount | undefined>; askedAt: number } | undefined;

function takeEarly(): Promise<PointsAccount | undefined> {
  const taken = early && Date.now() - early.askedAt < FIRST_READS_FRESH_MS ? early.answer : Promise.resolve(undefined);
  early = undefined;
  return taken;
}

// The points page's reads, asked for at start (prefetchPointsPage) as well as by its components. A
// household's own lists count as fresh for a while: the page draws its panels when the shop's goods
// are in, and each panel asking its reads again as it appeared doubled them.
const accountQuery = (householdId: string | undefined) =>
  queryOptions({
    queryKey: [POINTS_KEY, 'account', householdId],
    queryFn: async () => {
      const first = await takeEarly();
      return first?.householdId === householdId ? first : api<PointsAccount>(`/api/points/accounts/${householdId}`);
    },
    enabled: Boolean(householdId),
    staleTime: FIRST_READS_FRESH_MS,
  });

const rulesQuery = (villageId: string | undefined) =>
  queryOptions({
    queryKey: [POINTS_KEY, 'rules', villageId],
    queryFn: () => api<{ items: PointsRule[] }>(`/api/points/villages/${villageId}/rules`),
    enabled: Boolean(villageId),
    staleTime: 10 * 60_000,
  });

const goodsQuery = (villageId: string | undefined) =>
  queryOptions({
    queryKey: [POINTS_KEY, 'goods', villageId],
    queryFn: () => api<{ items: Goods[] }>(`/api/points/villages/${villageId}/goods`),
    enabled: Boolean(villageId),
    staleTime: FIRST_READS_FRESH_MS,
  });

const claimsQuery = (params: { state?: string; householdId?: string }) =>
  queryOptions({
    queryKey: [POINTS_KEY, 'claims', params],
    queryFn: () => api<{ items: PointsClaim[] }>(`/api/points/claims${query({ ...params, limit: 50 })}`),
    // The keeper's lists as before: asked again whenever the page shows them.
    staleTime: params.householdId ? FIRST_READS_FRESH_MS : 0,
  });

const redemptionsQuery = (params: { state?: string; householdId?: string }) =>
  queryOptions({
    queryKey: [POINTS_KEY, 'redemptions', params],
    queryFn: () => api<{ items: Redemption[] }>(`/api/points/redemptions${query({ ...params, limit: 50 })}`),
    staleTime: params.householdId ? FIRST_READS_FRESH_MS : 0,
  });

const rankingQuery = (villageId: string | undefined, period: 'month' | 'year') =>
  queryOptions({
    queryKey: [POINTS_KEY, 'ranking', villageId, period],
    queryFn: () => api<{ items: RankingItem[] }>(`/api/points/villages/${villageId}/rankings?period=${period}`),
    enabled: Boolean(villageId),
    staleTime: FIRST_READS_FRESH_MS,
  });

export const usePointsAccount = (householdId: string | undefined) => useQuery(accountQuery(householdId));
export const useRules = (villageId: string | undefined) => useQuery(rulesQuery(villageId));
export const useGoods = (villageId: string | undefined) => useQuery(goodsQuery(villageId));
export const useClaims = (params: { state?: string; householdId?: string }) => useQuery(claimsQuery(params));
export const useRedemptions = (params: { state?: string; householdId?: string }) => useQuery(redemptionsQuery(params));
export const useRanking = (villageId: string | undefined, period: 'month' | 'year') => useQuery(rankingQuery(villageId, period));

/**
 * The points page's reads (MyPointsPage), asked for at start (app/router.tsx) rather than one after
 * the other as the page and then its panels draw: the account beside the session, the household's
 * lists once the session says which household, the village's goods, rules and ranking as soon as the
 * household says which village it is in.
 */
export function prefetchPointsPage(client: QueryClient): void {
  // Nobody signed in: refused, and the page asks again after sign-in.
  early = { answer: api<PointsAccount>('/api/points/accounts/mine').catch(() => undefined), askedAt: Date.now() };
  whenSignedIn(client, async (session) => {
    const householdId = session.user.householdId ?? undefined;
    if (!householdId) return;
    void client.prefetchQuery(accountQuery(householdId));
    void client.prefetchQuery(claimsQuery({ householdId }));
    void client.prefetchQuery(redemptionsQuery({ householdId, state: 'pending' }));
    const { villageId } = await client.fetchQuery(householdQuery(householdId));
    if (!villageId) return;
    void client.prefetchQuery(goodsQuery(villageId));
    void client.prefetchQuery(rulesQuery(villageId));
    void client.prefetchQuery(rankingQuery(villageId, 'month'));
  });
}

/** Keeper actions: each refreshes what it changed. */
export function usePointsAction<T>(call: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => client.invalidateQueries({ queryKey: [POINTS_KEY] }) });
}

export const pointsApi = {
  review: (id: string, body: Static<typeof ReviewInput>) => api(`/api/points/claims/${id}/reviews`, { method: 'POST', body }),
  claimWithPhotos: (id: string) => api<Static<typeof ClaimWithPhotos>>(`/api/points/claims/${id}`),
  collect: (id: string) => api(`/api/points/redemptions/${id}/collect`, { method: 'POST' }),
  grant: (body: Static<typeof BulkGrantInput>) => api<Static<typeof BulkGrantResult>>('/api/points/grants', { method: 'POST', body }),
  deduct: (body: Static<typeof DeductionInput>) => api('/api/points/deductions', { method: 'POST', body }),
  restock: (villageId: string, goods: Goods, quantity: number) =>
    api(`/api/points/villages/${villageId}/goods/${goods.id}`, {
      method: 'PUT',
      body: {
        name: goods.name,
        nameEn: goods.nameEn,
        unit: goods.unit,
        price: goods.price,
        reorderLevel: goods.reorderLevel,
        active: goods.active,
        restock: quantity,
      },
    }),
  goodsPhoto: (villageId: string, goods: Goods, file: File) =>
    api<void>(`/api/points/villages/${villageId}/goods/${goods.id}/photo`, { method: 'PUT', file }),
  setPublicName: (householdId: string, publicName: boolean) =>
    api(`/api/points/accounts/${householdId}/public-name`, { method: 'PUT', body: { publicName } }),
};

/** A villager's claims and redemptions go through the outbox: sent now, or once the network is back. */
export const pointsCommands = defineCommands<{
  'points.claim': Static<typeof ClaimInput>;
  'points.addClaimPhoto': { claimId: string; stage: 'before' | 'after'; photo: Blob };
  'points.redeem': Static<typeof RedemptionInput>;
  'points.cancelRedemption': { redemptionId: string };
}>({
  'points.claim': (body) => ({ path: '/api/points/claims', json: body }),
  'points.addClaimPhoto': ({ claimId, stage, photo }) => ({ path: `/api/points/claims/${claimId}/photos${query({ stage })}`, file: photo }),
  'points.redeem': (body) => ({ path: '/api/points/redemptions', json: body }),
  'points.cancelRedemption': ({ redemptionId }) => ({ path: `/api/points/redemptions/${redemptionId}/cancel`, json: {} }),
});

/** A claim minted with its id on the phone, so that its photos can follow it before it is sent. */
/** The claim's id is its key too: the same form sent again (a tap after a lost answer) is the same claim. */
export const claimPoints = (body: Static<typeof ClaimInput> & { id: string }, label: string) =>
  pointsCommands.queue('points.claim', body, { label }, body.id);

export const addClaimPhoto = (claimId: string, stage: 'before' | 'after', photo: Blob, label: string) =>
  pointsCommands.queue('points.addClaimPhoto', { claimId, stage, photo }, { label });

/** Waits in the outbox under the goods it exchanges (action 'redeem'), so the shop can count what it will spend. */
export const redeemGoods = (body: Static<typeof RedemptionInput>, label: string) =>
  pointsCommands.queue('points.redeem', body, { label, subjectId: body.goodsId, action: 'redeem' });

export const cancelRedemption = (redemptionId: string, label: string) =>
  pointsCommands.queue('points.cancelRedemption', { redemptionId }, { label });
