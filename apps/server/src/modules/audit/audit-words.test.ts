// Every action code the server can write to the audit log has words in Chinese and English
// (packages/contracts/src/audit-words.ts), and so does every kind of target. The codes are read from
// the server's own source: literal codes where an audit row is written, and codes made from a
// template expanded over the words the template takes. A new code, or a new template, fails here
// until it has its words.
import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_ACTION_WORDS, AUDIT_TARGET_WORDS, auditActionWords, auditRoleWords } from '@cunzhi/contracts/audit-words';
import { VISIT_KINDS } from '@cunzhi/contracts/care-rounds';
import { CASE_ACTIONS } from '@cunzhi/contracts/cases';
import { PRIVACY_REQUEST_ACTIONS } from '@cunzhi/contracts/privacy';
import { ROLES } from '@cunzhi/contracts/roles';
import { APPLICATION_ACTIONS } from '@cunzhi/contracts/services';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname, '../..');

/** Each template the server writes actions with, and every word it can be filled with. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: these are the server's templates, as text
const TEMPLATES: Record<string, readonly string[]> = {
  'care.alarm.${input.action}': ['acknowledge', 'resolve'],
  'care.visit.${input.kind}': VISIT_KINDS,
  // The other round a check-in also did (care-rounds.service.ts, closeRoundsDoneWith).
  'care.visit.${kind}': ['visit', 'careRound'],
  'case.${input.action}': CASE_ACTIONS,
  'case.moderate.${input.decision}': ['publish', 'reject'],
  'notices.${input.action}': ['send', 'schedule', 'cancel'],
  'points.appeal.${state}': ['upheld', 'overturned'],
  'points.claim.${review.decision}': ['approve', 'reject', 'askMore', 'resubmit'],
  'privacy.request.${input.action}': PRIVACY_REQUEST_ACTIONS,
  'services.application.${action}': APPLICATION_ACTIONS,
  'monitoring.finding.${decision}': ['accept', 'confirm'],
  'user.${action}': ['disable', 'enable', 'unlock'],
};
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: the templates end here

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Codes on lines that write an audit row or name its action ('a.b' or `a.${x}`). */
function writtenCodes(): { literals: Set<string>; templates: Set<string> } {
  const literals = new Set<string>();
  const templates = new Set<string>();
  for (const file of sourceFiles(SERVER)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!/\baction\b|\baudit\(|auditRead\(|recordDenied\(|recordAudit\(/.test(line)) continue;
      for (const [, code] of line.matchAll(/'([a-z_]+(?:\.[a-zA-Z_]+)+)'/g))
        if (code && !/^[a-z]\.|^[a-z_]+\.(id|[a-z_]+_at|[a-z_]+_id)$/.test(code)) literals.add(code);
      for (const [, template] of line.matchAll(/`([a-z_]+\.(?:[a-zA-Z_]+\.)*\$\{[^}]+\})`/g)) if (template) templates.add(template);
    }
  }
  return { literals, templates };
}

describe('the audit log in words', () => {
  const { literals, templates } = writtenCodes();

  it('finds the codes it checks (the scan itself works)', () => {
    expect(literals).toContain('auth.login');
    expect(literals).toContain('points.redemption.collect');
    // care's reads are audited through auditRead(deps, actor, 'care.….read', …)
    expect(literals).toContain('care.readings.read');
    expect([...templates].some((t) => t.startsWith('services.application.'))).toBe(true);
  });

  it('knows every template the server writes actions with', () => {
    expect([...templates].filter((t) => !(t in TEMPLATES))).toEqual([]);
  });

  it('has Chinese and English words for every action code the server can write', () => {
    const codes = [...literals, ...[...templates].flatMap((t) => (TEMPLATES[t] ?? []).map((word) => t.replace(/\$\{[^}]+\}/, word)))];
    const missing = codes.filter((code) => !AUDIT_ACTION_WORDS[code]?.zh || !AUDIT_ACTION_WORDS[code]?.en);
    expect(missing).toEqual([]);
    for (const code of codes) expect(AUDIT_ACTION_WORDS[code]?.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('has words for every kind of target the server writes', () => {
    const types = new Set<string>();
    for (const file of sourceFiles(SERVER)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [, type] of text.matchAll(/targetType: '([a-zA-Z]+)'/g)) if (type) types.add(type);
      for (const [, type] of text.matchAll(/audit\(trx, actor, [^,]+, '([a-zA-Z]+)'/g)) if (type) types.add(type);
    }
    expect(types.size).toBeGreaterThan(10);
    expect([...types].filter((type) => !AUDIT_TARGET_WORDS[type])).toEqual([]);
  });

  it('reads roles and actions in the reader’s language, and shows an unknown code as it is', () => {
    expect(auditRoleWords('countyAdmin,villageCadre', 'zh')).toBe('县级管理员、村干部');
    expect(auditRoleWords('countyAdmin', 'en')).toBe('County admin');
    expect(auditRoleWords('system', 'zh')).toBe('系统');
    for (const role of ROLES) expect(auditRoleWords(role, 'zh')).toMatch(/[\u4e00-\u9fff]/);
    expect(auditActionWords('auth.login', 'zh')).toBe('登录');
    expect(auditActionWords('auth.login', 'en')).toBe('Sign in');
    expect(auditActionWords('future.thing', 'zh')).toBe('future.thing');
  });
});
