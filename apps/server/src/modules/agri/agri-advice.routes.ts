// The calendar, the advice library, its delivery and the weather (API list: packages/contracts/src/agri.ts).
import { PEST_LABELS, PESTS, SOLAR_TERM_LABELS } from '@cunzhi/contracts/agri';
import {
  AdvicePreview,
  AdviceReportPage,
  AdviceReportQuery,
  AdviceRule,
  AdviceRuleInput,
  AdviceRulePage,
  AdviceRulePatch,
  AdviceRuleQuery,
  AdviceRunInput,
  AdviceRunResult,
  AgriToday,
  FarmAdviceList,
  SolarTermList,
  SolarTermQuery,
  WeatherEntry,
  WeatherImportResult,
  WeatherInput,
  WeatherList,
  WeatherQuery,
} from '@cunzhi/contracts/agri-advice';
import { PestList } from '@cunzhi/contracts/agri-farms';
import { Id } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { toIso } from '../../platform/time.ts';
import { presentFarmAdvice, presentReportItem, presentRule, presentWeather } from './agri.presenters.ts';
import * as library from './agri-advice.service.ts';
import * as delivery from './agri-delivery.service.ts';
import { solarTermsOfYear } from './solar-terms.ts';

const tags = ['agri'];
const signedIn = { access: 'signedIn' as const };
const staff = { access: { permission: 'agri.figures' as const } };
const advise = { access: { permission: 'agri.advise' as const } };
const ByHousehold = Type.Object({ householdId: Id }, { additionalProperties: false });
const FEED_TYPES = ['text/csv'];
const FEED_LIMIT = 2 * 1024 * 1024;

const termItem = (t: { term: keyof typeof SOLAR_TERM_LABELS; at: number; date: string }) => ({
  term: t.term,
  zh: SOLAR_TERM_LABELS[t.term].zh,
  en: SOLAR_TERM_LABELS[t.term].en,
  at: toIso(t.at),
  date: t.date,
});

export const agriAdviceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  acceptPhotoBodies(app, deps.config.photoLimitBytes);
  app.addContentTypeParser(FEED_TYPES, { parseAs: 'string', bodyLimit: FEED_LIMIT }, (_request, body, done) => done(null, body));

  app.get(
    '/pests',
    {
      config: signedIn,
      schema: { tags, summary: 'The county’s list of pests and diseases', response: { 200: PestList, ...errorResponses } },
    },
    async () => ({
      items: PESTS.map((code) => ({ code, zh: PEST_LABELS[code].zh, en: PEST_LABELS[code].en, for: PEST_LABELS[code].for })),
    }),
  );

  app.get(
    '/solar-terms',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The 24 solar terms of a year, computed',
        querystring: SolarTermQuery,
        response: { 200: SolarTermList, ...errorResponses },
      },
    },
    async (request) => {
      const year = request.query.year ?? new Date(deps.now() + 8 * 3_600_000).getUTCFullYear();
      return { year, items: solarTermsOfYear(year).map(termItem) };
    },
  );

  app.get(
    '/today',
    { config: signedIn, schema: { tags, summary: 'Today: date, month, solar term', response: { 200: AgriToday, ...errorResponses } } },
    async () => {
      const today = library.agriToday(deps.now());
      return { date: today.date, month: today.month, solarTerm: termItem(today.solarTerm), nextSolarTerm: termItem(today.nextSolarTerm) };
    },
  );

  const withRegionNames = async (rules: library.RuleRecord[]) => {
    const names = await library.ruleRegionNames(deps, rules);
    return rules.map((r) => presentRule(r, names.get(r.placement.regionId) ?? ''));
  };
  const named = async (rule: library.RuleRecord) =>
    presentRule(rule, (await library.ruleRegionNames(deps, [rule])).get(rule.placement.regionId) ?? '');

  app.get(
    '/advice-rules',
    {
      config: staff,
      schema: { tags, summary: 'The advice library', querystring: AdviceRuleQuery, response: { 200: AdviceRulePage, ...errorResponses } },
    },
    async (request) => {
      const page = await library.listRules(deps, requirePrincipal(request), request.query);
      return { items: await withRegionNames(page.items), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/advice-rules',
    {
      config: advise,
      schema: { tags, summary: 'Write an advice rule', body: AdviceRuleInput, response: { 201: AdviceRule, ...errorResponses } },
    },
    async (request, reply) => {
      const rule = await library.createRule(deps, requirePrincipal(request), actorOf(request), request.body);
      return reply.status(201).send(await named(rule));
    },
  );

  app.get(
    '/advice-rules/:id',
    { config: staff, schema: { tags, summary: 'An advice rule', params: ById, response: { 200: AdviceRule, ...errorResponses } } },
    async (request) => named(await library.getRule(deps, requirePrincipal(request), request.params.id)),
  );

  app.patch(
    '/advice-rules/:id',
    {
      config: advise,
      schema: {
        tags,
        summary: 'Change an advice rule',
        params: ById,
        body: AdviceRulePatch,
        response: { 200: AdviceRule, ...errorResponses },
      },
    },
    async (request) => named(await library.changeRule(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/advice-rules/:id/pictures',
    {
      config: advise,
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Add a picture to an advice rule (the picture as the body)',
        params: ById,
        consumes: PHOTO_TYPES,
        response: { 201: AdviceRule, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      const rule = await library.addRulePicture(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return reply.status(201).send(await named(rule));
    },
  );

  app.get(
    '/advice-rules/:id/preview',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Whether a rule holds today and how many households it concerns',
        params: ById,
        response: { 200: AdvicePreview, ...errorResponses },
      },
    },
    async (request) => delivery.previewRule(deps, requirePrincipal(request), request.params.id),
  );

  app.post(
    '/advice/run',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Push the advice that holds today to the households it concerns',
        body: AdviceRunInput,
        response: { 200: AdviceRunResult, ...errorResponses },
      },
    },
    async (request) => delivery.runAdvice(deps, { principal: requirePrincipal(request), actor: actorOf(request) }, request.body),
  );

  app.get(
    '/advice/deliveries',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Households advised per rule and validity period',
        querystring: AdviceReportQuery,
        response: { 200: AdviceReportPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await delivery.adviceReport(deps, requirePrincipal(request), request.query);
      return { items: page.items.map(presentReportItem), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/farms/:householdId/advice',
    {
      config: { access: { permission: 'agri.read' as const } },
      schema: {
        tags,
        summary: 'The advice a household received',
        params: ByHousehold,
        response: { 200: FarmAdviceList, ...errorResponses },
      },
    },
    async (request) => ({
      items: (await delivery.farmAdvice(deps, requirePrincipal(request), actorOf(request), request.params.householdId)).map(
        presentFarmAdvice,
      ),
    }),
  );

  app.get(
    '/weather',
    {
      config: staff,
      schema: {
        tags,
        summary: 'The weather of a township or the county, with its conditions',
        querystring: WeatherQuery,
        response: { 200: WeatherList, ...errorResponses },
      },
    },
    async (request) => ({ items: (await library.listWeatherFor(deps, requirePrincipal(request), request.query)).map(presentWeather) }),
  );

  app.post(
    '/weather',
    {
      config: advise,
      schema: { tags, summary: 'Enter a day’s weather', body: WeatherInput, response: { 201: WeatherEntry, ...errorResponses } },
    },
    async (request, reply) =>
      reply.status(201).send(presentWeather(await library.enterWeather(deps, requirePrincipal(request), actorOf(request), request.body))),
  );

  app.post(
    '/weather/import',
    {
      config: advise,
      bodyLimit: FEED_LIMIT,
      schema: {
        tags,
        summary: 'Import a forecast feed (CSV or JSON, README "Weather feed"), all or nothing',
        consumes: ['text/csv', 'application/json'],
        response: { 200: WeatherImportResult, ...errorResponses },
      },
    },
    async (request) => {
      const json = request.headers['content-type']?.startsWith('application/json') ?? false;
      const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
      const result = await library.importWeather(deps, requirePrincipal(request), actorOf(request), text, json ? 'json' : 'csv');
      return { imported: result.imported, conditions: result.conditions.map(presentWeather) };
    },
  );
};
