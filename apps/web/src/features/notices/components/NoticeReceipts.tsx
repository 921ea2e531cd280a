// Who has read a sent notice, household by household: opened under its row on the desk, under its card on a phone.
import '../words.ts';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import { useReceipts } from '../api/notices.ts';

export function NoticeReceipts({ id }: { id: string }) {
  const { t } = useTranslation();
  const receipts = useReceipts(id);
  if (!receipts.data) return null;
  return (
    <div data-testid="receipts">
      <p>{t('notices.readOf', { read: receipts.data.read, people: receipts.data.people })}</p>
      <ul className="plain-list">
        {receipts.data.households.map((h) => (
          <li key={h.householdId}>
            {h.headName} ·{' '}
            {h.read > 0 ? <Chip colour="green">{t('notices.read')}</Chip> : <Chip colour="orange">{t('notices.notRead')}</Chip>}
          </li>
        ))}
      </ul>
    </div>
  );
}
