// One question's thread on a household's phone: what was asked and every answer, a reply with a
// photo (through the outbox), and closing it once the problem is solved.
import '../words.ts';
import '../agri.css';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { AGRI_KEY } from '../api/farm.ts';
import { questionApi, useQuestion } from '../api/questions.ts';
import { AskForm } from './AskForm.tsx';
import { QuestionState, QuestionThread } from './QuestionThread.tsx';

export default function FarmQuestionPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const client = useQueryClient();
  const thread = useQuestion(id);
  const [error, setError] = useState<string>();
  useRefreshWhenSent(AGRI_KEY);
  const close = async () => {
    try {
      await questionApi.close(id ?? '');
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const question = thread.data?.question;
  return (
    <div className="phone-page">
      <h1 className="agri-title">{t('agri.questions.thread')}</h1>
      <OutboxBanner />
      {thread.error && <Notice type="error">{(thread.error as Error).message}</Notice>}
      {error && <Notice type="error">{error}</Notice>}
      {thread.data && question && (
        <>
          <Panel title={<QuestionState question={question} />}>
            <QuestionThread thread={thread.data} />
          </Panel>
          {question.state !== 'closed' && (
            <Panel title={t('agri.questions.reply')}>
              <AskForm questionId={question.id} />
              <Button size="large" block onClick={() => void close()} style={{ marginTop: 8 }}>
                {t('agri.questions.close')}
              </Button>
            </Panel>
          )}
        </>
      )}
      <Link className="big-button" to="/m/agri/questions">
        {t('agri.questions.all')}
      </Link>
    </div>
  );
}
