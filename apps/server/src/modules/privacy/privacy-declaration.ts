// What each module says about the personal data it processes (PIPL art. 54 and the record of
// processing activities, 个人信息处理活动记录), and the hooks through which the privacy module reaches
// that data for an export, an erasure, a consent withdrawal or a retention purge. A module keeps
// its own declaration in `<module>.privacy.ts`; only that file and its repository touch its tables.
import type { ConsentPurpose, LegalBasis } from '@cunzhi/contracts/privacy';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';

export type ProcessingActivityDeclaration = {
  /** "中文 / English" */
  name: string;
  dataCategories: string[];
  subjects: string;
  purpose: string;
  legalBasis: LegalBasis;
  /** The consent this processing rests on, when legalBasis is consent. */
  consentPurpose?: ConsentPurpose;
  /** Sensitive personal information (PIPL art. 28): health, minors under 14, biometrics, location tracks. */
  sensitive: boolean;
  retention: string;
  recipients: string[];
};

export type PersonRef = { id: string; householdId: string | null };

type PersonHook = (trx: Kysely<DB>, person: PersonRef, now: number) => Promise<void>;

export type PrivacyDeclaration = {
  module: string;
  activities: ProcessingActivityDeclaration[];
  /** Everything the module stores about the person, for an export (PIPL art. 45). */
  exportPerson?: (deps: Deps, person: PersonRef) => Promise<unknown>;
  /** Reasons the law keeps the person's data here (an open case, ledger entries); any one refuses deletion. */
  retentionHolds?: (deps: Deps, person: PersonRef) => Promise<string[]>;
  /** Removes or anonymises the module's optional data about the person (PIPL art. 47), in the caller's transaction. */
  erasePerson?: PersonHook;
  /** What stops at once when the person withdraws a consent (PIPL art. 15), in the withdrawal's transaction. */
  onWithdraw?: Partial<Record<ConsentPurpose, PersonHook>>;
  /**
   * What is purged once a consent has stayed withdrawn for a grace period (the time to correct a
   * mistaken withdrawal): the purge job passes the people whose withdrawal is older than graceDays.
   */
  afterWithdrawal?: Partial<
    Record<ConsentPurpose, { graceDays: number; purge: (trx: Kysely<DB>, personIds: string[]) => Promise<number> }>
  >;
  /** Retention purges, run as background jobs under a lease (platform/jobs.ts). */
  purges?: { name: string; everyMs: number; run: (deps: Deps) => Promise<unknown> }[];
};
