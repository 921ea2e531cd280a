import type { AuditExportQuery, AuditQuery } from '@cunzhi/contracts/audit';
import { hasPermission, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import * as repo from './audit.repository.ts';
import * as chainRepo from './audit-chain.repository.ts';
import { type ChainHeadRef, idFloorOf, readChainHead } from './audit-chain.ts';

export type AuditEntry = repo.AuditRecord & { actorName: string | null };

/**
 * Newest first. There is deliberately no way to change or remove an entry. The actors' names come
 * from org in one call per page; an entry keeps its actor's id even where the account is gone.
 */
export async function searchAudit(deps: Deps, principal: Principal, query: AuditQuery): Promise<Page<AuditEntry>> {
  if (!hasPermission(principal, 'audit.read')) throw forbidden();
  const limit = query.limit ?? 50;
  const before = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.searchAudit(deps.db, {
    actorUserId: query.actorUserId,
    action: query.action,
    targetId: query.targetId,
    fromMs: query.from ? Date.parse(query.from) : undefined,
    toMs: query.to ? Date.parse(query.to) : undefined,
    before,
    limit,
  });
  const names = await displayNamesOfUsers(
    deps,
    rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])),
  );
  const entries = rows.map((r) => ({ ...r, actorName: r.actorUserId ? (names.get(r.actorUserId) ?? null) : null }));
  return toPage(entries, limit, (r) => [r.id]);
}

/** One response holds at most this many records; a longer period is exported in parts. */
export const EXPORT_LIMIT = 100_000;

/**
 * The export's columns, headed in the reader's language (Accept-Language). The values stay as
 * stored (codes, ids, UTC times): they are what each record's link of the chain was computed from,
 * so an auditor can recompute it outside the platform.
 */
const EXPORT_COLUMNS = {
  zh: [
    '序号',
    '链哈希',
    '封存时间',
    '记录号',
    '时间',
    '操作人ID',
    '角色',
    '操作',
    '结果',
    '对象类型',
    '对象ID',
    '区域ID',
    'IP',
    '请求号',
    '详情',
  ],
  en: [
    'Seq',
    'Chain hash',
    'Sealed at',
    'Record id',
    'At',
    'Actor id',
    'Roles',
    'Action',
    'Outcome',
    'Target type',
    'Target id',
    'Region id',
    'IP',
    'Request id',
    'Details',
  ],
} as const;

/**
 * Every record of [from, to) as CSV with its link of the chain, for keeping outside the platform.
 * The export is a read of personal data itself: it is audited, and fails if its record cannot be written.
 */
export async function exportAudit(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: AuditExportQuery,
  language: 'zh' | 'en' = 'zh',
): Promise<string> {
  if (!hasPermission(principal, 'audit.read')) throw forbidden();
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (!(fromMs < toMs)) throw new AppError('audit_export_range');
  const rows = await chainRepo.exportRange(deps.db, { fromMs, toMs, fromId: idFloorOf(fromMs) }, EXPORT_LIMIT + 1);
  if (rows.length > EXPORT_LIMIT) throw new AppError('audit_export_too_large', { limit: EXPORT_LIMIT });
  await recordAudit(
    deps.db,
    actor,
    { action: 'audit.export', targetType: 'auditLog', details: { from: query.from, to: query.to, records: rows.length } },
    deps.now(),
  );
  const lines = rows.map((r) =>
    [
      r.seq,
      r.chainHash,
      r.sealedAt === null ? null : new Date(r.sealedAt).toISOString(),
      r.id,
      new Date(r.at).toISOString(),
      r.actorUserId,
      r.actorRole,
      r.action,
      r.outcome,
      r.targetType,
      r.targetId,
      r.regionId,
      r.ip,
      r.requestId,
      r.details,
    ]
      .map(csvCell)
      .join(','),
  );
  // A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
  return `\uFEFF${[EXPORT_COLUMNS[language].join(','), ...lines].join('\r\n')}\r\n`;
}

const csvCell = (value: string | number | null) => {
  let text = value === null ? '' : String(value);
  // A cell a spreadsheet would take for a formula is written as text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The chain's head as the database has it now, for the audit administrator to record outside the
 * machine (audit-chain.ts); a later `audit:verify --expect-head` then catches a chain cut back
 * behind it. Audited like every read of the audit log's own state.
 */
export async function auditHead(deps: Deps, principal: Principal, actor: Actor): Promise<ChainHeadRef> {
  if (!hasPermission(principal, 'audit.read')) throw forbidden();
  const head = await readChainHead(deps.db);
  await recordAudit(
    deps.db,
    actor,
    { action: 'audit.head', targetType: 'auditLog', details: { seq: head.seq, chainHash: head.chainHash } },
    deps.now(),
  );
  return head;
}
