// 农户自主申报 on the villager's phone: what happened to the family, in big checkboxes and a few
// words; the grid worker is told by the task list and comes to see. One key per report, so a
// second tap or a retry on a bad network makes one report. Above the form, the family's own report
// as it stands (what a villager may see of monitoring: their own, nothing of anyone else's).
import '../words.ts';
import { FLAG_REASON_LABELS, type FlagReason, PROCEDURE_STEP_LABELS, SELF_REPORT_REASONS } from '@cunzhi/contracts/poverty';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Notice } from '../../../components/Light.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { sendSelfReport, useOwnSelfReport } from '../api/poverty.ts';
import { useLabel } from './poverty-labels.ts';

/** A reason in a villager's words: the office's 刚性支出过大 said plainly, the others as labelled. */
function useReasonWords() {
  const { t } = useTranslation();
  const label = useLabel();
  return (reason: FlagReason) => (reason === 'expenseOverThreshold' ? t('poverty.self.expensePlain') : label(FLAG_REASON_LABELS, reason));
}

function OwnReport({ report }: { report: { status: string; nextStep: string | null; reportedAt: string; reasons: FlagReason[] } }) {
  const { t } = useTranslation();
  const label = useLabel();
  const words = useReasonWords();
  return (
    <section className="task-card" data-testid="own-self-report">
      <h2>{t('poverty.self.own')}</h2>
      <p>
        {t('poverty.self.ownSince')}：{formatWhen(report.reportedAt)}
      </p>
      {report.reasons.length > 0 && (
        <p data-testid="own-self-report-reasons">
          {t('poverty.self.ownReasons')}：{report.reasons.map(words).join('、')}
        </p>
      )}
      <p>
        {t('poverty.self.status')}：
        {report.nextStep
          ? label(PROCEDURE_STEP_LABELS, report.nextStep)
          : t(report.status === 'removing' ? 'poverty.self.ownRemoving' : 'poverty.self.ownMonitored')}
      </p>
    </section>
  );
}

export default function SelfReportPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const words = useReasonWords();
  const { data: session } = useSession();
  const own = useOwnSelfReport(Boolean(session?.user.householdId));
  const [reasons, setReasons] = useState<FlagReason[]>([]);
  const [note, setNote] = useState('');
  const [key] = useState(newId);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<{ nextStep: string | null }>();
  const [error, setError] = useState<string>();
  const toggle = (reason: FlagReason, on: boolean) => setReasons(on ? [...reasons, reason] : reasons.filter((r) => r !== reason));
  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      const report = await sendSelfReport({ reasons, ...(note.trim() && { note: note.trim() }) }, key);
      setSent({ nextStep: report.nextStep });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <main className="phone-page" data-testid="poverty-self-report">
      <h1>{t('poverty.self.title')}</h1>
      <p>{t('poverty.self.intro')}</p>
      {!sent && own.data?.report && <OwnReport report={own.data.report} />}
      {sent ? (
        <Notice type="success" testId="self-report-sent">
          {t('poverty.self.sent')} {sent.nextStep && `${t('poverty.self.status')}：${label(PROCEDURE_STEP_LABELS, sent.nextStep)}`}
        </Notice>
      ) : (
        <div className="apply-form">
          <fieldset>
            <legend>{t('poverty.self.reasons')}</legend>
            {SELF_REPORT_REASONS.map((reason) => (
              <CheckLine key={reason} checked={reasons.includes(reason)} onChange={(on) => toggle(reason, on)}>
                {words(reason)}
              </CheckLine>
            ))}
          </fieldset>
          <label>
            <span>{t('poverty.self.note')}</span>
            <textarea
              className="text-input"
              rows={3}
              maxLength={500}
              placeholder={t('poverty.self.notePlaceholder')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {error && <Notice type="error">{error}</Notice>}
          {reasons.length === 0 && <div className="muted">{t('poverty.self.needReason')}</div>}
          <Button type="primary" size="large" block disabled={reasons.length === 0} loading={sending} onClick={() => void submit()}>
            {t('poverty.self.submit')}
          </Button>
        </div>
      )}
      <a href="/" className="big-button" data-testid="poverty-home">
        {t('poverty.self.home')}
      </a>
    </main>
  );
}
