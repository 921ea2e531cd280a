// The village's rule table (积分细则): what earns points and what costs them, with limits.
import type { Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import { audit, village } from './points.service.ts';
import * as repo from './points-rules.repository.ts';

export async function listRules(deps: Deps, principal: Principal, villageId: string): Promise<repo.Rule[]> {
  await village(deps, principal, villageId, 'points.read');
  return repo.listRules(deps.reader, villageId);
}

export async function saveRule(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  target: { villageId: string; id?: string },
  rule: repo.RuleWrite,
): Promise<repo.Rule> {
  const region = await village(deps, principal, target.villageId, 'points.rules');
  // A rule is usable from validFrom until before validTo (usableRule): an end at or before the start
  // would make a rule nobody can ever use.
  if (rule.validFrom !== null && rule.validTo !== null && rule.validTo <= rule.validFrom) {
    throw new AppError('validation_failed', {}, { field: 'validTo', problem: 'must be after validFrom' });
  }
  // Two rules of a village with one code would make claims ambiguous: a taken code is the caller's to change (409).
  return explainUniqueViolation('rule_code_taken', () =>
    deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      if (!target.id) {
        const created = await repo.insertRule(trx, uuidv7(now), region.placement, rule, now);
        await audit(trx, actor, 'points.rule.create', 'pointsRule', created.id, region.id, now);
        return created;
      }
      const existing = await repo.findRule(trx, target.id);
      if (!existing || existing.villageId !== region.id) throw notFound('rule');
      // Entries already booked keep their own amount and item: a changed rule changes only what comes after.
      const updated = await repo.updateRule(trx, target.id, rule, now);
      if (!updated) throw notFound('rule');
      await audit(trx, actor, 'points.rule.update', 'pointsRule', updated.id, region.id, now);
      return updated;
    }),
  );
}

/** A rule a claim, a grant or a deduction may use now, in the household's village. */
export function usableRule(rule: repo.Rule | undefined, villageId: string, now: number): repo.Rule {
  if (!rule || rule.villageId !== villageId) throw notFound('rule');
  if (!rule.active || (rule.validFrom !== null && now < rule.validFrom) || (rule.validTo !== null && now >= rule.validTo)) {
    throw new AppError('rule_not_usable');
  }
  return rule;
}
