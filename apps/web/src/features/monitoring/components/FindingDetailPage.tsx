// One finding: the baseline before, the picture after and the change outlined; a cadre confirms it
// (确认违建: its case goes on) or takes the scene as the new baseline (接受为新基准), each asked
// once more before it is done; the case it became is one tap away.
import '../words.ts';
import { FINDING_STATE_LABELS } from '@cunzhi/contracts/monitoring-findings';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { MONITORING_KEY } from '../api/cameras.ts';
import { decideFinding, findingImageUrl, useFinding } from '../api/findings.ts';
import { STATE_COLOURS } from './FindingsPage.tsx';

type Decision = 'confirm' | 'accept-baseline';

export default function FindingDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const client = useQueryClient();
  const { data: session } = useSession();
  const finding = useFinding(id);
  const [asking, setAsking] = useState<Decision>();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const f = finding.data;

  const decide = async () => {
    if (!f || !asking) return;
    setPending(true);
    setError(undefined);
    try {
      await decideFinding(f.id, asking, note.trim() || undefined);
      setAsking(undefined);
      setNote('');
      await client.invalidateQueries({ queryKey: [MONITORING_KEY] });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <main>
      <p>
        <Link to="/cameras/findings">{t('monitoring.findings.back')}</Link>
      </p>
      {finding.error && <Notice type="error">{(finding.error as Error).message}</Notice>}
      {f && (
        <>
          <h1>
            {f.cameraName} · {formatTime(f.createdAt)}{' '}
            <Tag color={STATE_COLOURS[f.state]}>{en ? FINDING_STATE_LABELS[f.state].en : FINDING_STATE_LABELS[f.state].zh}</Tag>
          </h1>
          <p>
            {t('monitoring.findings.changed')}：{Math.round(f.changedFraction * 100)}% ·{' '}
            {f.caseId ? (
              <Link to={`/cases/${f.caseId}`}>{t('monitoring.findings.caseLink', { number: f.caseNumber ?? '' })}</Link>
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
                <img src={findingImageUrl(f.id, kind)} alt={t(`monitoring.findings.${kind}`)} />
                <figcaption>{t(`monitoring.findings.${kind}`)}</figcaption>
              </figure>
            ))}
          </div>
          {f.state === 'open' && can(session, 'monitoring.manage') && (
            <Space style={{ marginTop: 16 }}>
              <Button type="primary" danger size="large" onClick={() => setAsking('confirm')}>
                {t('monitoring.findings.confirm')}
              </Button>
              <Button size="large" onClick={() => setAsking('accept-baseline')}>
                {t('monitoring.findings.accept')}
              </Button>
            </Space>
          )}
          <Modal
            open={Boolean(asking)}
            title={asking === 'confirm' ? t('monitoring.findings.confirm') : t('monitoring.findings.accept')}
            onCancel={() => setAsking(undefined)}
            onOk={decide}
            okText={asking === 'confirm' ? t('monitoring.findings.confirm') : t('monitoring.findings.accept')}
            cancelText={t('common.cancel')}
            confirmLoading={pending}
          >
            <p>{asking === 'confirm' ? t('monitoring.findings.confirmAsk') : t('monitoring.findings.acceptAsk')}</p>
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              placeholder={t('monitoring.findings.note')}
              aria-label={t('monitoring.findings.note')}
            />
            {error && <Notice type="error">{error}</Notice>}
          </Modal>
        </>
      )}
    </main>
  );
}
