// The one way a reporter rates a handled case, the same on their list and on the case's page: the
// handler's reply first, then stars with none chosen, then 提交评价; a thank-you and the score given
// afterwards. One tap on a star only chooses: a case closes on a rating, so it is never given by
// accident. An objection sits beside the stars. Both go through the outbox (sent once there is signal).
import '../words.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { transitionCase, useCaseEvents } from '../api/cases.ts';

/** The server's REOPENING_RATING (case-workflow.ts): this score or lower sends the case back to be handled again. */
const REOPENING_RATING = 2;

const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);

export function RatingControl({
  caseId,
  allowedActions,
  given,
  onActed,
}: {
  caseId: string;
  allowedActions: readonly string[];
  /** The score already given (the whole case knows it; a list's summary does not). */
  given?: number | null;
  /** Told when the person rated or objected here, so a list keeps showing the thank-you. */
  onActed?: () => void;
}) {
  const { t } = useTranslation();
  const events = useCaseEvents(caseId);
  const [chosen, setChosen] = useState<number>();
  const [sent, setSent] = useState<number>();
  const [objected, setObjected] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const reply = events.data?.items.filter((e) => e.action === 'reply').at(-1);
  // A case sent back after a low score and replied again is rated anew: the old score is not the answer.
  const score = sent ?? (allowedActions.includes('rate') ? undefined : (given ?? undefined));
  const open = score === undefined && !objected;
  const rateable = open && allowedActions.includes('rate');
  const objectable = open && allowedActions.includes('object');
  if (!rateable && !objectable && score === undefined && !objected) return null;

  const act = async (work: () => Promise<unknown>, done: () => void) => {
    setBusy(true);
    setError(undefined);
    // Told first: once the outbox holds the step, a list no longer offers it and would drop this control.
    onActed?.();
    try {
      await work();
      done();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const rate = (rating: number) =>
    act(
      () => transitionCase(caseId, { action: 'rate', rating }, `${t('cases.actions.rate')} ${rating}`),
      () => setSent(rating),
    );
  const object = () =>
    act(
      () => transitionCase(caseId, { action: 'object' }, t('cases.actions.object')),
      () => setObjected(true),
    );

  return (
    <div className="button-column rating-control" data-testid="rating-control">
      {(rateable || objectable) && (
        <div data-testid="handler-reply">
          <strong>{t('cases.replyFromHandler')}</strong>
          {reply ? (
            <p style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>
              {reply.note || t('cases.replyNoNote')} <span className="muted">{formatWhen(reply.at)}</span>
            </p>
          ) : (
            <p className="muted" style={{ margin: '4px 0' }}>
              {events.isLoading ? '…' : t('cases.replyNoNote')}
            </p>
          )}
        </div>
      )}
      {rateable && (
        <>
          <fieldset className="stars">
            <legend>{t('cases.rateTitle')}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} aria-label={t('cases.starsLabel', { count: n })}>
                <input type="radio" name={`rating-${caseId}`} value={n} checked={chosen === n} onChange={() => setChosen(n)} />
                {chosen !== undefined && n <= chosen ? '★' : '☆'}
              </label>
            ))}
          </fieldset>
          <span className="muted" aria-live="polite">
            {chosen === undefined ? t('cases.rateChoose') : t('cases.rateChosen', { count: chosen })}
          </span>
          <Button type="primary" block disabled={chosen === undefined || busy} onClick={() => chosen !== undefined && void rate(chosen)}>
            {t('cases.rateSubmit')}
          </Button>
        </>
      )}
      {objectable && (
        <Button danger block disabled={busy} onClick={() => void object()}>
          {t('cases.actions.object')}
        </Button>
      )}
      {sent !== undefined && (
        <Notice type="success" testId="rating-thanks" reveal>
          {t('cases.rateThanks', { count: sent })}
          {sent <= REOPENING_RATING && ` ${t('cases.rateReopens')}`}
        </Notice>
      )}
      {objected && (
        <Notice type="success" testId="objection-sent" reveal>
          {t('cases.objected')}
        </Notice>
      )}
      {score !== undefined && (
        <p data-testid="rating-given" style={{ margin: 0 }}>
          {t('cases.ratingGiven')} <span className="rating-stars">{stars(score)}</span> {t('cases.starsLabel', { count: score })}
        </p>
      )}
      {error && <Notice type="error">{error}</Notice>}
    </div>
  );
}
