// Small answers the farm pages need beside the farm itself: a region asked for by id, and the
// household's open questions and unread advice (after the caller was allowed the farm).
import type { Placement } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { householdsThatRead } from '../notices/notices.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as advice from './agri-advice.repository.ts';
import * as questions from './agri-questions.repository.ts';

async function regionPlacement(deps: Deps, regionId: string | undefined): Promise<Placement | undefined> {
  if (!regionId) return undefined;
  const region = await requireRegion(deps, regionId).catch(() => undefined);
  if (!region) throw notFound('region');
  return region.placement;
}

async function counts(deps: Deps, householdId: string): Promise<{ openQuestions: number; unreadAdvice: number }> {
  const scope = { countyIds: [], townshipIds: [], villageIds: [], regionIds: [], householdIds: [householdId] };
  const open = await questions.listQuestions(deps.reader, { scope, state: 'open' }, undefined, 100);
  const given = (await advice.adviceOfHousehold(deps.reader, householdId, 100)).filter((a) => a.noticeId !== null);
  const read = await householdsThatRead(
    deps,
    given.map((a) => a.noticeId as string),
  );
  return { openQuestions: open.length, unreadAdvice: given.filter((a) => !read.get(a.noticeId as string)?.has(householdId)).length };
}

export const farmSide = { regionPlacement, counts };
