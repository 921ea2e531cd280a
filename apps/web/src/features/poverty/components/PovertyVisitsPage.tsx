// The grid worker's phone: the monitored households due a visit, a step or a measure, and each
// visit recorded on the spot (what was found, the measures done by now), or the home visit of a
// newly flagged household confirmed with one tap.
import '../words.ts';
import { MEASURE_KIND_LABELS, PROCEDURE_STEP_LABELS } from '@cunzhi/contracts/poverty';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Chip, Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { POVERTY_KEY, recordVisit, type Tasks, takeStep, useMonitoredFile, useTasks } from '../api/poverty.ts';
import { useLabel } from './poverty-labels.ts';

type Task = Tasks['items'][number];

function VisitForm({ task, onDone }: { task: Task; onDone(): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const file = useMonitoredFile(task.monitoredId);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const open = (file.data?.measures ?? []).filter((m) => !m.done);
  const submit = async () => {
    setSending(true);
    try {
      await recordVisit(task.monitoredId, { note: note.trim(), measuresDone: done });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="apply-form">
      <label>
        <span>{t('poverty.visits.note')}</span>
        <textarea
          className="text-input"
          rows={3}
          maxLength={500}
          placeholder={t('poverty.visits.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {open.length > 0 && (
        <fieldset>
          <legend>{t('poverty.visits.measuresDone')}</legend>
          {open.map((m) => (
            <CheckLine
              key={m.id}
              checked={done.includes(m.id)}
              onChange={(on) => setDone(on ? [...done, m.id] : done.filter((d) => d !== m.id))}
            >
              {label(MEASURE_KIND_LABELS, m.kind)}：{m.description}
            </CheckLine>
          ))}
        </fieldset>
      )}
      {error && <Notice type="error">{error}</Notice>}
      <Button type="primary" size="large" block disabled={!note.trim()} loading={sending} onClick={() => void submit()}>
        {t('poverty.visits.submit')}
      </Button>
    </div>
  );
}

function HomeVisitButton({ task, onDone }: { task: Task; onDone(): void }) {
  const { t } = useTranslation();
  const file = useMonitoredFile(task.monitoredId);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    if (!file.data) return;
    try {
      await takeStep(task.monitoredId, { step: 'homeVisit', decision: 'approve', version: file.data.monitored.version });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Button type="primary" size="large" block disabled={!file.data} onClick={() => void confirm()}>
        {t('poverty.visits.homeVisit')}
      </Button>
      {error && <Notice type="error">{error}</Notice>}
    </>
  );
}

function TaskCard({ task }: { task: Task }) {
  const { t } = useTranslation();
  const label = useLabel();
  const client = useQueryClient();
  const [openForm, setOpenForm] = useState(false);
  const [sent, setSent] = useState(false);
  const refresh = () => {
    setSent(true);
    setOpenForm(false);
    void client.invalidateQueries({ queryKey: [POVERTY_KEY] });
  };
  const kind = t(`poverty.visits.${task.kind}`);
  return (
    <article className="task-card" data-testid="poverty-task">
      <header>
        <strong>{task.headName}</strong> <Chip colour={task.kind === 'stepDue' ? 'orange' : 'red'}>{kind}</Chip>
      </header>
      <div className="muted">
        {task.kind === 'stepDue' && label(PROCEDURE_STEP_LABELS, task.step)}
        {task.kind === 'measureDue' && label(MEASURE_KIND_LABELS, task.step)}
        {task.dueAt && ` · ${t('poverty.visits.due')} ${formatTime(task.dueAt)}`}
      </div>
      {sent && <Notice type="success">{t('poverty.visits.sent')}</Notice>}
      {!sent && task.kind === 'stepDue' && task.step === 'homeVisit' && <HomeVisitButton task={task} onDone={refresh} />}
      {!sent && task.kind !== 'stepDue' && (
        <>
          {!openForm && (
            <Button size="large" block onClick={() => setOpenForm(true)}>
              {t('poverty.visits.submit')}
            </Button>
          )}
          {openForm && <VisitForm task={task} onDone={refresh} />}
        </>
      )}
    </article>
  );
}

export default function PovertyVisitsPage() {
  const { t } = useTranslation();
  const tasks = useTasks();
  return (
    <main className="phone-page" data-testid="poverty-visits">
      <h1>{t('poverty.visits.title')}</h1>
      {tasks.error && <Notice type="error">{(tasks.error as Error).message}</Notice>}
      {tasks.data?.items.length === 0 && <div className="item-list-empty">{t('poverty.visits.none')}</div>}
      {(tasks.data?.items ?? []).map((task) => (
        <TaskCard key={`${task.monitoredId}-${task.kind}-${task.step ?? ''}`} task={task} />
      ))}
    </main>
  );
}
