// What waits in the offline outbox, what went after waiting, and what it could not send: shown on every phone page that
// writes through it (reports, points claims, visit check-ins).
import { useTranslation } from 'react-i18next';
import { dismissFailure, dismissSentLate, useOutbox } from '../lib/outbox.ts';
import { Notice } from './Light.tsx';

export function OutboxBanner() {
  const { t } = useTranslation();
  const { pending, failures, sending, sentLate } = useOutbox();
  // A photo waiting with the report or step it belongs to is part of that action, not one more:
  // a report with its photo saved offline said "2 项".
  const actions = pending.filter(
    (item) =>
      item.action !== undefined ||
      item.subjectId === undefined ||
      !pending.some((other) => other.action !== undefined && other.subjectId === item.subjectId),
  ).length;
  return (
    <>
      {pending.length > 0 && (
        <Notice type="warning" testId="outbox-banner">
          {sending ? t('outbox.sending') : t('outbox.pending', { count: actions })}
        </Notice>
      )}
      {sentLate.map((s) => (
        <Notice key={s.id} type="success" testId="outbox-sent" onClose={() => dismissSentLate(s.id)}>
          {t('outbox.sentLate', { label: s.label })}
        </Notice>
      ))}
      {failures.map((f) => (
        <Notice key={f.id} type="error" onClose={() => dismissFailure(f.id)}>
          {t('outbox.failed')}：{f.label}。{f.message}
        </Notice>
      ))}
    </>
  );
}
