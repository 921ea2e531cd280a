// A real county's first day: the county, its first administrator and the holders of the three
// separated duties, made once from the command line (cli/setup-county.ts).
import { DUTY_ROLES, type DutyRole } from '@cunzhi/contracts/roles';
import { recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashPassword, passwordProblem } from '../../platform/passwords.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import * as repo from './org-import.repository.ts';
import { CLI_ACTOR } from './org-import.service.ts';
import { insertRegion } from './regions.repository.ts';
import { insertRoleAssignment, insertUser } from './users.repository.ts';
import type { PasswordSetter } from './users.service.ts';

const MOBILE = /^1[3-9]\d{9}$/;

/** One holder of a separated duty, appointed with the county. */
export type DutyHolder = { phone: string; name: string };

export type CountySetup = {
  code: string;
  name: string;
  nameEn?: string;
  adminPhone: string;
  adminName: string;
  password: string;
  /**
   * The system, security and audit administrators (GB/T 22239-2019 8.1.4.2), each its own account
   * holding only its duty. The API never gives these roles (platform/access.ts mayAssignRole): a
   * security administrator who could would also reset its holder's password and read the audit log
   * as it. So they come from here, where whoever runs the command has the database anyway.
   */
  duties?: Record<DutyRole, DutyHolder>;
};

/**
 * GB/T 2260: a county-level code is 6 digits, two each for province, prefecture and county;
 * "00" in the last two is a prefecture or province, not a county.
 */
export function isCountyCode(code: string): boolean {
  return /^[1-8]\d{5}$/.test(code) && !code.endsWith('00') && code.slice(2, 4) !== '00';
}

/** The county (one per installation), its first county administrator and the holders of the three duties. */
export async function setupCounty(
  deps: Deps,
  input: CountySetup,
  /** Auth's (credentials.service.ts accountCredentials): the accounts' passwords are its table. */
  credentials: PasswordSetter,
): Promise<{ countyId: string; adminUserId: string; dutyUserIds: Partial<Record<DutyRole, string>> }> {
  if (!isCountyCode(input.code)) throw new AppError('region_code_invalid');
  const name = input.name.trim();
  const adminName = input.adminName.trim();
  const fields = [
    ...(name.length < 1 || name.length > 40 ? [{ field: 'name', problem: '1 to 40 characters' }] : []),
    ...(adminName.length < 1 || adminName.length > 40 ? [{ field: 'adminName', problem: '1 to 40 characters' }] : []),
    ...(MOBILE.test(input.adminPhone) ? [] : [{ field: 'adminPhone', problem: 'an 11-digit mainland mobile number' }]),
    ...DUTY_ROLES.flatMap((duty) => {
      const holder = input.duties?.[duty];
      if (!holder) return [];
      const holderName = holder.name.trim();
      return [
        ...(holderName.length < 1 || holderName.length > 40 ? [{ field: `${duty}.name`, problem: '1 to 40 characters' }] : []),
        ...(MOBILE.test(holder.phone) ? [] : [{ field: `${duty}.phone`, problem: 'an 11-digit mainland mobile number' }]),
      ];
    }),
  ];
  if (fields.length > 0) throw new AppError('validation_failed', {}, fields);
  const duties = input.duties;
  const holders = duties ? DUTY_ROLES.map((duty) => ({ duty, ...duties[duty] })) : [];
  // One account per duty, and none of them the county admin's: a person holds one of the four.
  const phones = [input.adminPhone, ...holders.map((h) => h.phone)];
  if (new Set(phones).size !== phones.length) throw new AppError('duties_conflict');
  const weak = passwordProblem(input.password);
  if (weak) throw new AppError(weak);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await repo.findCounty(trx);
    if (existing) throw new AppError('county_exists', { code: existing.code });
    for (const phone of phones) if (await repo.phoneExists(trx, phone)) throw new AppError('phone_taken');
    const now = deps.now();
    const county = await insertRegion(trx, { id: uuidv7(now), code: input.code, name, nameEn: input.nameEn, level: 'county' }, now);
    const adminUserId = uuidv7(now);
    await explainUniqueViolation('phone_taken', () =>
      insertUser(trx, { id: adminUserId, phone: input.adminPhone, displayName: adminName, personId: null }, now),
    );
    // The county administrator typed it; the duty holders were handed it and change it first.
    await credentials.setPassword(trx, adminUserId, passwordHash, now, false);
    await insertRoleAssignment(trx, { id: uuidv7(now), userId: adminUserId, role: 'countyAdmin', regionId: county.id, gridId: null }, now);
    const dutyUserIds: Partial<Record<DutyRole, string>> = {};
    for (const holder of holders) {
      const userId = uuidv7(now);
      await insertUser(trx, { id: userId, phone: holder.phone, displayName: holder.name.trim(), personId: null }, now);
      await credentials.setPassword(trx, userId, passwordHash, now, true);
      await insertRoleAssignment(trx, { id: uuidv7(now), userId, role: holder.duty, regionId: county.id, gridId: null }, now);
      dutyUserIds[holder.duty] = userId;
    }
    await recordAudit(
      trx,
      CLI_ACTOR,
      {
        action: 'county.setup',
        targetType: 'region',
        targetId: county.id,
        regionId: county.id,
        details: { code: input.code, adminUserId, ...dutyUserIds },
      },
      now,
    );
    return { countyId: county.id, adminUserId, dutyUserIds };
  });
}
