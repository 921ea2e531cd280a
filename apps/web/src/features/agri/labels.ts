// The contract's labels (zh and en beside each code) in the reader's language, and the few
// phrasings the farm pages share: a plot or flock in one line, an amount with its unit.
import { CROP_LABELS, type Crop, GROWTH_STAGE_LABELS, type GrowthStage, SPECIES_LABELS, type Species } from '@cunzhi/contracts/agri';
import type { Flock, Plot } from '@cunzhi/contracts/agri-farms';

type Labelled = { zh: string; en: string };

export const isEnglish = (language: string) => language === 'en';

/** The label of a code in the reader's language; an unknown code (a newer server) as it is. */
export function labelOf<K extends string>(labels: Record<K, Labelled>, code: string | null | undefined, language: string): string {
  if (!code) return '';
  const label = (labels as Record<string, Labelled | undefined>)[code];
  if (!label) return code;
  return isEnglish(language) ? label.en : label.zh;
}

export const cropName = (crop: Crop, language: string) => labelOf(CROP_LABELS, crop, language);
export const speciesName = (species: Species, language: string) => labelOf(SPECIES_LABELS, species, language);
export const stageName = (stage: string | null, language: string) => labelOf(GROWTH_STAGE_LABELS, stage, language);

/** The growth stages that fit a crop or an animal. */
export const stagesFor = (kind: 'crop' | 'animal') =>
  (Object.keys(GROWTH_STAGE_LABELS) as GrowthStage[]).filter((stage) => GROWTH_STAGE_LABELS[stage].for === kind);

/** "3.5 亩" / "3.5 mu": at most two decimals. */
export const mu = (area: number, language: string) => `${Number(area.toFixed(2))} ${isEnglish(language) ? 'mu' : '亩'}`;

/** "300 只" / "300 birds". */
export function heads(flock: Pick<Flock, 'species' | 'headCount'>, language: string): string {
  const unit = SPECIES_LABELS[flock.species]?.unit;
  return `${flock.headCount} ${unit ? (isEnglish(language) ? unit.en : unit.zh) : ''}`.trim();
}

/** A plot in one line: 猕猴桃 · 红阳 · 3.5 亩 · 果实膨大期. */
export function plotLine(plot: Plot, language: string): string {
  return [cropName(plot.crop, language), plot.variety, mu(plot.areaMu, language), stageName(plot.growthStage, language)]
    .filter(Boolean)
    .join(' · ');
}

/** A flock in one line: 林下鸡 · 300 只 · 产蛋期. */
export function flockLine(flock: Flock, language: string): string {
  return [speciesName(flock.species, language), flock.breed, heads(flock, language), stageName(flock.growthStage, language)]
    .filter(Boolean)
    .join(' · ');
}
