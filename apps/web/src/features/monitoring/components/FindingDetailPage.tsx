// One finding: the baseline before, the picture after and the change outlined; a cadre confirms it
// (确认是乱搭乱建: its case goes on, the note in the case's history) or takes the scene as the new
// baseline (接受为新基准: the case closes, so a reason is required), each asked once more before it
// is done; the case it became is one tap away. Laid out for a phone: pictures one under another at
// the screen's width, links and buttons at least 48 px (60 px in elder mode).
import '../words.ts';
import '../monitoring.css';
import { FINDING_STATE_LABELS } from '@cunzhi/contracts/monitoring-findings';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Chip, Notice, TextArea } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { MONITORING_KEY } from '../api/cameras.ts';
import { decideFinding, findingImageUrl, useFinding } from '../api/findings.ts';
import { STATE_COLOURS } from './FindingsPage.tsx';

type Decision = 'confirm' | 'accept-baseline';
/** Accepting the scene closes the case: the server wants a reason of at least this many characters. */
const REASON_MIN = 2;

function Decide({ findingId, asking, onDone, onCancel }: { findingId: string; asking: Decision; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = asking === 'confirm';
  const title = confirm ? t('monitoring.findings.confirm') : t('monitoring.findings.accept');
  // A confirmation's note is optional; accepting the scene needs the reason the case closes with.
  const missingReason = !confirm && note.trim().length < REASON_MIN;
  const decide = async () => {
    setPending(true);
    setError(undefined);
    try {
      await decideFinding(findingId, asking, note.trim() || undefined);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <section className="finding-decide" role="dialog" aria-label={title} data-testid="finding-decide">
      <h2>{title}</h2>
      <p>{confirm ? t('monitoring.findings.confirmAsk') : t('monitoring.findings.acceptAsk')}</p>
      <label className="finding-note" htmlFor="finding-note">
        <span>{confirm ? t('monitoring.findings.note') : t('monitoring.findings.reason')}</span>
        <TextArea
          id="finding-note"
          value={note}
          rows={3}
          maxLength={500}
          required={!confirm}
          placeholder={confirm ? t('monitoring.findings.noteHint') : t('monitoring.findings.reasonHint')}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {error && <Notice type="error">{error}</Notice>}
      <div className="button-row">
        <Button type="primary" danger={confirm} size="large" disabled={missingReason} loading={pending} onClick={() => void decide()}>
          {title}
        </Button>
        <Button size="large" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
      {missingReason && (
        <p className="disabled-why" data-testid="disabled-why">
          {t('monitoring.findings.reasonNeeded')}
        </p>
      )}
    </section>
  );
}

export default function FindingDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const client = useQueryClient();
  const { data: session } = useSession();
  const finding = useFinding(id);
  const [asking, setAsking] = useState<Decision>();
  const f = finding.data;

  return (
    <main className="phone-page finding-page">
      <p>
        <Link className="btn" to="/cameras/findings">
          ‹ {t('monitoring.findings.back')}
        </Link>
      </p>
      {finding.error && <Notice type="error">{(finding.error as Error).message}</Notice>}
      {f && (
        <>
          <h1>{f.cameraName}</h1>
          <p>
            <Chip colour={STATE_COLOURS[f.state]}>{en ? FINDING_STATE_LABELS[f.state].en : FINDING_STATE_LABELS[f.state].zh}</Chip>{' '}
            {t('monitoring.findings.when')}：{formatTime(f.createdAt)} · {t('monitoring.findings.changed')}：
            {Math.round(f.changedFraction * 100)}%
          </p>
          <p>
            {f.caseId ? (
              <Link className="btn" to={`/cases/${f.caseId}`}>
                {t('monitoring.findings.caseLink', { number: f.caseNumber ?? '' })}
              </Link>
            ) : (
              t('monitoring.findings.caseMaking')
            )}
          </p>
          {f.confirmedAt && (
            <p>{t('monitoring.findings.confirmedBy', { name: f.confirmedByName ?? '', time: formatTime(f.confirmedAt) })}</p>
          )}
          {f.resolvedAt && <p>{t('monitoring.findings.acceptedBy', { name: f.resolvedByName ?? '', time: formatTime(f.resolvedAt) })}</p>}
          {f.note && <p>{f.note}</p>}
          <div className="finding-pictures">
            {(['before', 'after', 'outlined'] as const).map((kind) => (
              <figure key={kind}>
                <img src={findingImageUrl(f.id, kind)} alt={t(`monitoring.findings.${kind}`)} width={640} height={360} />
                <figcaption>{t(`monitoring.findings.${kind}`)}</figcaption>
              </figure>
            ))}
          </div>
          {f.state === 'open' && can(session, 'monitoring.manage') && !asking && (
            <div className="button-row">
              <Button type="primary" danger size="large" onClick={() => setAsking('confirm')}>
                {t('monitoring.findings.confirm')}
              </Button>
              <Button size="large" onClick={() => setAsking('accept-baseline')}>
                {t('monitoring.findings.accept')}
              </Button>
            </div>
          )}
          {f.state === 'open' && !can(session, 'monitoring.manage') && <p className="muted">{t('monitoring.findings.cadresDecide')}</p>}
          {f.state === 'open' && asking && (
            <Decide
              key={asking}
              findingId={f.id}
              asking={asking}
              onCancel={() => setAsking(undefined)}
              onDone={() => {
                setAsking(undefined);
                void client.invalidateQueries({ queryKey: [MONITORING_KEY] });
              }}
            />
          )}
        </>
      )}
    </main>
  );
}
