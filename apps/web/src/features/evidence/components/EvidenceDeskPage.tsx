// 证据调取审批, for the township officials and village cadres whose places hold the cameras: the
// police liaison's requests, the pending ones first, each approved or refused with a reason.
// Laid out like the phone pages (cards, large buttons): cadres decide from their phones too.
import '../words.ts';
import type { EvidenceRequest, EvidenceRequestStatus } from '@cunzhi/contracts/monitoring-evidence';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { decideEvidence, EVIDENCE_KEY, useEvidenceRequests } from '../api/evidence.ts';
import { EvidenceRequestCard, FIELD, ROW } from './EvidenceRequestCard.tsx';

function Decide({ request, onDecided }: { request: EvidenceRequest; onDecided(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const decide = async (verb: 'approve' | 'refuse') => {
    setBusy(true);
    setError(undefined);
    try {
      await decideEvidence(request.id, verb, reason.trim());
      onDecided();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const ready = reason.trim().length >= 2 && !busy;
  return (
    <div className="apply-form">
      <label style={FIELD}>
        <span>{t('evidence.decision')}</span>
        <textarea
          className="text-input"
          value={reason}
          maxLength={500}
          rows={2}
          placeholder={t('evidence.decisionHint')}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {error && <Notice type="error">{error}</Notice>}
      <div style={ROW}>
        <Button type="primary" size="large" disabled={!ready} onClick={() => void decide('approve')}>
          {t('evidence.approve')}
        </Button>
        <Button danger size="large" disabled={!ready} onClick={() => void decide('refuse')}>
          {t('evidence.refuse')}
        </Button>
      </div>
      {!ready && !busy && <p className="disabled-why">{t('evidence.whyNoDecision')}</p>}
    </div>
  );
}

export default function EvidenceDeskPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [status, setStatus] = useState<EvidenceRequestStatus | undefined>('requested');
  const list = useEvidenceRequests('desk', status);
  const refresh = () => void client.invalidateQueries({ queryKey: [EVIDENCE_KEY, 'requests'] });
  return (
    <div className="phone-page">
      <Panel
        title={t('evidence.desk')}
        extra={
          <div style={ROW}>
            <Button size="large" type={status === 'requested' ? 'primary' : 'default'} onClick={() => setStatus('requested')}>
              {t('evidence.pending')}
            </Button>
            <Button size="large" type={status === undefined ? 'primary' : 'default'} onClick={() => setStatus(undefined)}>
              {t('evidence.all')}
            </Button>
          </div>
        }
      >
        {!list.data && <div className="item-list-empty">…</div>}
        {list.data?.items.length === 0 && <div className="item-list-empty">{t('common.noData')}</div>}
        {(list.data?.items ?? []).map((r) => (
          <EvidenceRequestCard key={r.id} request={r}>
            {r.status === 'requested' && <Decide request={r} onDecided={refresh} />}
          </EvidenceRequestCard>
        ))}
      </Panel>
    </div>
  );
}
