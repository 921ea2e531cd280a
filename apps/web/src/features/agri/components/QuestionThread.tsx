// A question and its answers as a conversation, the household's words on the left and the
// extension worker's on the right, each with who wrote it, when, and its photos. The phone and
// the desk show the same thread.
import '../words.ts';
import { QUESTION_STATE_LABELS } from '@cunzhi/contracts/agri';
import type { QuestionThread as Thread } from '@cunzhi/contracts/agri-questions';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { labelOf } from '../labels.ts';
import { Photos } from './FarmRecords.tsx';

export function QuestionState({ question }: { question: Thread['question'] }) {
  const { t, i18n } = useTranslation();
  if (question.overdue) return <Chip colour="red">{t('agri.questions.overdue')}</Chip>;
  const colour = question.state === 'open' ? 'gold' : question.state === 'answered' ? 'green' : undefined;
  return <Chip colour={colour}>{labelOf(QUESTION_STATE_LABELS, question.state, i18n.language)}</Chip>;
}

export function QuestionThread({ thread }: { thread: Thread }) {
  const { t } = useTranslation();
  const { question, messages } = thread;
  return (
    <ol className="agri-thread" data-testid="question-thread">
      <li className="agri-message">
        <span className="agri-message-who">
          {question.headName} · {formatWhen(question.askedAt)}
        </span>
        {question.subjectName && <span className="muted">{t('agri.questions.aboutName', { name: question.subjectName })} </span>}
        <span>{question.text}</span>
        <Photos ids={question.photoIds} alt={t('agri.photo')} />
      </li>
      {messages.map((m) => (
        <li key={m.id} className={m.side === 'extensionWorker' ? 'agri-message agri-message-staff' : 'agri-message'}>
          <span className="agri-message-who">
            {m.side === 'extensionWorker' ? t('agri.questions.worker', { name: m.byName }) : m.byName} · {formatWhen(m.at)}
          </span>
          <span>{m.text}</span>
          <Photos ids={m.photoIds} alt={t('agri.photo')} />
        </li>
      ))}
    </ol>
  );
}
