// Writing to the extension worker from the phone: a first question (about a plot or flock, or the
// farm in general) or a reply in a thread, with words and a photo. The photo is made small first
// (a file that is not a picture stops here, nothing sent), and both go through the outbox.
import '../words.ts';
import type { Farm } from '@cunzhi/contracts/agri-farms';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice, TextArea } from '../../../components/Light.tsx';
import { PhotoPicker } from '../../../components/PhotoPicker.tsx';
import { usePhotoSend } from '../../../lib/use-photo-send.ts';
import { agriCommands, queuePhoto } from '../api/agri-commands.ts';
import { textProblem } from '../farm-input.ts';
import { Field } from './Field.tsx';

type Outcome = { type: 'success' | 'error'; text: string };

export function AskForm({ farm, questionId }: { farm?: Farm | null; questionId?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [subject, setSubject] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [problem, setProblem] = useState<string>();
  const { sending, send } = usePhotoSend();
  const [outcome, setOutcome] = useState<Outcome>();
  const reply = questionId !== undefined;

  const submit = async () => {
    if (sending) return;
    const found = textProblem(text, 2000);
    setProblem(found && t(found.key, found.values));
    if (found) return;
    setOutcome(undefined);
    const result = await send(photos, async ([small]) => {
      const words = text.trim();
      const label = `${t(reply ? 'agri.questions.reply' : 'agri.questions.ask')}：${words.slice(0, 20)}`;
      const photoKeys = small ? [await queuePhoto(small, `${label}（${t('agri.photo')}）`)] : [];
      if (questionId) {
        await agriCommands.queue('agri.reply', { questionId, input: { text: words, photoKeys } }, { label, subjectId: questionId });
      } else {
        const [kind, id] = subject.split(':');
        await agriCommands.queue(
          'agri.ask',
          { text: words, photoKeys, ...(kind === 'plot' && id ? { plotId: id } : {}), ...(kind === 'flock' && id ? { flockId: id } : {}) },
          { label },
        );
      }
    });
    if (result.status === 'busy') return;
    if (result.status === 'refused') return setOutcome({ type: 'error', text: t(`agri.photoRefused.${result.problem}`) });
    if (result.status === 'failed') return setOutcome({ type: 'error', text: t('agri.questions.failed') });
    setOutcome({ type: 'success', text: t(navigator.onLine ? 'agri.questions.sent' : 'agri.questions.queued') });
    setText('');
    setSubject('');
    setPhotos([]);
  };

  const subjects = [
    ...(farm?.plots ?? []).map((p) => ({ value: `plot:${p.id}`, name: p.name })),
    ...(farm?.flocks ?? []).map((f) => ({ value: `flock:${f.id}`, name: f.name })),
  ];
  return (
    <div data-testid={reply ? 'reply-form' : 'ask-form'}>
      {outcome && (
        <Notice type={outcome.type} onClose={() => setOutcome(undefined)} testId="ask-outcome">
          {outcome.text}
        </Notice>
      )}
      {!reply && subjects.length > 0 && (
        <Field label={t('agri.questions.about')}>
          <select className="text-input" value={subject} onChange={(e) => setSubject(e.target.value)}>
            <option value="">{t('agri.questions.aboutFarm')}</option>
            {subjects.map((s) => (
              <option key={s.value} value={s.value}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label={t(reply ? 'agri.questions.replyText' : 'agri.questions.text')} problem={problem}>
        <TextArea
          rows={4}
          maxLength={2000}
          value={text}
          placeholder={reply ? undefined : t('agri.questions.placeholder')}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(undefined);
          }}
        />
      </Field>
      <PhotoPicker
        label={t('agri.photo')}
        caption={t('agri.photo')}
        max={1}
        photos={photos}
        onChange={(next, { chosen }) => {
          setPhotos(next);
          if (chosen) setOutcome(undefined);
        }}
        remove={{ all: t('agri.removePhoto') }}
      />
      <Button
        type="primary"
        size="large"
        block
        loading={sending}
        disabled={sending}
        onClick={() => void submit()}
        style={{ marginTop: 12 }}
      >
        {t(reply ? 'agri.questions.sendReply' : 'agri.questions.send')}
      </Button>
    </div>
  );
}
