// The one trace of a read of health data, shared by every care read (elders, readings, rounds,
// missed visits, reminders): a file of its own so that each care service writes it the same way.
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type * as repo from './care-elders.repository.ts';

/**
 * Who read what of whom (or how many, for lists), whatever route or protocol asked. Written after
 * the read, outside any transaction.
 */
export async function auditRead(
  deps: Deps,
  actor: Actor,
  action: string,
  target: { elder?: repo.ElderRecord; targetType?: string; targetId?: string; details?: Record<string, unknown> },
): Promise<void> {
  await recordAudit(
    deps.db,
    actor,
    {
      action,
      targetType: target.targetType ?? 'person',
      targetId: target.targetId ?? target.elder?.personId ?? null,
      regionId: target.elder?.placement.regionId ?? null,
      details: target.details,
    },
    deps.now(),
  );
}
