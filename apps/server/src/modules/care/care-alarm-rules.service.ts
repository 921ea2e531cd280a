// Each elder's alarm rules: the county defaults (care-rules.ts) with the elder's own changes, set by
// those who manage the elder's care and read like the rest of their health data.
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditRead } from './care-audit.ts';
import { forgetDevices } from './care-device-cache.ts';
import { type ElderRecord, setElderRules } from './care-elders.repository.ts';
import { elderInScope } from './care-elders.service.ts';
import {
  type Cause,
  type ElderRules,
  inactivityHoursOf,
  LIMIT_RANGES,
  LOW_BATTERY_PERCENT,
  type RuleOverride,
  THRESHOLDS,
  TUNABLE_CAUSES,
} from './care-rules.ts';

export type AlarmRule = { cause: Cause; limit: number; forMinutes: number; enabled: boolean; own: boolean };

/** The alarm rules of an elder as they apply: each county default, with the elder's own changes marked. */
export function alarmRulesOf(deps: Deps, elder: ElderRecord): AlarmRule[] {
  const own = elder.rules ?? {};
  const county: AlarmRule[] = [
    ...THRESHOLDS.map((t) => ({ cause: t.cause, limit: (t.above ?? t.below) as number, forMinutes: t.forMs / 60_000 })),
    { cause: 'lowBattery' as const, limit: LOW_BATTERY_PERCENT, forMinutes: 0 },
    { cause: 'inactivity' as const, limit: deps.config.inactivityHours, forMinutes: 0 },
  ].map((rule) => ({ ...rule, enabled: true, own: false }));
  return county.map((rule) => {
    const change = own[rule.cause];
    if (!change) return rule;
    return { ...rule, ...change, own: true };
  });
}

/** An elder's own alarm limits tell of their conditions: read like the rest of their health data, audited. */
export async function getAlarmRules(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<AlarmRule[]> {
  const elder = await elderInScope(deps, principal, personId);
  await auditRead(deps, actor, 'care.rules.read', { elder });
  return alarmRulesOf(deps, elder);
}

/** The elder's own rules from a list of changes, checked: tunable causes, each once, limits in range. */
function rulesFrom(changes: ({ cause: string } & RuleOverride)[]): ElderRules {
  const rules: ElderRules = {};
  for (const change of changes) {
    const cause = change.cause as Cause;
    if (!(TUNABLE_CAUSES as readonly string[]).includes(cause)) throw new AppError('validation_failed', {}, { field: 'cause', cause });
    const range = LIMIT_RANGES[cause];
    if (change.limit !== undefined && range && (change.limit < range[0] || change.limit > range[1])) {
      throw new AppError('rule_limit_out_of_range', {}, { cause, min: range[0], max: range[1] });
    }
    if (rules[cause]) throw new AppError('validation_failed', {}, { field: 'cause', cause, problem: 'named twice' });
    rules[cause] = {
      ...(change.limit !== undefined && { limit: change.limit }),
      ...(change.forMinutes !== undefined && { forMinutes: change.forMinutes }),
      ...(change.enabled !== undefined && { enabled: change.enabled }),
    };
  }
  return rules;
}

/**
 * Sets an elder's own alarm rules (the doctor's call: a higher blood-pressure limit for a known
 * hypertensive, inactivity switched off for a bedridden elder with a live-in carer). Causes not
 * named keep the county default. Applies to readings from now on.
 */
export async function setAlarmRules(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  changes: ({ cause: string } & RuleOverride)[],
): Promise<AlarmRule[]> {
  const elder = await elderInScope(deps, principal, personId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  const rules = rulesFrom(changes);
  const stored = Object.keys(rules).length > 0 ? rules : null;
  const hours = stored?.inactivity ? inactivityHoursOf(stored, deps.config.inactivityHours) : null;
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await setElderRules(trx, personId, stored, hours, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'care.rules.set',
        targetType: 'person',
        targetId: personId,
        regionId: elder.placement.regionId,
        details: { rules: stored },
      },
      now,
    );
  });
  forgetDevices(deps);
  return alarmRulesOf(deps, { ...elder, rules: stored });
}
