import {
  Goods,
  GoodsInput,
  GoodsList,
  PointsListQuery,
  Redemption,
  RedemptionInput,
  RedemptionPage,
  VillageItemParams,
  VillageParams,
} from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import {
  acceptPhotoBodies,
  ById,
  errorResponses as errors,
  IdempotencyHeaders,
  NoContent,
  PHOTO_TYPES,
} from '../../platform/route-schemas.ts';
import { presentGoods, presentRedemption } from './points.presenters.ts';
import * as shop from './points-shop.service.ts';

const tags = ['points'];

const goodsWrite = (input: GoodsInput) => ({
  name: input.name,
  nameEn: input.nameEn ?? null,
  unit: input.unit ?? null,
  price: input.price,
  reorderLevel: input.reorderLevel ?? 0,
  active: input.active ?? true,
  restock: input.restock,
});

/** The points shop (积分超市): goods, their pictures, and redemptions. */
export const pointsShopRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  acceptPhotoBodies(app, deps.config.photoLimitBytes);

  app.get(
    '/villages/:villageId/goods',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The points shop (积分超市): goods, prices and stock',
        params: VillageParams,
        response: { 200: GoodsList, ...errors },
      },
    },
    async (request) => ({ items: (await shop.listGoods(deps, requirePrincipal(request), request.params.villageId)).map(presentGoods) }),
  );

  app.post(
    '/villages/:villageId/goods',
    {
      config: { access: { permission: 'points.keep' } },
      schema: { tags, summary: 'Add goods to the shop', params: VillageParams, body: GoodsInput, response: { 201: Goods, ...errors } },
    },
    async (request, reply) => {
      const target = { villageId: request.params.villageId };
      const goods = await shop.saveGoods(deps, requirePrincipal(request), actorOf(request), target, goodsWrite(request.body));
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
        params: VillageItemParams,
        body: GoodsInput,
        response: { 200: Goods, ...errors },
      },
    },
    async (request) => {
      const target = { villageId: request.params.villageId, id: request.params.id };
      return presentGoods(await shop.saveGoods(deps, requirePrincipal(request), actorOf(request), target, goodsWrite(request.body)));
    },
  );

  app.put(
    '/villages/:villageId/goods/:id/photo',
    {
      config: { access: { permission: 'points.keep' } },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'A picture of the goods for the shop (the picture as the body)',
        params: VillageItemParams,
        consumes: PHOTO_TYPES,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      const { villageId, id } = request.params;
      await shop.setGoodsPhoto(deps, requirePrincipal(request), actorOf(request), villageId, id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/villages/:villageId/goods/:id/photo',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'The picture of the goods (JPEG)', params: VillageItemParams, produces: ['image/jpeg'] },
    },
    async (request, reply) => {
      const file = await shop.goodsPhoto(deps, requirePrincipal(request), request.params.villageId, request.params.id);
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(file);
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
        body: RedemptionInput,
        response: { 201: Redemption, ...errors },
      },
    },
    async (request, reply) => {
      const redemption = await shop.redeem(deps, requirePrincipal(request), actorOf(request), {
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
        querystring: PointsListQuery,
        response: { 200: RedemptionPage, ...errors },
      },
    },
    async (request) => {
      const page = await shop.listRedemptions(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: page.items.map(presentRedemption), nextCursor: page.nextCursor };
    },
  );

  for (const [path, action] of [
    ['cancel', shop.cancelRedemption],
    ['collect', shop.collectRedemption],
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
};
