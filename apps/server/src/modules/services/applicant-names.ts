// Applications are shown with their applicants' names, which the org module keeps: one look-up
// for a whole page rather than a join on its table.
import type { Deps } from '../../platform/deps.ts';
import { namesOfPeople } from '../org/people.service.ts';
import type { Application, StoredApplication } from './applications.repository.ts';

export async function withApplicantNames(deps: Deps, stored: StoredApplication[]): Promise<Application[]> {
  if (stored.length === 0) return [];
  const names = await namesOfPeople(
    deps,
    stored.map((a) => a.applicantPersonId),
  );
  return stored.map((a) => ({ ...a, applicantName: names.get(a.applicantPersonId) ?? '' }));
}

export async function withApplicantName(deps: Deps, stored: StoredApplication): Promise<Application> {
  return (await withApplicantNames(deps, [stored]))[0] as Application;
}
