// The grid worker's phone: the queue by deadline, and each step (accept, check in on site, record a
// mediation, resolve with photos, reply) taken with one tap. Steps go through the outbox, so the
// page keeps working without a network and sends each step once when it is back.
import '../words.ts';
import type { CaseSummary, TransitionInput } from '@cunzhi/contracts/cases';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useOfflineState } from '../../../lib/offline-data.ts';
import { useOutbox } from '../../../lib/outbox.ts';
import { PhotoRefused, shrinkPhoto } from '../../../lib/shrink-photo.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { addCasePhoto, CASES_KEY, transitionCase, useQueue } from '../api/cases.ts';
import { expectedState, StateTag } from './case-bits.tsx';

type Form = 'recordMediation' | 'handle' | 'reply';

/** The phone's position if it gives one within a few seconds; a check-in without it still counts. */
function position(): Promise<{ latitude: number; longitude: number } | undefined> {
  if (!('geolocation' in navigator)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      () => resolve(undefined),
      { timeout: 3000, maximumAge: 60_000 },
    );
  });
}

function TaskCard({ item }: { item: CaseSummary }) {
  const { t } = useTranslation();
  const { pending } = useOutbox();
  const [form, setForm] = useState<Form>();
  const [note, setNote] = useState('');
  const [parties, setParties] = useState('');
  const [photo, setPhoto] = useState<File>();
  const [photoProblem, setPhotoProblem] = useState<string>();
  const [checkedIn, setCheckedIn] = useState<{ at: number; located: boolean }>();
  // One check-in, one key. The ref is set at once, before React draws the button busy, so a second
  // tap while the position is read and the step saved does nothing; once saved, the check-in its
  // notice shows keeps its key and body, so a tap after it is the same check-in sent again (the
  // server answers with the first and records nothing new). Closing the notice starts a new one.
  const busy = useRef(false);
  const [checkingIn, setCheckingIn] = useState(false);
  const lastCheckIn = useRef<{ key: string; input: Omit<TransitionInput, 'action'> } | undefined>(undefined);
  const state = expectedState(item, pending);
  const waiting = pending.filter((p) => p.subjectId === item.id);
  // The check-in's notice speaks of the network only while the check-in waits for one: not while
  // it is on its way over a network that is there (it said 现在没有网络 for that moment).
  const { offline } = useOfflineState();
  const checkInWaits = offline && waiting.some((w) => w.action === 'checkIn');

  const step = (action: TransitionInput['action'], input: Omit<TransitionInput, 'action'> = {}, key?: string) =>
    transitionCase(item.id, { action, ...input }, `${t(`cases.actions.${action}`)} · ${item.number}`, key);

  const checkIn = async () => {
    if (busy.current) return;
    busy.current = true;
    setCheckingIn(true);
    try {
      const done = lastCheckIn.current;
      if (done) {
        await step('checkIn', done.input, done.key);
        return;
      }
      const p = await position();
      const input = p ? { details: p } : {};
      const key = newId();
      await step('checkIn', input, key);
      lastCheckIn.current = { key, input };
      setCheckedIn({ at: Date.now(), located: p !== undefined });
    } finally {
      busy.current = false;
      setCheckingIn(false);
    }
  };

  // A step's button (接单, a form's 保存) does nothing while the step is being saved: a double tap on
  // 办结's 保存 sent its photo twice, and a second 接单 showed a red 未能完成 after the first had worked.
  const stepping = useRef(false);
  const [saving, setSaving] = useState(false);
  const once = async (work: () => Promise<void>) => {
    if (stepping.current) return;
    stepping.current = true;
    setSaving(true);
    try {
      await work();
    } finally {
      stepping.current = false;
      setSaving(false);
    }
  };

  const submitForm = async () => {
    if (form === 'recordMediation') {
      const names = parties
        .split(/[,，、]/)
        .map((p) => p.trim())
        .filter(Boolean);
      await step('recordMediation', { details: { parties: names, agreement: note } });
    } else if (form === 'handle') {
      // The photo goes first, so the case is resolved with its "after" picture already attached;
      // made small on the phone, and a refused one stops the step with the reason.
      if (photo) {
        try {
          await addCasePhoto(item.id, 'after', await shrinkPhoto(photo), t('cases.photos'));
        } catch (error) {
          if (!(error instanceof PhotoRefused)) throw error;
          setPhotoProblem(`cases.report.photoRefused.${error.problem}`);
          return;
        }
      }
      await step('handle', { note });
    } else if (form === 'reply') {
      await step('reply', { note });
    }
    setForm(undefined);
    setNote('');
    setParties('');
    setPhoto(undefined);
  };

  return (
    <article className="task-card" data-case={item.number}>
      <header>
        <Link to={`/cases/${item.id}`} className="task-title">
          {item.title}
        </Link>
        <StateTag state={state} />
      </header>
      <div className="muted">
        <span className="nowrap">{item.number}</span> · {item.regionName} · {t('cases.deadline')} {formatWhen(item.deadlineAt)}{' '}
        {item.overdue && <Chip colour="red">{t('cases.overdue')}</Chip>}
      </div>
      {checkedIn && (
        <Notice
          type="success"
          testId="checked-in"
          onClose={() => {
            lastCheckIn.current = undefined;
            setCheckedIn(undefined);
          }}
        >
          {t(checkedIn.located ? 'cases.checkedIn.located' : 'cases.checkedIn.unlocated', {
            time: formatWhen(new Date(checkedIn.at).toISOString()),
          })}
          {checkInWaits && ` ${t('cases.checkedIn.waiting')}`}
        </Notice>
      )}
      {waiting.length > 0 && (
        <div className="muted" data-testid="waiting">
          {t('cases.pendingSync')}：{waiting.map((w) => w.label).join('，')}
        </div>
      )}
      <div className="button-row" style={{ marginTop: 8 }}>
        {state === 'assigned' && (
          <Button type="primary" loading={saving} onClick={() => void once(() => step('accept').then(() => {}))}>
            {t('cases.actions.accept')}
          </Button>
        )}
        {state === 'accepted' && (
          <>
            <Button loading={checkingIn} onClick={() => void checkIn()}>
              {t('cases.actions.checkIn')}
            </Button>
            <Button onClick={() => setForm('recordMediation')}>{t('cases.actions.recordMediation')}</Button>
            <Button type="primary" onClick={() => setForm('handle')}>
              {t('cases.actions.handle')}
            </Button>
          </>
        )}
        {state === 'handled' && (
          <Button type="primary" onClick={() => setForm('reply')}>
            {t('cases.actions.reply')}
          </Button>
        )}
      </div>
      {form && (
        <div className="task-form">
          {/* Written above each box, not only inside it: a placeholder is gone once typing starts. */}
          {form === 'recordMediation' && (
            <div className="muted" aria-hidden="true">
              {t('cases.parties')}
            </div>
          )}
          {form === 'recordMediation' && (
            <input
              className="text-input"
              aria-label={t('cases.parties')}
              placeholder={t('cases.parties')}
              value={parties}
              onChange={(e) => setParties(e.target.value)}
            />
          )}
          <div className="muted" aria-hidden="true">
            {t(form === 'recordMediation' ? 'cases.agreement' : form === 'handle' ? 'cases.resolveNote' : 'cases.replyNote')}
          </div>
          <TextArea
            aria-label={t(form === 'recordMediation' ? 'cases.agreement' : form === 'handle' ? 'cases.resolveNote' : 'cases.replyNote')}
            placeholder={t(form === 'recordMediation' ? 'cases.agreement' : form === 'handle' ? 'cases.resolveNote' : 'cases.replyNote')}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          {form === 'handle' && (
            <FilePicker
              label={t('cases.report.photo')}
              caption={t('cases.report.photo')}
              kind="photo"
              accept="image/*"
              camera
              chosen={photo ? [photo.name] : []}
              onChoose={([file]) => {
                setPhoto(file);
                setPhotoProblem(undefined);
              }}
            />
          )}
          {photoProblem && <Notice type="error">{t(photoProblem)}</Notice>}
          <div className="button-row">
            <Button type="primary" disabled={note.trim().length === 0} loading={saving} onClick={() => void once(submitForm)}>
              {t('common.save')}
            </Button>
            <Button onClick={() => setForm(undefined)}>{t('common.cancel')}</Button>
          </div>
        </div>
      )}
    </article>
  );
}

export default function TasksPage() {
  const { t } = useTranslation();
  const queue = useQueue('mine');
  useRefreshWhenSent(CASES_KEY);
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="phone-page">
      <OutboxBanner />
      <Panel title={t('cases.nav.tasks')}>
        {queue.isLoading && <div className="item-list-empty">…</div>}
        {!queue.isLoading && items.length === 0 && <div className="item-list-empty">{t('cases.empty')}</div>}
        {items.map((item) => (
          <TaskCard key={item.id} item={item} />
        ))}
        {queue.hasNextPage && (
          <Button block onClick={() => void queue.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        )}
      </Panel>
    </div>
  );
}
