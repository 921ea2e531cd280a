// Findings of change detection in my places (a structure that went up in a camera's watch area):
// open ones first, each opening to its pictures and the cadre's decision. Laid out for a phone (the
// live view's map links here): one card per finding whose whole title row opens it, the states as
// large buttons, nothing wider than the screen.
import '../words.ts';
import '../monitoring.css';
import { FINDING_STATE_LABELS, FINDING_STATES, type FindingState } from '@cunzhi/contracts/monitoring-findings';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useFindings } from '../api/findings.ts';

export const STATE_COLOURS: Record<FindingState, string> = { open: 'red', confirmed: 'orange', sceneAccepted: 'green' };

export default function FindingsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [state, setState] = useState<FindingState | 'all'>('open');
  const findings = useFindings(state === 'all' ? undefined : state);
  const label = (s: FindingState) => (en ? FINDING_STATE_LABELS[s].en : FINDING_STATE_LABELS[s].zh);
  return (
    <main className="phone-page findings-page">
      <h1>{t('monitoring.findings.title')}</h1>
      <fieldset className="button-row" aria-label={t('monitoring.findings.state')}>
        {[...FINDING_STATES, 'all' as const].map((s) => (
          <Button key={s} type={state === s ? 'primary' : 'default'} aria-pressed={state === s} onClick={() => setState(s)}>
            {s === 'all' ? t('monitoring.findings.all') : label(s)}
          </Button>
        ))}
      </fieldset>
      {findings.error && <Notice type="error">{(findings.error as Error).message}</Notice>}
      <ItemList
        loading={findings.isPending}
        empty={t('monitoring.findings.none')}
        items={(findings.data?.items ?? []).map((f) => ({
          key: f.id,
          title: (
            <Link to={`/cameras/findings/${f.id}`} data-testid="finding-link">
              {f.cameraName}
            </Link>
          ),
          description: (
            <>
              <Chip colour={STATE_COLOURS[f.state]}>{label(f.state)}</Chip> {t('monitoring.findings.when')}：{formatTime(f.createdAt)} ·{' '}
              {t('monitoring.findings.changed')}：{Math.round(f.changedFraction * 100)}%
              {f.caseNumber && ` · ${t('monitoring.findings.caseNumber', { number: f.caseNumber })}`}
            </>
          ),
        }))}
      />
    </main>
  );
}
