// What a farm page on the phone (my farm, a field record, my questions) says to an account with no
// household. A villager is asked to have the village link the account; staff (an extension worker,
// a cadre) have no farm of their own: their field records are kept on the desk's farm page, linked.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import '../words.ts';
import { can, useSession } from '../../../lib/session.ts';

export function NoFarm() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  if (!can(session, 'agri.figures')) return <Notice type="info">{t('common.noHousehold')}</Notice>;
  return (
    <div className="phone-page" data-testid="agri-staff-desk">
      <Notice type="info">{t('agri.staffNoFarm')}</Notice>
      <Link className="big-button big-button-primary" to="/agri">
        {t('agri.staffDeskLink')}
      </Link>
    </div>
  );
}
