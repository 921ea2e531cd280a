// Deadlines that nobody forgets: a reminder to the handler some hours before, and when the deadline
// passes unmet, an overdue flag in the case's history and a message to the handler and to the
// supervisors at the case's level. Each case is flagged once, however often the job runs.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../notifications/notifications.service.ts';
import { handlersOfDepartment } from '../org/departments.service.ts';
import { holdersOfRolesAt } from '../org/duty-holders.service.ts';
import * as deadlines from './case-deadlines.repository.ts';
import * as events from './case-events.repository.ts';
import { handlerMessage } from './case-messages.ts';
import type { EscalationLevel } from './case-workflow.ts';
import type * as repo from './cases.repository.ts';

const BATCH = 200;

const SUPERVISORS_AT_LEVEL: Record<EscalationLevel, { roles: string[]; column: 'villageId' | 'townshipId' | 'countyId' }> = {
  grid: { roles: ['villageCadre'], column: 'villageId' },
  village: { roles: ['villageCadre'], column: 'villageId' },
  township: { roles: ['townshipOfficial'], column: 'townshipId' },
  county: { roles: ['appealsAgent', 'countyAdmin'], column: 'countyId' },
};

/** Who supervises a case at its escalation level: the village's cadres, the township's officials, or the county's centre. */
async function supervisorsOf(db: Kysely<DB>, c: repo.CaseRecord): Promise<string[]> {
  const { roles, column } = SUPERVISORS_AT_LEVEL[c.escalationLevel];
  const regionId = c.placement[column];
  return regionId ? holdersOfRolesAt(db, roles, regionId) : [];
}

export async function checkDeadlines(deps: Deps): Promise<{ reminded: number; overdue: number }> {
  const counts = { reminded: 0, overdue: 0 };
  const now = deps.now();
  for (const kind of ['overdue', 'reminder'] as const) {
    const until = kind === 'overdue' ? now : now + deps.config.reminderHours * 3_600_000;
    for (;;) {
      const due = await deadlines.listDeadlineDue(deps.db, kind, until, BATCH);
      for (const c of due) {
        const flagged = await deps.db.transaction().execute(async (trx) => {
          if (!(await deadlines.markDeadlineFlag(trx, c.id, kind, now))) return false;
          // A case already past its deadline gets the overdue message, not a late reminder.
          if (kind === 'reminder' && c.deadlineAt <= now) return false;
          const handlers = c.assigneeUserId
            ? [c.assigneeUserId]
            : c.assigneeDepartmentId
              ? await handlersOfDepartment(trx, c.assigneeDepartmentId)
              : [];
          const supervisors = kind === 'overdue' ? await supervisorsOf(trx, c) : [];
          for (const userId of new Set([...handlers, ...supervisors])) await notify(trx, { userId }, handlerMessage(c, kind), now);
          if (kind === 'overdue') {
            await events.insertEvent(trx, {
              id: uuidv7(now),
              caseId: c.id,
              action: 'overdue',
              fromState: c.state,
              toState: c.state,
              actorUserId: null,
              actorRole: 'system',
              note: null,
              details: { deadlineAt: c.deadlineAt, escalationLevel: c.escalationLevel },
              at: now,
            });
          }
          return true;
        });
        if (flagged) counts[kind === 'overdue' ? 'overdue' : 'reminded']++;
      }
      if (due.length < BATCH) break;
    }
  }
  return counts;
}
