// 我的农场 on a household's phone: the two things done most (record what was seen, ask the
// extension worker) as big buttons, the advice sent to this farm, the plots and flocks with adding
// and changing in place, what was recorded, and the history of changes. Plain HTML: no antd.
import '../words.ts';
import '../agri.css';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { useSession } from '../../../lib/session.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { AGRI_KEY, useFarm, useFarmAdvice } from '../api/farm.ts';
import { AdviceReceived, FarmHistory, ObservationList } from './FarmRecords.tsx';
import { FarmSubjects } from './FarmSubjects.tsx';
import { NoFarm } from './NoFarm.tsx';

export default function MyFarmPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const householdId = session?.user.householdId ?? undefined;
  const farm = useFarm(householdId);
  const advice = useFarmAdvice(householdId);
  useRefreshWhenSent(AGRI_KEY);
  if (session && !householdId) return <NoFarm />;
  if (!householdId) return null;
  const openQuestions = farm.data?.openQuestions ?? 0;
  return (
    <div className="phone-page">
      <h1 className="agri-title">{t('agri.farm.title')}</h1>
      <OutboxBanner />
      {farm.error && <Notice type="error">{(farm.error as Error).message}</Notice>}
      <div className="agri-actions">
        <Link className="big-button big-button-primary" to="/m/agri/observe">
          {t('agri.observe.title')}
        </Link>
        <Link className="big-button" to="/m/agri/questions">
          {openQuestions > 0 ? t('agri.questions.askWithOpen', { count: openQuestions }) : t('agri.questions.ask')}
        </Link>
      </div>
      {farm.isSuccess && (
        <>
          <AdviceReceived advice={advice.data?.items} />
          <FarmSubjects farm={farm.data} householdId={householdId} kind="plot" />
          <FarmSubjects farm={farm.data} householdId={householdId} kind="flock" />
          <ObservationList householdId={householdId} />
          <FarmHistory householdId={householdId} farm={farm.data} />
        </>
      )}
    </div>
  );
}
