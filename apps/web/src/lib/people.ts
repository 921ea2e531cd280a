// People as other features look them up (an applicant, a notice's readers); writing them is the
// org feature's business.
import type { Person } from '@cunzhi/contracts/org';
import { usePagedQuery } from './use-paged-query.ts';

/** The query key the org pages refresh after a write. */
export const PEOPLE_KEY = 'people';

export type PersonFilter = { name?: string; phone?: string; idNumber?: string; regionId?: string; householdId?: string };

export const usePeople = (filter: PersonFilter, enabled = true) =>
  usePagedQuery<Person>(PEOPLE_KEY, '/api/org/people', filter, { enabled });
