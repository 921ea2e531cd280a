// The grid worker's phone: the monitored households due a visit, a step or a measure. A newly
// flagged household's home visit is written down (what was found, required; photos, optional),
// checked on a confirmation screen, and then the page says what comes next in the procedure. Every
// visit goes through the phone's outbox, so a village without signal keeps it until it can be sent,
// once. Anyone else (a villager) who opens the page is shown our own page with a way home and to
// their own household's report.
import '../words.ts';
import { MEASURE_KIND_LABELS, PROCEDURE_STEP_LABELS } from '@cunzhi/contracts/poverty';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { PhotoPicker } from '../../../components/PhotoPicker.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { onSent } from '../../../lib/outbox.ts';
import { can, useSession } from '../../../lib/session.ts';
import { usePhotoSend } from '../../../lib/use-photo-send.ts';
import { POVERTY_KEY, queueEvidencePhoto, queueStep, queueVisit, type Tasks, useMonitoredFile, useTasks } from '../api/poverty.ts';
import { useLabel } from './poverty-labels.ts';

type Task = Tasks['items'][number];
/** What a visit's note may hold (the server's bound). */
const NOTE_MAX = 500;
const PHOTOS_MAX = 3;

/** Saved: sent at once, or kept on the phone until there is a network. */
type Saved = { queued: boolean; next: 'authorisation' | 'followUp' };

function NextStep({ saved }: { saved: Saved }) {
  const { t } = useTranslation();
  return (
    <div data-testid="visit-saved">
      <Notice type="success">{t(saved.queued ? 'poverty.visits.queued' : 'poverty.visits.sent')}</Notice>
      <section className="next-step" data-testid="visit-next-step">
        <h3>{t('poverty.visits.whatNext')}</h3>
        <p>{t(`poverty.visits.next.${saved.next}`)}</p>
      </section>
    </div>
  );
}

/** Note, photos, then a confirmation screen; the step and its photos go to the outbox together. */
function HomeVisitForm({ task, onSaved }: { task: Task; onSaved(saved: Saved): void }) {
  const { t } = useTranslation();
  const file = useMonitoredFile(task.monitoredId);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [tooMany, setTooMany] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const { sending, send } = usePhotoSend();
  const trimmed = note.trim();

  const save = async () => {
    if (!file.data || !trimmed) return;
    const { version } = file.data.monitored;
    setError(undefined);
    // The photos are queued before the step that names them.
    const result = await send(photos, async (small) => {
      const evidenceIds: string[] = [];
      for (const photo of small) {
        const evidenceId = newId();
        await queueEvidencePhoto(task.monitoredId, evidenceId, photo, `${t('poverty.visits.photo')}：${task.headName}`);
        evidenceIds.push(evidenceId);
      }
      await queueStep(
        task.monitoredId,
        {
          step: 'homeVisit',
          decision: 'approve',
          version,
          note: trimmed,
          ...(evidenceIds.length > 0 && { evidenceIds }),
        },
        `${t('poverty.visits.homeVisit')}：${task.headName}`,
      );
    });
    if (result.status === 'busy') return;
    if (result.status === 'sent') return onSaved({ queued: !navigator.onLine, next: 'authorisation' });
    setError(
      result.status === 'refused'
        ? t(`poverty.visits.photoRefused.${result.problem}`, { number: result.photo, name: photos[result.photo - 1]?.name ?? '' })
        : (result.error as Error).message,
    );
    setConfirming(false);
  };

  if (confirming)
    return (
      <div className="apply-form" data-testid="home-visit-confirm">
        <h3>{t('poverty.visits.confirmTitle')}</h3>
        <p>
          {t('poverty.visits.confirmHousehold')}：<strong>{task.headName}</strong>
        </p>
        <p className="confirm-note">{trimmed}</p>
        <p>{t('poverty.visits.confirmPhotos', { count: photos.length })}</p>
        {error && (
          <Notice type="error" reveal>
            {error}
          </Notice>
        )}
        <Button type="primary" size="large" block loading={sending} onClick={() => void save()} data-testid="home-visit-save">
          {t('poverty.visits.confirmSave')}
        </Button>
        <Button size="large" block onClick={() => setConfirming(false)}>
          {t('poverty.visits.back')}
        </Button>
      </div>
    );

  return (
    <div className="apply-form" data-testid="home-visit-form">
      <div className="field">
        <span>{t('poverty.visits.homeVisitNote')}</span>
        <TextArea
          aria-label={t('poverty.visits.homeVisitNote')}
          rows={4}
          maxLength={NOTE_MAX}
          placeholder={t('poverty.visits.homeVisitPlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <div className="muted">
        {note.length}/{NOTE_MAX}
      </div>
      <PhotoPicker
        label={t('poverty.visits.photo')}
        caption={t('poverty.visits.photoCaption', { max: PHOTOS_MAX })}
        max={PHOTOS_MAX}
        photos={photos}
        onChange={(next, change) => {
          setPhotos(next);
          setTooMany(change.tooMany);
          if (change.chosen) setError(undefined);
        }}
        hint={
          photos.length > 0 && (
            <p className="muted" data-testid="photo-count">
              {t('poverty.visits.photoCount', { count: photos.length, max: PHOTOS_MAX })}
              {tooMany && ` ${t('poverty.visits.photoTooMany', { max: PHOTOS_MAX })}`}
            </p>
          )
        }
        remove={{ each: (number) => t('poverty.visits.removePhotoNumber', { number }) }}
      />
      {error && (
        <Notice type="error" reveal>
          {error}
        </Notice>
      )}
      {!trimmed && <div className="muted">{t('poverty.visits.noteNeeded')}</div>}
      <Button type="primary" size="large" block disabled={!trimmed || !file.data} onClick={() => setConfirming(true)}>
        {t('poverty.visits.check')}
      </Button>
    </div>
  );
}

/** A follow-up visit: what was found and the measures done by now, through the outbox. */
function VisitForm({ task, onSaved }: { task: Task; onSaved(saved: Saved): void }) {
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
      await queueVisit(task.monitoredId, { note: note.trim(), measuresDone: done }, `${t('poverty.visits.submit')}：${task.headName}`);
      onSaved({ queued: !navigator.onLine, next: 'followUp' });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="apply-form">
      <div className="field">
        <span>{t('poverty.visits.note')}</span>
        <TextArea
          aria-label={t('poverty.visits.note')}
          rows={3}
          maxLength={NOTE_MAX}
          placeholder={t('poverty.visits.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
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

function TaskCard({ task }: { task: Task }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [openForm, setOpenForm] = useState(false);
  const [saved, setSaved] = useState<Saved>();
  const kind = t(`poverty.visits.${task.kind}`);
  const homeVisit = task.kind === 'stepDue' && task.step === 'homeVisit';
  const onSaved = (result: Saved) => {
    setSaved(result);
    setOpenForm(false);
  };
  return (
    <article className="task-card" data-testid="poverty-task">
      <header>
        <strong>{task.headName}</strong> <Chip colour={task.kind === 'stepDue' ? 'orange' : 'red'}>{kind}</Chip>
      </header>
      <div className="muted" data-testid="poverty-task-what">
        {[
          task.kind === 'stepDue'
            ? label(PROCEDURE_STEP_LABELS, task.step)
            : task.kind === 'measureDue'
              ? label(MEASURE_KIND_LABELS, task.step)
              : t('poverty.visits.regularVisit'),
          task.dueAt && `${t('poverty.visits.due')} ${formatWhen(task.dueAt)}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {saved && <NextStep saved={saved} />}
      {/* A step beyond the home visit (the signed authorisation …) is taken on the household's file page. */}
      {!saved && task.kind === 'stepDue' && !homeVisit && (
        <>
          <p data-testid="poverty-step-on-file">
            {t(`poverty.visits.stepOnFile.${task.step === 'authorisation' ? 'authorisation' : 'other'}`)}
          </p>
          <Link className="big-button big-button-primary" to={`/poverty/monitored/${task.monitoredId}`}>
            {t('poverty.visits.openFile')}
          </Link>
        </>
      )}
      {!saved && (homeVisit || task.kind !== 'stepDue') && (
        <>
          {!openForm && (
            <Button size="large" block type={homeVisit ? 'primary' : 'default'} onClick={() => setOpenForm(true)}>
              {homeVisit ? t('poverty.visits.startHomeVisit') : t('poverty.visits.submit')}
            </Button>
          )}
          {openForm && homeVisit && <HomeVisitForm task={task} onSaved={onSaved} />}
          {openForm && !homeVisit && <VisitForm task={task} onSaved={onSaved} />}
        </>
      )}
    </article>
  );
}

/** Our own page for someone who follows no households: what this page is, their own report, home. */
function NotForYou() {
  const { t } = useTranslation();
  return (
    <main className="error-page" data-testid="poverty-not-yours" data-read-aloud>
      <h1>这是网格员的走访页面</h1>
      <p>您可以申报自家的困难，或查看自家申报的进展。</p>
      <p lang="en" className="error-page-en">
        This page is for grid workers. You can report your family’s difficulty, or see how your own report is going.
      </p>
      <Link to="/m/poverty/report" className="big-button big-button-primary" data-testid="poverty-own-report">
        {t('poverty.visits.ownReport')}
      </Link>
      <a href="/" className="big-button error-page-home" data-testid="poverty-home">
        回到首页 <span lang="en">Home</span>
      </a>
    </main>
  );
}

export default function PovertyVisitsPage() {
  const { t } = useTranslation();
  const { data: session, isPending } = useSession();
  const follows = can(session, 'poverty.read');
  const tasks = useTasks(follows);
  const client = useQueryClient();
  // What the outbox sends later (back in signal) refreshes the list when it lands.
  useEffect(() => onSent(() => void client.invalidateQueries({ queryKey: [POVERTY_KEY] })), [client]);
  if (!isPending && !follows) return <NotForYou />;
  return (
    <main className="phone-page" data-testid="poverty-visits">
      <h1>{t('poverty.visits.title')}</h1>
      <OutboxBanner />
      {tasks.error && <Notice type="error">{(tasks.error as Error).message}</Notice>}
      {tasks.data?.items.length === 0 && <div className="item-list-empty">{t('poverty.visits.none')}</div>}
      {(tasks.data?.items ?? []).map((task) => (
        <TaskCard key={`${task.monitoredId}-${task.kind}-${task.step ?? ''}`} task={task} />
      ))}
    </main>
  );
}
