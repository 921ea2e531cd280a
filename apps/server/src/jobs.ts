// The background jobs of the platform, each run under a lease (platform/jobs.ts).

import pino from 'pino';
import { runAdvice } from './modules/agri/agri-delivery.service.ts';
import { sealAuditChain } from './modules/audit/audit-chain.ts';
import { checkInactivity, checkSilentDevices, escalateAlarms, promoteDueFalls } from './modules/care/care-alarms.service.ts';
import { type CommandLink, dispatchCommands } from './modules/care/care-commands.service.ts';
import { flushNotedTimes } from './modules/care/care-device-cache.ts';
import { deleteOldReadings, rollUpReadings } from './modules/care/care-rollups.service.ts';
import { flagMissedVisits } from './modules/care/care-rounds.service.ts';
import { checkDeadlines } from './modules/cases/case-deadlines.ts';
import { runDetection } from './modules/monitoring/monitoring-detection.service.ts';
import { buildPendingPackages } from './modules/monitoring/monitoring-evidence-package.service.ts';
import { pullDueCameras } from './modules/monitoring/monitoring-pull.service.ts';
import { NOTICE_DUE_EVENT, pushDueNotices } from './modules/notices/notices-push.service.ts';
import { sendPendingTexts } from './modules/notifications/notifications.service.ts';
import { privacyJobs } from './modules/privacy/privacy.service.ts';
import { flagOverdueApplications } from './modules/services/applications.service.ts';
import type { Deps } from './platform/deps.ts';
import { deleteExpiredKeys } from './platform/idempotency.ts';
import type { Job } from './platform/jobs.ts';

/** The live events (platform/events.ts) that wake a job: the work they announce is its. */
export const jobWakers: Record<string, string> = {
  // A notice sent now reaches its audience at once, not up to 10 s later.
  [NOTICE_DUE_EVENT]: 'notices.push',
};

/** `commandLink`: the MQTT link to devices, when one is up; without it commands wait for the devices to poll. */
export function backgroundJobs(deps: Deps, commandLink?: CommandLink): Job[] {
  // Each new head goes to the server log, which counties ship off the machine: a copy of the head
  // that someone with only the database cannot move back (audit-chain.ts).
  const chainLog = pino({ level: deps.config.logLevel, base: { job: 'audit.seal' } });
  const chainKey = deps.vault.derivedKey('audit-chain');
  return [
    // Links the audit records committed since the last run into the hash chain (audit-chain.ts).
    {
      name: 'audit.seal',
      everyMs: 5_000,
      run: () =>
        sealAuditChain(deps.db, deps.now, chainKey, (head) => chainLog.info({ seq: head.seq, hash: head.chainHash }, 'audit chain sealed')),
    },
    { name: 'cases.deadlines', everyMs: 60_000, run: () => checkDeadlines(deps) },
    { name: 'care.falls', everyMs: 2_000, run: () => promoteDueFalls(deps) },
    { name: 'care.inactivity', everyMs: 60_000, run: () => checkInactivity(deps) },
    { name: 'care.escalation', everyMs: 5_000, run: () => escalateAlarms(deps) },
    { name: 'care.devices', everyMs: 5 * 60_000, run: () => checkSilentDevices(deps) },
    // Not under a lease: each process writes the last-seen times and activities it noted itself.
    { name: 'care.notedTimes', everyMs: 5_000, run: () => flushNotedTimes(deps), local: true },
    { name: 'care.commands', everyMs: 5_000, run: () => dispatchCommands(deps, commandLink) },
    { name: 'care.rounds', everyMs: 10 * 60_000, run: () => flagMissedVisits(deps) },
    { name: 'care.rollups', everyMs: 5 * 60_000, run: () => rollUpReadings(deps) },
    { name: 'retention.readings', everyMs: 3_600_000, run: () => deleteOldReadings(deps) },
    { name: 'notices.push', everyMs: 10_000, run: () => pushDueNotices(deps) },
    // Cameras pulled on their own intervals (monitoring-pull.service.ts); snapshot retention is monitoring's privacy purge.
    { name: 'monitoring.pull', everyMs: 5_000, run: () => pullDueCameras(deps) },
    // Change detection drains the snapshot queue in the worker thread (monitoring-detection.service.ts).
    { name: 'monitoring.detect', everyMs: 2_000, run: () => runDetection(deps) },
    // Evidence packages too large to build while the cadre waits (monitoring-evidence-package.service.ts).
    { name: 'monitoring.evidence', everyMs: 10_000, run: () => buildPendingPackages(deps) },
    // Farm advice that holds today reaches the households it concerns, once per rule, household and period.
    { name: 'agri.advice', everyMs: 3_600_000, run: () => runAdvice(deps, null) },
    { name: 'services.overdue', everyMs: 60_000, run: () => flagOverdueApplications(deps) },
    { name: 'notify.texts', everyMs: 10_000, run: () => sendPendingTexts(deps.db, deps.sms, deps.now) },
    {
      name: 'retention.idempotency',
      everyMs: 3_600_000,
      run: () => deleteExpiredKeys(deps.db, deps.now() - deps.config.idempotencyRetentionDays * 24 * 3_600_000),
    },
    // PIPL retention: what the modules declared for withdrawn consents, and their own purges.
    ...privacyJobs(deps),
  ];
}
