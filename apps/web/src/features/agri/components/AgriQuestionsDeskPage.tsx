// 农户提问 on the extension worker's desk: the questions of the township's households, those
// unanswered after a working day flagged in red and listed first, each opening its thread beside
// the list with an answer box and a photo.
import '../words.ts';
import '../agri.css';
import { QUESTION_FILTERS, type QuestionFilter } from '@cunzhi/contracts/agri';
import type { Question } from '@cunzhi/contracts/agri-questions';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Input, Segmented, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { PhotoRefused, shrinkPhoto } from '../../../lib/shrink-photo.ts';
import { AGRI_KEY, farmApi } from '../api/farm.ts';
import { questionApi, useQuestion, useQuestions } from '../api/questions.ts';
import { QuestionState, QuestionThread } from './QuestionThread.tsx';

function Answer({ id, onAnswered }: { id: string; onAnswered(): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const thread = useQuestion(id);
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState<File>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      let photoIds: string[] = [];
      if (photo) photoIds = [(await farmApi.uploadPhoto(await shrinkPhoto(photo))).id];
      await questionApi.answer(id, { text: text.trim(), photoIds });
      setText('');
      setPhoto(undefined);
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
      onAnswered();
    } catch (e) {
      setError(e instanceof PhotoRefused ? t(`agri.photoRefused.${e.problem}`) : (e as Error).message);
    } finally {
      setSending(false);
    }
  };
  const close = async () => {
    try {
      await questionApi.close(id);
      await client.invalidateQueries({ queryKey: [AGRI_KEY] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (thread.error) return <Notice type="error">{(thread.error as Error).message}</Notice>;
  if (!thread.data) return null;
  const closed = thread.data.question.state === 'closed';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <QuestionState question={thread.data.question} />
      <QuestionThread thread={thread.data} />
      {error && <Notice type="error">{error}</Notice>}
      {!closed && (
        <>
          <Input.TextArea
            rows={4}
            maxLength={2000}
            value={text}
            aria-label={t('agri.questions.answer')}
            placeholder={t('agri.questions.answer')}
            onChange={(e) => setText(e.target.value)}
          />
          <FilePicker
            label={t('agri.photo')}
            kind="photo"
            accept="image/*"
            chosen={photo ? [photo.name] : []}
            resetAfterChoice
            onChoose={([file]) => setPhoto(file)}
          />
          <Space wrap>
            <Button type="primary" loading={sending} disabled={text.trim().length === 0} onClick={() => void send()}>
              {t('agri.questions.sendAnswer')}
            </Button>
            <Button onClick={() => void close()}>{t('agri.questions.close')}</Button>
          </Space>
          {text.trim().length === 0 && <span className="muted">{t('agri.questions.answerNeedsText')}</span>}
        </>
      )}
    </Space>
  );
}

export default function AgriQuestionsDeskPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<QuestionFilter | 'all'>('open');
  const [regionId, setRegionId] = useState<string>();
  const [open, setOpen] = useState<Question>();
  const [answered, setAnswered] = useState(false);
  const questions = useQuestions({ state: state === 'all' ? undefined : state, regionId });
  // Overdue first, then the oldest: what has waited longest is answered first.
  const rows = [...(questions.data?.pages.flatMap((page) => page.items) ?? [])].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.askedAt < b.askedAt ? -1 : 1),
  );
  const overdue = rows.filter((q) => q.overdue).length;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Panel title={t('nav.agriQuestions')}>
        <Space wrap>
          <Segmented<QuestionFilter | 'all'>
            aria-label={t('agri.questions.filterBy')}
            value={state}
            onChange={setState}
            options={[...QUESTION_FILTERS, 'all' as const].map((value) => ({ value, label: t(`agri.questions.filters.${value}`) }))}
          />
          <div style={{ minWidth: 240 }}>
            <RegionPicker allowClear value={regionId} onChange={setRegionId} placeholder={t('agri.desk.region')} />
          </div>
        </Space>
        {overdue > 0 && (
          <Notice type="warning" testId="overdue-questions">
            {t('agri.questions.overdueCount', { count: overdue })}
          </Notice>
        )}
        {answered && (
          <Notice type="success" onClose={() => setAnswered(false)}>
            {t('agri.questions.answered')}
          </Notice>
        )}
        {questions.error && <Notice type="error">{(questions.error as Error).message}</Notice>}
        <Table<Question>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          loading={questions.isLoading}
          dataSource={rows}
          onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('agri.questions.state'), key: 'state', render: (_, row) => <QuestionState question={row} /> },
            { title: t('agri.questions.askedAt'), key: 'askedAt', render: (_, row) => formatTime(row.askedAt) },
            { title: t('household.headName'), dataIndex: 'headName' },
            { title: t('agri.questions.about'), key: 'about', render: (_, row) => row.subjectName ?? t('agri.questions.aboutFarm') },
            {
              title: t('agri.questions.text'),
              key: 'text',
              render: (_, row) => (
                <Button type="link" onClick={() => setOpen(row)}>
                  {row.text.length > 30 ? `${row.text.slice(0, 30)}…` : row.text}
                </Button>
              ),
            },
            { title: t('agri.questions.answeredBy'), key: 'by', render: (_, row) => row.answeredByName ?? '—' },
          ]}
        />
        {questions.hasNextPage && <Button onClick={() => void questions.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Panel>
      <Drawer
        open={open !== undefined}
        onClose={() => setOpen(undefined)}
        size="min(520px, 100vw)"
        title={open && t('agri.questions.from', { name: open.headName })}
        destroyOnHidden
      >
        {open && (
          <Answer
            id={open.id}
            onAnswered={() => {
              setAnswered(true);
              setOpen(undefined);
            }}
          />
        )}
      </Drawer>
    </Space>
  );
}
