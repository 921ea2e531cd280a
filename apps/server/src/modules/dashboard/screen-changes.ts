// Which of a screen's sections a write can move, read from the audit action that records it.
// Reads are recorded in the audit log too (agri.figures.read, care.elder.read ...): they move nothing.
import { SCREEN_SECTIONS, type ScreenSection } from '@cunzhi/contracts/dashboard';

export const SCREEN_SECTIONS_ALL: readonly ScreenSection[] = SCREEN_SECTIONS;

const READS = /\.(read|view|list|export|download|image|head|pairing)$/;

const BY_PREFIX: [prefix: string, sections: ScreenSection[]][] = [
  ['case.', ['overview', 'ecology', 'governance']],
  ['household.', ['overview', 'civility']],
  ['person.', ['overview']],
  ['org.import', ['overview', 'civility']],
  ['user.role.', ['overview']],
  ['care.elder.save', ['overview']],
  ['monitoring.camera.', ['overview']],
  ['monitoring.finding.', ['ecology']],
  ['agri.', ['industry']],
  ['points.', ['civility']],
  // Consent given or withdrawn (public display in the ranking), erasure, purges, unpublishing: the
  // sections that name people (civility's ranking, governance's answered matters) and the head counts.
  ['privacy.', ['overview', 'civility', 'governance']],
  ['poverty.', ['prosperity']],
  ['services.application.', ['prosperity']],
];

export function sectionsMovedBy(action: string): ScreenSection[] {
  if (READS.test(action)) return [];
  const moved = new Set<ScreenSection>();
  for (const [prefix, sections] of BY_PREFIX) if (action.startsWith(prefix)) for (const s of sections) moved.add(s);
  return [...moved];
}
