// One application on a phone: where it stands, its whole history, the materials sent, and for
// anything asked for, a photo or PDF to send and "resubmit".
import '../words.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { SERVICES_KEY, transitionApplication, uploadMaterial, useApplication, useItems } from '../api/services.ts';

/**
 * At the postal outlet the agent hands the result over (送达): asked once more, in words, before it
 * is recorded, since the applicant is told. The same key for the step, so a second tap is the same.
 */
function HandOver({ id, onDone, onError }: { id: string; onDone(): void; onError(message: string): void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [key] = useState(newId);
  const confirm = async () => {
    try {
      await transitionApplication(id, { action: 'deliver' }, key);
      onDone();
    } catch (e) {
      onError((e as Error).message);
    }
  };
  if (!asking)
    return (
      <Button type="primary" block onClick={() => setAsking(true)}>
        {t('services.deliverCollect')}
      </Button>
    );
  return (
    <div role="alertdialog" aria-label={t('services.deliverCollect')}>
      <Notice type="warning">{t('services.handOverAsk')}</Notice>
      <Button type="primary" block onClick={() => void confirm()}>
        {t('services.confirm')}
      </Button>
      <Button block onClick={() => setAsking(false)}>
        {t('services.cancel')}
      </Button>
    </div>
  );
}

export default function ApplicationPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const client = useQueryClient();
  const detail = useApplication(id);
  const { data: session } = useSession();
  const agent = Boolean(session?.user.assignments.some((a) => a.role === 'serviceHallAgent'));
  const [error, setError] = useState<string>();
  const [chosenNames, setChosenNames] = useState<Record<string, string>>({});
  const application = detail.data?.application;
  const item = useItems({ q: application?.itemName }).data?.items.find((i) => i.id === application?.itemId);
  if (!application) {
    // An address typed or copied wrong (a malformed id answers 400, an unknown one 404) is not the
    // villager's input being wrong: say the application is not there and offer the way back.
    const missing = detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.code === 'validation_failed');
    if (missing)
      return (
        <div className="phone-page">
          <Panel title={t('services.notFoundTitle')}>
            <p>{t('services.notFound')}</p>
            <div className="button-column">
              <Link className="big-button big-button-primary" to="/m/services">
                {t('services.backToServices')}
              </Link>
              <Link className="big-button" to="/">
                {t('services.backHome')}
              </Link>
            </div>
          </Panel>
        </div>
      );
    return <div className="phone-page">{detail.error && <Notice type="error">{(detail.error as Error).message}</Notice>}</div>;
  }
  const refresh = () => client.invalidateQueries({ queryKey: [SERVICES_KEY] });
  const upload = async (material: string, file: File | undefined) => {
    if (!file) return;
    try {
      await uploadMaterial(application.id, material, file);
      setError(undefined);
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const resubmit = async () => {
    try {
      await transitionApplication(application.id, { action: 'resubmit' });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const editable = application.state === 'submitted' || application.state === 'moreMaterials';
  const wanted = application.state === 'moreMaterials' ? application.missing : (item?.materials.map((m) => m.name) ?? []);
  const sent = new Set((detail.data?.materials ?? []).map((m) => m.material));
  return (
    <div className="phone-page">
      <Panel
        title={application.itemName}
        extra={<Chip colour={application.overdue ? 'red' : 'blue'}>{t(`services.states.${application.state}`)}</Chip>}
      >
        <div className="muted">
          {application.applicantName} · {t(`services.channels.${application.channel}`)}
          {application.dueAt && ` · ${t('services.due')} ${formatTime(application.dueAt)}`}
          {application.trackingNumber && ` · ${t('services.tracking')} ${application.trackingNumber}`}
        </div>
        {application.state === 'moreMaterials' && (
          <Notice type="warning">{t('services.asked', { names: application.missing.join('、') })}</Notice>
        )}
        {application.reason && <Notice type="error">{application.reason}</Notice>}
        {application.state === 'approved' && (
          <Notice type="success">
            {application.delivery === 'mail'
              ? t('services.readyToMail', { address: application.address ?? '' })
              : t('services.readyToCollect')}
          </Notice>
        )}
        {application.state === 'delivered' && application.deliveredAt && (
          <Notice type="success" testId="delivered-notice">
            {t('services.deliveredNotice', { at: formatTime(application.deliveredAt), by: application.deliveredBy ?? '' })}
          </Notice>
        )}
        {(application.state === 'approved' || application.state === 'delivered') && (
          <p>
            {application.certificateNumber && (
              <span className="muted">
                {t('services.certificateNumber')} {application.certificateNumber} ·{' '}
              </span>
            )}
            <a href={`/api/services/applications/${application.id}/certificate.pdf`} target="_blank" rel="noreferrer">
              {t('services.certificate')}
            </a>
          </p>
        )}
        {agent && application.state === 'approved' && application.delivery === 'collect' && (
          <HandOver id={application.id} onDone={() => void refresh()} onError={setError} />
        )}
      </Panel>
      {editable && (
        <Panel title={t('services.materials')}>
          {wanted.map((name) => (
            <FilePicker
              key={name}
              label={name}
              caption={
                <>
                  {name} {sent.has(name) && <Chip colour="green">{t('services.sent')}</Chip>}
                </>
              }
              kind="file"
              accept="image/*,application/pdf"
              chosen={chosenNames[name] ? [chosenNames[name]] : []}
              onChoose={([file]) => {
                if (file) setChosenNames((n) => ({ ...n, [name]: file.name }));
                void upload(name, file);
              }}
            />
          ))}
          {application.state === 'moreMaterials' && (
            <Button type="primary" block onClick={() => void resubmit()}>
              {t('services.resubmit')}
            </Button>
          )}
        </Panel>
      )}
      {error && <Notice type="error">{error}</Notice>}
      <Panel title={t('services.history')}>
        <ul className="plain-list" data-testid="application-history">
          {(detail.data?.history ?? []).map((h) => (
            <li key={`${h.at}-${h.action}`}>
              {formatTime(h.at)} · {t(`services.actions.${h.action}`, { defaultValue: h.action })}
              {h.note && ` · ${h.note}`}
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
