// The background jobs of the platform, each run under a lease (platform/jobs.ts).

import { checkInactivity, checkSilentDevices, escalateAlarms, promoteDueFalls } from './modules/care/care.service.ts';
import { checkDeadlines } from './modules/cases/case-deadlines.ts';
import type { Deps } from './platform/deps.ts';
import { deleteExpiredKeys } from './platform/idempotency.ts';
import type { Job } from './platform/jobs.ts';
import { sendPendingTexts } from './platform/notify.ts';

export function backgroundJobs(deps: Deps): Job[] {
  return [
    { name: 'cases.deadlines', everyMs: 60_000, run: () => checkDeadlines(deps) },
    { name: 'care.falls', everyMs: 2_000, run: () => promoteDueFalls(deps) },
    { name: 'care.inactivity', everyMs: 60_000, run: () => checkInactivity(deps) },
    { name: 'care.escalation', everyMs: 5_000, run: () => escalateAlarms(deps) },
    { name: 'care.devices', everyMs: 5 * 60_000, run: () => checkSilentDevices(deps) },
    { name: 'notify.texts', everyMs: 10_000, run: () => sendPendingTexts(deps.db, deps.sms, deps.now) },
    {
      name: 'retention.idempotency',
      everyMs: 3_600_000,
      run: () => deleteExpiredKeys(deps.db, deps.now() - deps.config.idempotencyRetentionDays * 24 * 3_600_000),
    },
  ];
}
