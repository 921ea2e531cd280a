// Where an elder lives and the phone to call them on, for those who would go to the door or call:
// their doctor, caretaker, grid worker and linked family. Others are never shown it (nor ask for it).
import '../words.ts';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { useSession } from '../../../lib/session.ts';
import { mayReadHome, useElderHome } from '../api/care.ts';

export function ElderHomeLine({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const allowed = mayReadHome((session?.user.assignments ?? []).map((a) => a.role));
  const home = useElderHome(elderId, allowed);
  if (!allowed || !home.data) return null;
  const { address, phone } = home.data;
  return (
    <section className="elder-home" data-testid="elder-home" aria-label={t('care.home')}>
      <div>
        {t('care.address')}：{address ?? '—'}
      </div>
      <div>
        {t('care.phone')}：{phone ?? '—'}{' '}
        {phone && (
          <Button href={`tel:${phone}`} size="large" aria-label={`${t('care.call')} ${phone}`}>
            {t('care.call')}
          </Button>
        )}
      </div>
    </section>
  );
}
