// What anyone may read of a matter's title. A title is a villager's own words: beyond the
// reporter, anyone registered in the village may be named in it, as in what the exposure-board
// moderator starts from. A moderator's published title stands as written.
import { redactPersonalData } from '../../platform/redaction.ts';

export function publicTitleOf(
  matter: { title: string; publicTitle: string | null; reporterName: string | null },
  namesInVillage: string[],
): string {
  if (matter.publicTitle !== null) return matter.publicTitle;
  return redactPersonalData(matter.title, matter.reporterName ? [...namesInVillage, matter.reporterName] : namesInVillage);
}
