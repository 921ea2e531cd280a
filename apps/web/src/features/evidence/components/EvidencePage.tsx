// 调取证据 on a phone, for a township's police liaison: ask for one camera's pictures over a time
// range for a case, follow the requests, withdraw one not yet decided, and download the signed
// package once a cadre of the place approved it.
import '../words.ts';
import { CASE_NUMBER_PATTERN, type EvidenceRequest } from '@cunzhi/contracts/monitoring-evidence';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { newId } from '../../../lib/new-id.ts';
import {
  askForEvidence,
  EVIDENCE_KEY,
  packageHref,
  useEvidenceCameras,
  useEvidenceKey,
  useEvidenceRequests,
  withdrawEvidence,
} from '../api/evidence.ts';
import { EvidenceRequestCard, FIELD } from './EvidenceRequestCard.tsx';

const CASE_NUMBER = new RegExp(CASE_NUMBER_PATTERN);
const HOUR = 3_600_000;
const MONO = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', wordBreak: 'break-all' } as const;

/** A time as <input type="datetime-local"> takes it, in the phone's own time zone. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function AskForm({ onSent }: { onSent(): void }) {
  const { t, i18n } = useTranslation();
  const cameras = useEvidenceCameras();
  const [cameraId, setCameraId] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [reason, setReason] = useState('');
  const [from, setFrom] = useState(() => localInput(Date.now() - 24 * HOUR));
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [key, setKey] = useState(newId);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const caseOk = CASE_NUMBER.test(caseNumber);
  const missing = [
    cameraId === '' && t('evidence.needCamera'),
    !caseOk && t('evidence.needCaseNumber'),
    reason.trim().length < 2 && t('evidence.needReason'),
    (from === '' || to === '') && t('evidence.needRange'),
  ].filter((m): m is string => typeof m === 'string');
  const ready = missing.length === 0;
  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      await askForEvidence(
        { cameraId, caseNumber, reason: reason.trim(), from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        key,
      );
      setCaseNumber('');
      setReason('');
      setKey(newId());
      onSent();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  if (cameras.data?.items.length === 0) return <div className="item-list-empty">{t('evidence.noCameras')}</div>;
  return (
    <div className="apply-form">
      <label style={FIELD}>
        <span>{t('evidence.camera')}</span>
        <select className="text-input" value={cameraId} onChange={(e) => setCameraId(e.target.value)}>
          <option value="">{t('evidence.chooseCamera')}</option>
          {(cameras.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {c.regionName}
            </option>
          ))}
        </select>
      </label>
      <label style={FIELD}>
        <span>{t('evidence.caseNumber')}</span>
        <input
          className="text-input"
          value={caseNumber}
          maxLength={40}
          autoCapitalize="characters"
          aria-invalid={caseNumber !== '' && !caseOk}
          onChange={(e) => setCaseNumber(e.target.value.toUpperCase().trim())}
        />
        <span className="muted">{t('evidence.caseNumberHint')}</span>
      </label>
      <label style={FIELD}>
        <span>{t('evidence.reason')}</span>
        <textarea
          className="text-input"
          value={reason}
          maxLength={500}
          rows={3}
          placeholder={t('evidence.reasonHint')}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <label style={FIELD}>
        <span>{t('evidence.from')}</span>
        <input className="text-input" type="datetime-local" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label style={FIELD}>
        <span>{t('evidence.to')}</span>
        <input className="text-input" type="datetime-local" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
      </label>
      <div className="muted">{t('evidence.rangeHint')}</div>
      {error && <Notice type="error">{error}</Notice>}
      <Button type="primary" size="large" block disabled={!ready} loading={sending} onClick={() => void submit()}>
        {t('evidence.submit')}
      </Button>
      {!ready && (
        <p className="disabled-why" data-testid="submit-why">
          {t('evidence.whySubmit', { missing: missing.join(i18n.language === 'en' ? ', ' : '、') })}
        </p>
      )}
    </div>
  );
}

function MineActions({ request, onChanged }: { request: EvidenceRequest; onChanged(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  if (request.status === 'requested') {
    const withdraw = async () => {
      try {
        await withdrawEvidence(request.id);
        onChanged();
      } catch (e) {
        setError((e as Error).message);
      }
    };
    return (
      <>
        {error && <Notice type="error">{error}</Notice>}
        <Button size="large" block onClick={() => void withdraw()}>
          {t('evidence.withdraw')}
        </Button>
      </>
    );
  }
  if (request.status !== 'approved') return null;
  if (request.packageState === 'failed') return <Notice type="error">{t('evidence.packageFailed')}</Notice>;
  if (request.packageState !== 'ready') return <Notice type="info">{t('evidence.packagePending')}</Notice>;
  return (
    <div className="evidence-package">
      <Button type="primary" size="large" block href={packageHref(request.id)} download>
        {t('evidence.download')}
      </Button>
      <div className="muted">
        {t('evidence.sha256')}：<span style={MONO}>{request.packageSha256}</span>
      </div>
      <div className="muted">{t('evidence.verifyHint')}</div>
    </div>
  );
}

/**
 * How a police officer checks a downloaded package, in their words (no command line here: the
 * package's README.txt and the county's technicians have those), and the county's evidence-key
 * fingerprint to compare the check's result with (public: GET /api/monitoring/evidence-key).
 */
function HowToCheck() {
  const { t } = useTranslation();
  const key = useEvidenceKey();
  return (
    <Panel title={t('evidence.howTitle')}>
      <p>{t('evidence.howIntro')}</p>
      <ol>
        <li>{t('evidence.howComplete')}</li>
        <li>{t('evidence.howUnchanged')}</li>
        <li>{t('evidence.howSigner')}</li>
      </ol>
      <div>
        {t('evidence.countyKeyFingerprint')}：
        {/* Not <code>: a bare monospace font shrinks to 13 px; the fingerprint is read aloud and compared. */}
        {key.data ? (
          <span data-testid="county-key-fingerprint" style={MONO}>
            {key.data.fingerprintGrouped}
          </span>
        ) : (
          <span>{key.isError ? t('evidence.countyKeyMissing') : '…'}</span>
        )}
      </div>
      <div className="muted">{t('evidence.countyKeyHint')}</div>
    </Panel>
  );
}

export default function EvidencePage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const mine = useEvidenceRequests('mine');
  const [sent, setSent] = useState(false);
  const refresh = () => void client.invalidateQueries({ queryKey: [EVIDENCE_KEY, 'requests'] });
  return (
    <div className="phone-page">
      <Panel title={t('evidence.ask')}>
        {sent && (
          <Notice type="success" onClose={() => setSent(false)}>
            {t('evidence.submitted')}
          </Notice>
        )}
        <AskForm
          onSent={() => {
            setSent(true);
            refresh();
          }}
        />
      </Panel>
      <Panel title={t('evidence.mine')}>
        {!mine.data && <div className="item-list-empty">…</div>}
        {mine.data?.items.length === 0 && <div className="item-list-empty">{t('common.noData')}</div>}
        {(mine.data?.items ?? []).map((r) => (
          <EvidenceRequestCard key={r.id} request={r}>
            <MineActions request={r} onChanged={refresh} />
          </EvidenceRequestCard>
        ))}
      </Panel>
      <HowToCheck />
    </div>
  );
}
