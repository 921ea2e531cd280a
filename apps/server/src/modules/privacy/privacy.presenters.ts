// Whitelists what leaves the server of consents and requests.
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type * as repo from './privacy.repository.ts';

export const presentRequest = (r: repo.PrivacyRequest) => ({
  id: r.id,
  personId: r.personId,
  kind: r.kind,
  details: r.details,
  state: r.state,
  answer: r.answer,
  createdAt: toIso(r.createdAt),
  updatedAt: toIso(r.updatedAt),
});

export const presentConsent = (c: repo.Consent) => ({
  purpose: c.purpose,
  state: c.granted ? ('granted' as const) : ('withdrawn' as const),
  at: toIsoOrNull(c.at),
  byGuardian: c.guardianPersonId !== null,
});
