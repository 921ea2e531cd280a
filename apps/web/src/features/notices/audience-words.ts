// Who a notice went to, in words, for its card on the author's list. "全体" only when nothing
// narrowed the audience: a notice to the plum growers must not read as one to the whole village
// (the demo's farm advice reached 3 households and said 平地坝村全体, beside real ones reaching 158).
import { CROP_LABELS, type Crop, SPECIES_LABELS, type Species } from '@cunzhi/contracts/agri';
import type { Notice } from '@cunzhi/contracts/notices';
import type { TFunction } from 'i18next';
import './words.ts';

/** The author's own place and the places and grids they can name: what ids are turned into names by. */
export type NamedPlaces = {
  home?: { regionId: string; regionName: string };
  named: readonly { id: string; name: string }[];
};

/** A crop or an animal an audience was chosen by (agri's advice): 种李子的户, 养林下鸡的户. */
function subjectWords(subject: string, t: TFunction, language: string): string {
  const en = language.startsWith('en');
  const crop = CROP_LABELS[subject as Crop];
  if (crop) return t('notices.audienceGrows', { what: en ? crop.en.toLowerCase() : crop.zh });
  const species = SPECIES_LABELS[subject as Species];
  if (species) return t('notices.audienceKeeps', { what: en ? species.en.toLowerCase() : species.zh });
  return subject;
}

/**
 * Places, grids and named people first (together they are whom it was sent to); then, after " · ",
 * whatever narrowed it within them: crops and animals, household traits, households the server chose.
 * Nothing named is the author's whole place, "全体" only if nothing narrowed it either.
 */
export function audienceWords(audience: Notice['audience'], area: NamedPlaces, t: TFunction, language: string): string {
  const names = new Map(area.named.map((r) => [r.id, r.name]));
  if (area.home) names.set(area.home.regionId, area.home.regionName);
  const ids = [...audience.regionIds, ...audience.gridIds];
  const known = ids.flatMap((id) => names.get(id) ?? []);
  const sentTo: string[] = [];
  if (known.length > 0) sentTo.push(known.join('、'));
  if (ids.length > known.length) sentTo.push(t('notices.audienceOthers', { count: ids.length - known.length }));
  if (audience.personIds.length > 0) sentTo.push(t('notices.audiencePeople', { count: audience.personIds.length }));
  const subjects = audience.subjects ?? [];
  const households = audience.households ?? 0;
  const narrowedBy = [
    ...subjects.map((s) => subjectWords(s, t, language)),
    ...audience.traits.map((trait) => t(`notices.traits.${trait}`)),
    ...(households > 0 && subjects.length === 0 ? [t('notices.audienceHouseholds', { count: households })] : []),
  ];
  if (sentTo.length === 0) {
    const place = area.home?.regionName;
    if (narrowedBy.length > 0) sentTo.push(place ?? t('notices.audienceMyArea'));
    else sentTo.push(place ? t('notices.audienceAll', { place }) : t('notices.audienceThisArea'));
  }
  return [sentTo.join('、'), ...(narrowedBy.length > 0 ? [narrowedBy.join('、')] : [])].join(' · ');
}
