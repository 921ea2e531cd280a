import { Id, pageOf } from '@cunzhi/contracts/common';
import {
  ClaimInput,
  Goods,
  GoodsInput,
  LedgerEntry,
  PointsAccount,
  PointsClaim,
  PointsRule,
  PointsRuleInput,
  RankingItem,
  RankingQuery,
  Redemption,
  ReviewInput,
  Statement,
} from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses, IdempotencyHeaders, NoContent, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { presentClaim, presentEntry, presentGoods, presentRedemption, presentRule, presentStatement } from './points.presenters.ts';
import { localMonth } from './points.repository.ts';
import * as points from './points.service.ts';

const errors = errorResponses;
const ByVillage = Type.Object({ villageId: Id });
const Month = Type.Integer({ minimum: 200001, maximum: 299912, description: 'yyyymm' });
const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 20 })),
  householdId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});

const ruleWrite = (input: PointsRuleInput) => ({
  code: input.code,
  item: input.item,
  itemEn: input.itemEn ?? null,
  category: input.category,
  points: input.points,
  evidenceRequired: input.evidenceRequired ?? false,
  limitPerDay: input.limitPerDay ?? null,
  limitPerMonth: input.limitPerMonth ?? null,
  limitPerHousehold: input.limitPerHousehold ?? null,
  validFrom: input.validFrom ? Date.parse(input.validFrom) : null,
  validTo: input.validTo ? Date.parse(input.validTo) : null,
  active: input.active ?? true,
});

const goodsWrite = (input: GoodsInput) => ({
  name: input.name,
  nameEn: input.nameEn ?? null,
  unit: input.unit ?? null,
  price: input.price,
  reorderLevel: input.reorderLevel ?? 0,
  active: input.active ?? true,
  restock: input.restock,
});

export const pointsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['points'];

  app.get(
    '/villages/:villageId/rules',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "The village's rule table (积分细则)",
        params: ByVillage,
        response: { 200: Type.Object({ items: Type.Array(PointsRule) }), ...errors },
      },
    },
    async (request) => ({ items: (await points.listRules(deps, requirePrincipal(request), request.params.villageId)).map(presentRule) }),
  );

  app.post(
    '/villages/:villageId/rules',
    {
      config: { access: { permission: 'points.rules' } },
      schema: { tags, summary: 'Add a rule', params: ByVillage, body: PointsRuleInput, response: { 201: PointsRule, ...errors } },
    },
    async (request, reply) => {
      const rule = await points.saveRule(
        deps,
        requirePrincipal(request),
        actorOf(request),
        { villageId: request.params.villageId },
        ruleWrite(request.body),
      );
      return reply.status(201).send(presentRule(rule));
    },
  );

  app.put(
    '/villages/:villageId/rules/:id',
    {
      config: { access: { permission: 'points.rules' } },
      schema: {
        tags,
        summary: 'Change a rule (points already granted stay as they were)',
        params: Type.Object({ villageId: Id, id: Id }),
        body: PointsRuleInput,
        response: { 200: PointsRule, ...errors },
      },
    },
    async (request) =>
      presentRule(
        await points.saveRule(
          deps,
          requirePrincipal(request),
          actorOf(request),
          { villageId: request.params.villageId, id: request.params.id },
          ruleWrite(request.body),
        ),
      ),
  );

  app.get(
    '/villages/:villageId/goods',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The points shop (积分超市): goods, prices and stock',
        params: ByVillage,
        response: { 200: Type.Object({ items: Type.Array(Goods) }), ...errors },
      },
    },
    async (request) => ({ items: (await points.listGoods(deps, requirePrincipal(request), request.params.villageId)).map(presentGoods) }),
  );

  app.post(
    '/villages/:villageId/goods',
    {
      config: { access: { permission: 'points.keep' } },
      schema: { tags, summary: 'Add goods to the shop', params: ByVillage, body: GoodsInput, response: { 201: Goods, ...errors } },
    },
    async (request, reply) => {
      const goods = await points.saveGoods(
        deps,
        requirePrincipal(request),
        actorOf(request),
        { villageId: request.params.villageId },
        goodsWrite(request.body),
      );
      return reply.status(201).send(presentGoods(goods));
    },
  );

  app.put(
    '/villages/:villageId/goods/:id',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Change goods, or receive stock (restock)',
        params: Type.Object({ villageId: Id, id: Id }),
        body: GoodsInput,
        response: { 200: Goods, ...errors },
      },
    },
    async (request) =>
      presentGoods(
        await points.saveGoods(
          deps,
          requirePrincipal(request),
          actorOf(request),
          { villageId: request.params.villageId, id: request.params.id },
          goodsWrite(request.body),
        ),
      ),
  );

  app.put(
    '/villages/:villageId/goods/:id/photo',
    {
      config: { access: { permission: 'points.keep' } },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'A picture of the goods for the shop (the picture as the body)',
        params: Type.Object({ villageId: Id, id: Id }),
        consumes: PHOTO_TYPES,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      await points.setGoodsPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.villageId,
        request.params.id,
        request.body,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/villages/:villageId/goods/:id/photo',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The picture of the goods (JPEG)',
        params: Type.Object({ villageId: Id, id: Id }),
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const file = await points.goodsPhoto(deps, requirePrincipal(request), request.params.villageId, request.params.id);
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(file);
    },
  );

  app.get(
    '/villages/:villageId/rankings',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Households ranked by points earned in a month or a year, in the village or one villager group (ties share a rank)',
        params: ByVillage,
        querystring: RankingQuery,
        response: { 200: Type.Object({ items: Type.Array(RankingItem) }), ...errors },
      },
    },
    async (request) => {
      const query = rankingQuery(request.params.villageId, request.query, deps.now());
      const rows = await points.rankings(deps, requirePrincipal(request), query);
      return {
        items: rows.map((r) => ({
          rank: r.rank,
          householdId: r.householdId,
          name: `${r.headName}户`,
          regionId: r.regionId,
          points: r.points,
        })),
      };
    },
  );

  app.get(
    '/villages/:villageId/summary',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          'Rural civilization (乡风文明) figures for the dashboard: households taking part, points granted, deducted and redeemed, by category',
        params: ByVillage,
        querystring: RankingQuery,
        response: {
          200: Type.Object({
            fromMonth: Type.Integer(),
            toMonth: Type.Integer(),
            households: Type.Integer(),
            earningHouseholds: Type.Integer(),
            granted: Type.Integer(),
            deducted: Type.Integer(),
            redeemed: Type.Integer(),
            byCategory: Type.Array(Type.Object({ category: Type.String(), points: Type.Integer() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => points.summary(deps, requirePrincipal(request), rankingQuery(request.params.villageId, request.query, deps.now())),
  );

  app.get(
    '/villages/:villageId/report',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Points granted and spent by month, villager group, category and rule, with the reorder list; XLSX with format=xlsx',
        params: ByVillage,
        querystring: Type.Object({ from: Month, to: Month, format: Type.Optional(Type.Literal('xlsx')) }),
        produces: ['application/json', XLSX_CONTENT_TYPE],
      },
    },
    async (request, reply) => {
      const result = await points.report(deps, requirePrincipal(request), request.params.villageId, request.query.from, request.query.to);
      if (request.query.format !== 'xlsx') return { rows: result.rows, reorder: result.reorder.map(presentGoods) };
      const table = [
        ['月份 Month', '村民小组 Group', '类别 Category', '细则 Rule', '类型 Kind', '积分 Points', '笔数 Entries'],
        ...result.rows.map((r) => [r.month, r.regionId, r.category, r.ruleItem, r.kind, r.points, r.entries]),
      ];
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="points-${request.query.from}-${request.query.to}.xlsx"`)
        .send(toXlsx('积分 Points', table));
    },
  );

  app.get(
    '/accounts/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "A household's balance with this and last month's statements",
        params: ById,
        response: { 200: PointsAccount, ...errors },
      },
    },
    async (request) => {
      const result = await points.account(deps, requirePrincipal(request), request.params.id);
      return { ...result, thisMonth: presentStatement(result.thisMonth), lastMonth: presentStatement(result.lastMonth) };
    },
  );

  app.get(
    '/accounts/:id/statements/:month',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'A monthly statement',
        params: Type.Object({ id: Id, month: Month }),
        response: { 200: Statement, ...errors },
      },
    },
    async (request) => presentStatement(await points.statement(deps, requirePrincipal(request), request.params.id, request.params.month)),
  );

  app.put(
    '/accounts/:id/public-name',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Whether the household agrees to be named in public rankings',
        params: ById,
        body: Type.Object({ publicName: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await points.setPublicName(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.publicName);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/claims',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'File a claim for points under a rule',
        headers: IdempotencyHeaders,
        body: ClaimInput,
        response: { 201: PointsClaim, ...errors },
      },
    },
    async (request, reply) => {
      const claim = await points.fileClaim(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentClaim(claim));
    },
  );

  app.get(
    '/claims',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Claims in my scope, newest first (a villager: their household)',
        querystring: ListQuery,
        response: { 200: pageOf(PointsClaim), ...errors },
      },
    },
    async (request) => {
      const page = await points.listClaims(deps, requirePrincipal(request), request.query);
      return { items: page.items.map(presentClaim), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/claims/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'A claim with its photos',
        params: ById,
        response: {
          200: Type.Object({
            claim: PointsClaim,
            photos: Type.Array(Type.Object({ id: Id, stage: Type.String(), url: Type.String(), thumbUrl: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { claim, photos } = await points.getClaim(deps, requirePrincipal(request), request.params.id);
      return {
        claim: presentClaim(claim),
        photos: photos.map((p) => ({
          id: p.id,
          stage: p.stage,
          url: `/api/points/claims/${claim.id}/photos/${p.id}`,
          thumbUrl: `/api/points/claims/${claim.id}/photos/${p.id}?variant=thumb`,
        })),
      };
    },
  );

  acceptPhotoBodies(app, deps.config.photoLimitBytes);

  app.post(
    '/claims/:id/photos',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Add a before or after photo to a claim (the picture as the body)',
        params: ById,
        headers: IdempotencyHeaders,
        querystring: Type.Object({ stage: Type.Optional(Type.Union([Type.Literal('before'), Type.Literal('after')])) }),
        consumes: PHOTO_TYPES,
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      const photo = await points.addClaimPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.stage ?? 'after',
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(photo);
    },
  );

  app.get(
    '/claims/:id/photos/:photoId',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'A claim photo (JPEG)',
        params: Type.Object({ id: Id, photoId: Id }),
        querystring: Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) }),
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const file = await points.claimPhotoFile(
        deps,
        requirePrincipal(request),
        request.params.id,
        request.params.photoId,
        request.query.variant === 'thumb',
      );
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400').send(file);
    },
  );

  app.post(
    '/claims/:id/reviews',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The keeper approves (points booked), rejects or asks for more; the filer resubmits',
        params: ById,
        headers: IdempotencyHeaders,
        body: ReviewInput,
        response: { 200: PointsClaim, ...errors },
      },
    },
    async (request) =>
      presentClaim(
        await points.reviewClaim(deps, requirePrincipal(request), actorOf(request), request.params.id, {
          ...request.body,
          idempotencyKey: idempotencyKeyOf(request),
        }),
      ),
  );

  app.post(
    '/grants',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Grant a rule to many households at once (e.g. everyone at the village clean-up)',
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            ruleId: Id,
            householdIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            booked: Type.Array(LedgerEntry),
            skipped: Type.Array(Type.Object({ householdId: Id, reason: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const result = await points.bulkGrant(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return { booked: result.booked.map(presentEntry), skipped: result.skipped };
    },
  );

  app.post(
    '/deductions',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Record a deduction under a negative rule, with the reason',
        headers: IdempotencyHeaders,
        body: Type.Object(
          { householdId: Id, ruleId: Id, reason: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 201: LedgerEntry, ...errors },
      },
    },
    async (request, reply) => {
      const entry = await points.deduct(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentEntry(entry));
    },
  );

  app.post(
    '/ledger/:id/reversals',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Undo an entry booked by mistake with a reversing entry (entries are never edited)',
        params: ById,
        headers: IdempotencyHeaders,
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 201: LedgerEntry, ...errors },
      },
    },
    async (request, reply) => {
      const entry = await points.reverse(deps, requirePrincipal(request), actorOf(request), request.params.id, {
        note: request.body.note,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentEntry(entry));
    },
  );

  app.post(
    '/ledger/:id/appeals',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The household appeals a deduction (once)',
        params: ById,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await points.appealDeduction(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/ledger/:id/appeals/decision',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Uphold the deduction, or overturn it (reversed)',
        params: ById,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('uphold'), Type.Literal('overturn')]),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ state: Type.String(), reversal: Type.Union([LedgerEntry, Type.Null()]) }), ...errors },
      },
    },
    async (request) => {
      const result = await points.decideAppeal(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return { state: result.state, reversal: result.reversal && presentEntry(result.reversal) };
    },
  );

  app.post(
    '/redemptions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Redeem goods for points (stock and points taken together; never below zero)',
        headers: IdempotencyHeaders,
        body: Type.Object(
          { householdId: Id, goodsId: Id, quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
          { additionalProperties: false },
        ),
        response: { 201: Redemption, ...errors },
      },
    },
    async (request, reply) => {
      const redemption = await points.redeem(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentRedemption(redemption));
    },
  );

  app.get(
    '/redemptions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Redemptions in my scope, newest first',
        querystring: ListQuery,
        response: { 200: pageOf(Redemption), ...errors },
      },
    },
    async (request) => {
      const page = await points.listRedemptions(deps, requirePrincipal(request), request.query);
      return { items: page.items.map(presentRedemption), nextCursor: page.nextCursor };
    },
  );

  for (const [path, action] of [
    ['cancel', points.cancelRedemption],
    ['collect', points.collectRedemption],
  ] as const) {
    app.post(
      `/redemptions/:id/${path}`,
      {
        config: { access: 'signedIn' },
        schema: {
          tags,
          summary: path === 'cancel' ? 'Cancel before collection: points and stock come back' : 'The keeper hands the goods over',
          params: ById,
          headers: IdempotencyHeaders,
          response: { 200: Redemption, ...errors },
        },
      },
      async (request) =>
        presentRedemption(await action(deps, requirePrincipal(request), actorOf(request), request.params.id, idempotencyKeyOf(request))),
    );
  }

  app.get(
    '/verify',
    {
      config: { access: { permission: 'points.verify' } },
      schema: {
        tags,
        summary: 'Recompute every balance from the ledger and every stock from the redemptions; list mismatches',
        response: {
          200: Type.Object({
            accounts: Type.Integer(),
            entries: Type.Integer(),
            goods: Type.Integer(),
            mismatches: Type.Array(
              Type.Object({ kind: Type.String(), id: Type.String(), expected: Type.Integer(), actual: Type.Integer() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => points.verifyAll(deps, requirePrincipal(request)),
  );
};

/** This month (or year) unless asked otherwise. */
export function rankingQuery(villageId: string, query: RankingQuery, now: number): points.RankingQuery {
  const period = query.period ?? 'month';
  const value = query.value ?? (period === 'month' ? localMonth(now) : Math.floor(localMonth(now) / 100));
  return { villageId, period, value, regionId: query.regionId };
}
