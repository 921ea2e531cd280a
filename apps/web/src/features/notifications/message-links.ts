// Where a message in 消息 leads when tapped.

/**
 * Where a message leads on the phone: its case; 通知 for a notice (read there); the villager's own
 * farm question, service application or points claim for the answers about them (a newcomer tapped
 * 农技员…回复了您的提问 and nothing happened). Staff's messages about others' matters lead nowhere here.
 */
export function linkOf(n: { topic: string; subjectType: string | null; subjectId: string | null }): string | undefined {
  if (n.subjectType === 'case' && n.subjectId) return `/cases/${n.subjectId}`;
  if (n.subjectType === 'notice') return '/m/notices';
  if (n.topic === 'agri.answer' && n.subjectId) return `/m/agri/questions/${n.subjectId}`;
  if (n.topic === 'services.application' && n.subjectId) return `/m/services/applications/${n.subjectId}`;
  if (n.topic === 'points.claim') return '/m/points';
  return undefined;
}
