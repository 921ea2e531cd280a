// 问农技员 on a household's phone: ask the township's extension worker about a sick bird or a leaf,
// with a photo, and see every question asked with whether it has been answered; each opens its thread.
import '../words.ts';
import '../agri.css';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useSession } from '../../../lib/session.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { AGRI_KEY, useFarm } from '../api/farm.ts';
import { useQuestions } from '../api/questions.ts';
import { AskForm } from './AskForm.tsx';
import { NoFarm } from './NoFarm.tsx';
import { QuestionState } from './QuestionThread.tsx';

export default function FarmQuestionsPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const householdId = session?.user.householdId ?? undefined;
  const farm = useFarm(householdId);
  const questions = useQuestions({}, Boolean(householdId));
  useRefreshWhenSent(AGRI_KEY);
  if (session && !householdId) return <NoFarm />;
  const items = questions.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="phone-page">
      <h1 className="agri-title">{t('agri.questions.title')}</h1>
      <OutboxBanner />
      <Panel title={t('agri.questions.ask')}>
        <p className="muted">{t('agri.questions.who')}</p>
        {farm.isFetched && <AskForm farm={farm.data} />}
      </Panel>
      <Panel title={t('agri.questions.mine')}>
        {questions.error && <Notice type="error">{(questions.error as Error).message}</Notice>}
        {questions.isSuccess && items.length === 0 && <p className="muted">{t('agri.questions.none')}</p>}
        <ul className="agri-cards" data-testid="my-questions">
          {items.map((q) => (
            <li key={q.id} className="agri-card">
              <Link className="agri-card-link" to={`/m/agri/questions/${q.id}`}>
                {q.text.length > 40 ? `${q.text.slice(0, 40)}…` : q.text}
              </Link>
              <p>
                <QuestionState question={q} /> <span className="muted">{formatWhen(q.askedAt)}</span>
              </p>
            </li>
          ))}
        </ul>
        {questions.hasNextPage && (
          <Button block onClick={() => void questions.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        )}
      </Panel>
    </div>
  );
}
